"""A worker: the portal spider on the shared frontier, its pages to a stream.

It crawls as `lsarchive crawl` does (same spider, same extraction), with
scrapy-redis's scheduler (frontier.py), the fleet's per-host limiter
(limiter.py), its own WARC folder `warcs/WORKER/`, and, instead of writing
the archive, one stream entry per page for the archive writer (writer.py).
It reads the archive only to know what is owed (read-only, like `lsarchive
serve`): the spider's incremental state comes from the writer's archive.
"""

from __future__ import annotations

import logging
import pickle
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from ..warc import repair_open_files
from .fleet import HEARTBEAT_INTERVAL, HEARTBEAT_TTL, Fleet, Keys, now, outage_params
from .inflight import InFlight, requests_in_progress

logger = logging.getLogger(__name__)

IDLE_GRACE = 3.0  # seconds the whole fleet must look idle before a worker stops


def worker_settings(*, redis_url: str, worker: str, warc_root: Path, crawl_delay: float | None,
                    base: dict) -> dict:
    """What turns `lsarchive crawl` into a worker (cmdline priority)."""
    return {
        "REDIS_URL": redis_url,
        "REDIS_PARAMS": {"encoding": "utf-8", **outage_params()},
        "SCHEDULER": "lsarchive.distributed.frontier.FleetScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # a stopped or killed worker leaves the frontier to the others
        "SCHEDULER_QUEUE_KEY": Keys.QUEUE_TEMPLATE,
        "SCHEDULER_DUPEFILTER_KEY": Keys.DUPEFILTER_TEMPLATE,
        "JOBDIR": None,  # the frontier is in Redis
        "LSARCHIVE_WORKER": worker,
        "LSARCHIVE_WARC_DIR": str(warc_root / worker),
        "LSARCHIVE_WARC_PREFIX": worker,
        "LSARCHIVE_WARC_ROOT": str(warc_root),
        "ITEM_PIPELINES": {
            "lsarchive.crawl.pipelines.ExtractPipeline": 300,
            "lsarchive.distributed.worker.ResultStream": 800,
        },
        "EXTENSIONS": {
            **base.get("EXTENSIONS", {}),
            # The fleet limiter applies robots.txt's Crawl-delay to all workers.
            "lsarchive.crawl.extensions.RobotsCrawlDelay": None,
            "lsarchive.distributed.worker.FleetMembership": 100,
        },
        "DOWNLOADER_MIDDLEWARES": {
            **base.get("DOWNLOADER_MIDDLEWARES", {}),
            "lsarchive.distributed.limiter.HostLimiter": 990,  # last: just before the download
        },
        # Spacing is the fleet limiter's job; local delays would only add to it,
        # and a local per-host queue would send reserved requests late.
        "LSARCHIVE_FLEET_DOWNLOAD_DELAY": base.get("DOWNLOAD_DELAY", 10.0),
        "LSARCHIVE_CRAWL_DELAY": -1.0 if crawl_delay is None else crawl_delay,
        # Scrapy's AutoThrottle sees one worker; the limiter applies its rule fleet-wide.
        "AUTOTHROTTLE_ENABLED": False,
        "LSARCHIVE_FLEET_AUTOTHROTTLE": base.get("AUTOTHROTTLE_ENABLED", True),
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": base.get("CONCURRENT_REQUESTS", 16),
    }


