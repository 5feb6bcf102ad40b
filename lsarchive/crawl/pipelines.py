"""Item pipelines: extraction, then storage (lsarchive.stages does the work).

They take PageItems whatever produced them, so the same stages run on pages
read back from WARC captures.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from scrapy import signals

from ..stages import PageWriter, extract_page, remove_partial_media
from ..store.archive import Archive
from ..store.lock import ArchiveLock
from ..store.runs import FAILED, FINISHED, STOPPED
from .extensions import stop_crawl
from .items import ARTICLE, MEDIA, PageItem

logger = logging.getLogger(__name__)

RECORDED_SETTINGS = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_DELAY",
    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "LSARCHIVE_POLITENESS",
    "LSARCHIVE_FULL", "LSARCHIVE_REFRESH", "LSARCHIVE_MEDIA", "JOBDIR",
)


class ExtractPipeline:
    """Article pages in, article records (or a recorded reason) out."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: PageItem, spider=None):
        spider = spider or self.crawler.spider
        if item.kind == ARTICLE:
            self.crawler.stats.inc_value("lsarchive/articles_seen")
        return extract_page(item, spider.profile_of(item.url))


class ArchivePipeline:
    """Writes every page to the SQLite archive and closes the crawl run.

    It holds the archive's writer lock for the whole crawl (`lsarchive crawl`
    already holds it; `scrapy crawl` takes it here), and records how the run
    ended when Scrapy says why it closed. A full disk or another I/O error
    stops the crawl with one line: what was stored is whole, and the next run
    carries on from it.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.writer: PageWriter | None = None
        self.lock: ArchiveLock | None = None
        self.failure: str | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        settings = self.crawler.settings
        db = Path(settings.get("LSARCHIVE_DB", "archive.db"))
        self.lock = ArchiveLock(db, settings.get("LSARCHIVE_COMMAND") or f"scrapy crawl {spider.name}")
        self.lock.acquire()  # ArchiveBusy ends the crawl before anything is written
        archive = Archive(db)
        for run_id in archive.mark_abandoned_runs():
            logger.warning("run #%d had been killed; recorded as such", run_id)
        for repair in self.warc_repairs():
            archive.log_event("WARC repaired", f"{repair.path.name}: kept {repair.records_kept} complete "
                                               f"records, cut {repair.bytes_cut} bytes")
        run_id = archive.start_run(spider.name, " ".join(spider.base_urls),
                                   {name: settings.get(name) for name in RECORDED_SETTINGS},
                                   command=self.lock.command)
        media_dir = Path(settings.get("LSARCHIVE_MEDIA_DIR") or db.parent / "media")
        remove_partial_media(media_dir)
        self.writer = PageWriter(archive, site=spider.name, run_id=run_id, media_dir=media_dir)
        spider.crawl_run_id = run_id

    def warc_repairs(self) -> list:
        """The `.open` files the WARC writer repaired when the crawl began."""
        try:
            downloader = self.crawler.engine.downloader
        except RuntimeError:  # no engine: the pipeline used on its own
            return []
        middlewares = downloader.middleware.middlewares if downloader is not None else ()
        return [repair for middleware in middlewares
                for repair in getattr(getattr(middleware, "writer", None), "repairs", [])]

    def spider_closed(self, spider, reason):
        writer = self.writer
        if writer is None:
            return
        stats = self.crawler.stats
        status, why = run_status(self.failure or reason)
        try:
            writer.archive.finish_run(writer.run_id, status, {
                "pages_fetched": stats.get_value("response_received_count", 0),
                "articles_new": writer.counts["new"],
                "articles_updated": writer.counts["updated"],
                "articles_unchanged": writer.counts["unchanged"],
                "errors": writer.errors,  # every failed page, whatever its stage, is one error row
                "non_articles": writer.non_articles,  # listings, soft 404s met as articles: no errors
            }, reason=why)
        except (OSError, sqlite3.Error) as exc:  # the disk is still full: the next run says "killed"
            logger.warning("could not record how run #%s ended: %s", writer.run_id, exc)
        finally:
            writer.archive.close()
            self.lock.release()

    def process_item(self, item: PageItem, spider=None):
        if self.failure:  # the crawl is stopping: the next run fetches this page again
            return {"url": item.url, "kind": item.kind, "status": item.status, "error": ["store", self.failure]}
        try:
            outcome = self.writer.write(item)
        except Exception as exc:
            if is_io_failure(exc):  # disk full, I/O error: nothing more can be stored
                self.stop_crawl(f"failed: {describe_io_error(exc, self.writer.archive.path)}")
                return {"url": item.url, "kind": item.kind, "status": item.status, "error": ["store", str(exc)]}
            # One page that cannot be stored must not stop the crawl.
            outcome = None
            item.error = ("store", f"{type(exc).__name__}: {exc}"[:300])
            logger.error("Could not store %s: %s", item.url, item.error[1])  # never the page itself
            self.writer.errors += 1
            self.writer.archive.record_error(url=item.url, stage="store", reason=item.error[1],
                                            crawl_run_id=self.writer.run_id)
        stats = self.crawler.stats
        if outcome:
            stats.inc_value("lsarchive/articles_archived")
            stats.inc_value(f"lsarchive/articles_{outcome}")
        elif item.not_an_article:
            stats.inc_value("lsarchive/non_articles")
        elif item.error and item.kind != MEDIA:
            stats.inc_value("lsarchive/extraction_errors")  # rows of the extraction_errors table
            stats.inc_value(f"lsarchive/errors/{item.error[0]}")
        # Stored: return a small summary, not the page bytes, to Scrapy.
        return {"url": item.url, "kind": item.kind, "status": item.status,
                "error": list(item.error) if item.error else None}

    def stop_crawl(self, reason: str) -> None:
        self.failure = self.failure or reason
        stop_crawl(self.crawler, reason)


def run_status(reason: str) -> tuple[str, str | None]:
    """Scrapy's close reason → (crawl_runs.status, reason)."""
    if reason == "finished":
        return FINISHED, None
    if reason == "shutdown":
        return STOPPED, "stopped by a signal (Ctrl-C or SIGTERM): the next run resumes"
    if reason.startswith("failed: "):
        return FAILED, reason[len("failed: "):]
    return FAILED, reason


def is_io_failure(exc: Exception) -> bool:
    """A failure of the storage itself (disk full, I/O error), not of one page."""
    if isinstance(exc, OSError):
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("disk" in text or "i/o" in text)


def describe_io_error(exc: Exception, database: Path) -> str:
    """One line for an I/O error: disk full is said as such, with the file."""
    text = str(exc)
    full = getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in text or "No space left" in text
    where = getattr(exc, "filename", None) or (database if isinstance(exc, sqlite3.Error) else None)
    if full:
        return "disk full" + (f" writing {where}" if where else "")
    return f"{type(exc).__name__}: {text}"
