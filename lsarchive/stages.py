"""The stages every fetched page goes through: extract, then store.

Scrapy's item pipelines call these for a live crawl; `reextract` and
`import-warc` call them for pages read back from WARC captures. Nothing
here knows where the page came from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .crawl.items import ARTICLE, LISTING, MEDIA, PageItem
from .extract import extract_article
from .profiles import SiteProfile
from .record import ExtractionError, NotAnArticle
from .store.archive import NEW, UNCHANGED, UPDATED, Archive, sha256_hex

logger = logging.getLogger(__name__)

NOT_MODIFIED = 304


def extract_page(item: PageItem, profile: SiteProfile) -> PageItem:
    """Fill item.article, or item.error with (stage, reason). Never raises."""
    if item.kind != ARTICLE or item.status == NOT_MODIFIED or item.error:
        return item
    if item.status != 200:
        item.error = ("fetch", f"HTTP {item.status}")
        return item
    try:
        item.article = extract_article(item.body, item.url, profile, content_type=item.content_type)
    except ExtractionError as exc:
        item.error = (exc.stage, exc.reason)
        item.not_an_article = isinstance(exc, NotAnArticle)
    except Exception as exc:  # an extractor bug must not stop the crawl
        logger.exception("Extractor failed on %s", item.url)
        item.error = ("extract", f"{type(exc).__name__}: {exc}")
    return item


class Store:
    """Writes pages, articles, media, sections and errors to one archive."""

    def __init__(self, archive: Archive, *, site: str, run_id: int | None,
                 media_dir: Path | None = None):
        self.archive = archive
        self.site = site
        self.run_id = run_id
        self.media_dir = media_dir
        self.counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        self.errors = 0
        self.media_errors = 0

    def store(self, item: PageItem, *, record_page: bool = True) -> str | None:
        """Store one page; return the article's outcome (new/updated/unchanged) if any."""
        article_id, outcome = None, None
        if item.kind == ARTICLE and item.status == NOT_MODIFIED:
            article_id = self.archive.touch_article(item.url, item.fetched_at)
            outcome = UNCHANGED
        elif item.article is not None:
            article_id, outcome = self.archive.save_article(
                item.article, site=self.site, fetched_at=item.fetched_at, crawl_run_id=self.run_id,
                etag=item.headers.get("Etag") or item.headers.get("ETag"),
                last_modified=item.headers.get("Last-Modified"),
            )
        elif item.kind == MEDIA:
            self.store_media(item)
        elif item.error is not None:
            stage, reason = item.error
            self.errors += 1
            self.archive.record_error(url=item.url, stage=stage, reason=reason,
                                      crawl_run_id=self.run_id, body=item.body)
            logger.warning("Not archived: %s (%s: %s)", item.url, stage, reason)
        if outcome:
            self.counts[outcome] += 1
        if item.kind == LISTING and item.section:
            self.archive.record_section(url=item.url.split("?")[0], site=self.site, name=item.section)
        if record_page and item.status:  # a page that never arrived has no provenance
            self.archive.record_page(
                url=item.url, kind=item.kind, status=item.status, body=item.body,
                fetched_at=item.fetched_at, content_type=item.content_type,
                crawl_run_id=self.run_id, article_id=article_id,
                warc_file=item.warc.get("file"), warc_offset=item.warc.get("offset"),
            )
        return outcome

    def store_media(self, item: PageItem) -> None:
        """Media bytes go under media/ by their sha256: stored once, whatever the URL."""
        if item.error or item.status != 200:
            self.media_errors += 1
            reason = item.error[1] if item.error else f"HTTP {item.status}"
            self.archive.record_media(url=item.url, status=item.status, fetched_at=item.fetched_at,
                                      crawl_run_id=self.run_id, error=reason)
            return
        digest = sha256_hex(item.body)
        relative = None
        if self.media_dir is not None:
            path = self.media_dir / digest[:2] / digest
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".part")
                temporary.write_bytes(item.body)
                temporary.replace(path)  # never a half-written file under its hash
            relative = f"{digest[:2]}/{digest}"
        self.archive.record_media(
            url=item.url, status=item.status, fetched_at=item.fetched_at, crawl_run_id=self.run_id,
            sha256=digest, size=len(item.body),
            content_type=item.content_type.split(";")[0].strip() or None, path=relative,
        )
