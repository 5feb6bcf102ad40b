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

It also changes the two moves of a request in and out of the frontier so that
a worker killed at any moment loses nothing of the pass:
- a request is filtered and queued in one atomic step (scrapy-redis adds the
  fingerprint, then queues, in two commands: a kill between them would leave
  a request seen and never queued);
- a request is taken from the frontier and recorded in the worker's
  in-flight hash in one atomic step (inflight.py), so that a killed worker's
  requests go back to the frontier within the pass.
"""

from __future__ import annotations

import logging

from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from .fleet import Fleet, default_worker_name, now
from .inflight import InFlight, new_incarnation

logger = logging.getLogger(__name__)

# KEYS: duplicate filter, frontier. ARGV: fingerprint, score, serialised
# request, "1" to bypass the filter (a retry: the same request asked again on purpose).
_FILTER_AND_QUEUE = """
if ARGV[4] ~= '1' and redis.call('sadd', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('zadd', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


class FleetScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider):
        worker = self.crawler.settings.get("LSARCHIVE_WORKER") or default_worker_name()
        self.fleet = Fleet(self.server, spider.name, worker, new_incarnation())
        self.in_flight = InFlight(self.server, self.fleet.keys, f"{worker} {self.fleet.incarnation}")
        # Dead workers' requests back first, so that a fleet whose only work
        # left is theirs resumes its pass rather than starting a new one.
        returned = self.in_flight.return_dead()
        fresh, number = self.fleet.join({"busy": True, "since": now(), "pages": 0, "errors": 0})
        self.crawler.lsarchive_fleet = self.fleet
        self.crawler.lsarchive_in_flight = self.in_flight
        self.filter_and_queue = self.server.register_script(_FILTER_AND_QUEUE)
        self._open_queue(spider)
        if returned:
            logger.info("%d requests of dead workers returned to the frontier", returned)
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
        queued = self.filter_and_queue(
            keys=[self.df.key, self.queue.key],
            args=[self.df.request_fingerprint(request), -request.priority,
                  self.queue._encode_request(request), int("retry_times" in request.meta)])
        if not queued:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        taken = self.in_flight.take()
        if taken is None:
            return None
        token, data = taken
        try:
            request = self.queue._decode_request(data)
        except Exception as exc:  # not a request this version can read: dropped, not retried forever
            logger.error("dropped an unreadable request from the frontier: %s: %s", type(exc).__name__, exc)
            self.in_flight.finish([token])
            return None
        self.in_flight.track(token, request)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
