"""Item pipelines: extraction, then storage (lsarchive.stages does the work).

They take PageItems whatever produced them, so the same stages run on pages
read back from WARC captures.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..stages import Store, extract_page
from ..store.archive import Archive
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
        return extract_page(item, spider.profile)


class ArchivePipeline:
    """Writes every page to the SQLite archive and closes the crawl run."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        settings = self.crawler.settings
        db = Path(settings.get("LSARCHIVE_DB", "archive.db"))
        archive = Archive(db)
        run_id = archive.start_run(spider.name, spider.profile.base_url,
                                   {name: settings.get(name) for name in RECORDED_SETTINGS})
        media_dir = Path(settings.get("LSARCHIVE_MEDIA_DIR") or db.parent / "media")
        self.store = Store(archive, site=spider.name, run_id=run_id, media_dir=media_dir)
        spider.crawl_run_id = run_id

    def close_spider(self, spider=None):
        stats = self.crawler.stats
        reason = stats.get_value("finish_reason", "finished")
        store = self.store
        store.archive.finish_run(store.run_id, "finished" if reason == "finished" else f"stopped: {reason}", {
            "pages_fetched": stats.get_value("response_received_count", 0),
            "articles_new": store.counts["new"],
            "articles_updated": store.counts["updated"],
            "articles_unchanged": store.counts["unchanged"],
            "errors": store.errors,  # every failed page, whatever its stage, is one error row
        })
        store.archive.close()

    def process_item(self, item: PageItem, spider=None):
        stats = self.crawler.stats
        try:
            outcome = self.store.store(item)
        except Exception as exc:  # one page that cannot be stored must not stop the crawl
            outcome = None
            item.error = ("store", f"{type(exc).__name__}: {exc}"[:300])
            logger.error("Could not store %s: %s", item.url, item.error[1])  # never the page itself
            self.store.errors += 1
            self.store.archive.record_error(url=item.url, stage="store", reason=item.error[1],
                                            crawl_run_id=self.store.run_id)
        if outcome:
            stats.inc_value("lsarchive/articles_archived")
            stats.inc_value(f"lsarchive/articles_{outcome}")
        elif item.error and item.kind != MEDIA:
            stats.inc_value("lsarchive/extraction_errors")  # rows of the extraction_errors table
            stats.inc_value(f"lsarchive/errors/{item.error[0]}")
        # Stored: return a small summary, not the page bytes, to Scrapy.
        return {"url": item.url, "kind": item.kind, "status": item.status,
                "error": list(item.error) if item.error else None}
