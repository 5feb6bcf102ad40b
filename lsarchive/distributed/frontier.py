"""The shared frontier: scrapy-redis's scheduler, adapted in one place.

The portal spider marks its owed and conditional requests `dont_filter=True`:
in one process an incremental crawl must ask again for owed links whatever
Scrapy's job state says. Across workers the fleet lets the shared duplicate
filter decide for every request: each URL is asked for
once per pass (fleet.py), by whichever worker finds it first. Retries
(Scrapy's RetryMiddleware sets `retry_times`) still go through: they are the
same request asked again on purpose.

scrapy-redis 0.9.1 works with Scrapy 2.19 as released; this subclass changes
the filtering, joins the fleet when the scheduler opens (before any start
request is scheduled), and avoids the two calls Scrapy 2.19 deprecates
(Spider.log, a `spider` argument to the stats), which would print a warning
on every crawl.
"""

from __future__ import annotations

import logging

from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from .fleet import Fleet, default_worker_name, now

logger = logging.getLogger(__name__)


class FleetScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider):
        worker = self.crawler.settings.get("LSARCHIVE_WORKER") or default_worker_name()
        self.fleet = Fleet(self.server, spider.name, worker)
        fresh, number = self.fleet.join({"busy": True, "since": now(), "pages": 0, "errors": 0})
        self.crawler.lsarchive_fleet = self.fleet
        self._open_queue(spider)
        if fresh:
            logger.info("worker %s starts pass %d of %s", worker, number, spider.name)
        else:
            logger.info("worker %s joins pass %d of %s (%d requests queued)",
                        worker, number, spider.name, len(self.queue))

    def _open_queue(self, spider):
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)

    def enqueue_request(self, request):
        if "retry_times" not in request.meta and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