class ResultStream:
    """Item pipeline: each page, extracted, goes to the archive writer's stream.

    The entry is the PageItem itself (pickled, as scrapy-redis pickles
    requests): the writer stores it through the same PageWriter a single-process
    crawl uses. Its WARC file is named relative to warcs/ (WORKER/FILE).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.worker = crawler.settings.get("LSARCHIVE_WORKER")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        fleet: Fleet = self.crawler.lsarchive_fleet
        if item.warc.get("file"):
            item.warc = {**item.warc, "file": f"{self.worker}/{item.warc['file']}"}
        fleet.client.xadd(fleet.keys.results, {"item": pickle.dumps(item, protocol=5), "worker": self.worker})
        self.crawler.stats.inc_value("lsarchive/pages_pushed")
        return {"url": item.url, "kind": item.kind, "status": item.status,
                "error": list(item.error) if item.error else None}


class FleetMembership:
    """Heartbeats, in-flight records, dead workers' requests and WARC files,
    and when to stop.

    Every heartbeat the worker deletes the in-flight records of the requests
    Scrapy has finished with, and returns dead workers' requests to the
    frontier (inflight.py). A worker whose own queue is empty must not stop
    while another may still find links or a dead one's requests may come
    back: it stops once the frontier is empty, no other worker holds a
    request, and every live worker has been idle for IDLE_GRACE seconds.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.idle_since: float | None = None
        self.loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def fleet(self) -> Fleet:
        return self.crawler.lsarchive_fleet

    @property
    def in_flight(self) -> InFlight:
        return self.crawler.lsarchive_in_flight

    def spider_opened(self, spider):
        from twisted.internet import task

        requests_in_progress(self.crawler.engine)  # fails now, not after a kill, on a Scrapy without it
        self.repair_dead_workers_warcs()
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(HEARTBEAT_INTERVAL, now=True)

    def state(self) -> dict:
        engine = self.crawler.engine
        stats = self.crawler.stats
        try:
            busy = not engine.spider_is_idle()
        except RuntimeError:
            busy = False
        return {"busy": busy, "at": now(), "pages": stats.get_value("lsarchive/pages_pushed", 0),
                "errors": stats.get_value("lsarchive/fetch_errors", 0)
                + stats.get_value("lsarchive/media_errors", 0)}

    def beat(self):
        try:
            self.fleet.beat(self.state())
            self.in_flight.finish_done(requests_in_progress(self.crawler.engine))
            self.return_dead_workers_requests()
        except Exception as exc:  # Redis away for a moment: the next beat tries again
            logger.warning("heartbeat failed: %s", exc)
        # Scrapy polls an idle scheduler every 5 s; the shared frontier can
        # fill at any moment from another worker, so look more often.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def return_dead_workers_requests(self) -> None:
        returned = self.in_flight.return_dead()
        if returned:
            self.crawler.stats.inc_value("lsarchive/in_flight_returned", returned)
            logger.info("%d requests of dead workers returned to the frontier", returned)

    def spider_idle(self, spider):
        fleet = self.fleet
        self.return_dead_workers_requests()
        if fleet.frontier_size() or fleet.busy_elsewhere() or self.in_flight.pending_elsewhere():
            self.idle_since = None
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = now()
        if now() - self.idle_since < IDLE_GRACE:
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        try:  # after a graceful stop nothing is in progress: the records go
            self.in_flight.finish_done(requests_in_progress(self.crawler.engine))
            self.in_flight.release()
        except Exception as exc:  # they stay, and come back once the heartbeat is gone
            logger.warning("could not clear this worker's in-flight records: %s", exc)
        try:
            self.fleet.leave()
        except Exception as exc:
            logger.warning("could not leave the fleet cleanly: %s", exc)

    def repair_dead_workers_warcs(self) -> None:
        root = self.crawler.settings.get("LSARCHIVE_WARC_ROOT")
        if root:
            repair_dead_workers_warcs(Path(root), set(self.fleet.alive()) | {self.fleet.worker})


def repair_dead_workers_warcs(root: Path, alive: set[str], quiet_for: float = 2 * HEARTBEAT_TTL) -> list[Path]:
    """Close the `.open` WARC files of workers that are no longer alive (kill -9).

    A worker counts as dead when it has no heartbeat and its open file has not
    grown for `quiet_for` seconds: a live worker whose heartbeat lapsed (Redis
    away for a while) keeps its file.
    """
    repaired = []
    if not root.is_dir():
        return repaired
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in alive):
        open_files = list(folder.glob("*.open"))
        if open_files and max(p.stat().st_mtime for p in open_files) < time.time() - quiet_for:
            repaired += repair_open_files(folder)
    return repaired
