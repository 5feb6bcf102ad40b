"""Item pipelines: extraction, then storage.

They take PageItems whatever produced them (the spider, or pages read back
from WARC captures), so a better extractor can be run again on old captures.
"""

from __future__ import annotations

import json
import logging

from ..extract import extract_article
from ..record import ExtractionError
from ..store.archive import NEW, UNCHANGED, UPDATED, Archive
from .items import ARTICLE, LISTING, PageItem

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """Article pages in, article records (or a recorded reason) out."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: PageItem, spider=None):
        if item.kind != ARTICLE:
            return item
        stats = self.crawler.stats
        stats.inc_value("lsarchive/articles_seen")
        if item.status != 200:
            item.error = ("fetch", f"HTTP {item.status}")
            return item
        try:
            item.article = extract_article(item.body, item.url, spider.profile)
        except ExtractionError as exc:
            item.error = (exc.stage, exc.reason)
        except Exception as exc:  # an extractor bug must not stop the crawl
            logger.exception("Extractor failed on %s", item.url)
            item.error = ("extract", f"{type(exc).__name__}: {exc}")
        return item


class ArchivePipeline:
    """Writes pages, articles, sections and errors to the SQLite archive."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        self.errors = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        settings = self.crawler.settings
        self.archive = Archive(settings.get("LSARCHIVE_DB", "archive.db"))
        recorded = {
            name: settings.get(name)
            for name in (
                "USER_AGENT", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_DELAY",
                "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "LSARCHIVE_POLITENESS",
            )
        }
        self.run_id = self.archive.start_run(spider.name, spider.profile.base_url, recorded)
        spider.crawl_run_id = self.run_id

    def close_spider(self, spider=None):
        stats = self.crawler.stats
        reason = stats.get_value("finish_reason", "finished")
        status = "finished" if reason == "finished" else f"stopped: {reason}"
        self.archive.finish_run(self.run_id, status, {
            "pages_fetched": stats.get_value("response_received_count", 0),
            "articles_new": self.counts[NEW],
            "articles_updated": self.counts[UPDATED],
            "articles_unchanged": self.counts[UNCHANGED],
            "errors": self.errors + stats.get_value("lsarchive/fetch_errors", 0),
        })
        self.archive.close()

    def process_item(self, item: PageItem, spider=None):
        spider = spider or self.crawler.spider
        article_id = None
        if item.article is not None:
            article_id, outcome = self.archive.save_article(
                item.article, site=spider.name, fetched_at=item.fetched_at,
                crawl_run_id=self.run_id, etag=item.headers.get("Etag"),
                last_modified=item.headers.get("Last-Modified"),
            )
            self.counts[outcome] += 1
            self.crawler.stats.inc_value("lsarchive/articles_archived")
            self.crawler.stats.inc_value(f"lsarchive/articles_{outcome}")
        elif item.error is not None:
            stage, reason = item.error
            self.errors += 1
            self.crawler.stats.inc_value("lsarchive/extraction_errors")
            self.archive.record_error(url=item.url, stage=stage, reason=reason,
                                      crawl_run_id=self.run_id, body=item.body)
            logger.warning("Not archived: %s (%s: %s)", item.url, stage, reason)
        if item.kind == LISTING and item.section:
            self.archive.record_section(url=item.url.split("?")[0], site=spider.name, name=item.section)
        self.archive.record_page(
            url=item.url, kind=item.kind, status=item.status, body=item.body,
            fetched_at=item.fetched_at, content_type=item.content_type,
            crawl_run_id=self.run_id, article_id=article_id,
            warc_file=item.warc.get("file"), warc_offset=item.warc.get("offset"),
        )
        # The item has been stored: drop the page bytes instead of carrying
        # them into Scrapy's item stats and feed exporters.
        return {"url": item.url, "kind": item.kind, "status": item.status,
                "article_id": article_id, "error": json.dumps(item.error) if item.error else None}
