"""The stages every fetched page goes through: extract, then store.

Scrapy's item pipelines call these for a live crawl; `reextract` and
`import-warc` call them for pages read back from WARC captures. Nothing
here knows where the page came from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .crawl.items import ARTICLE, LISTING, MEDIA, PageItem
from .extract import extract_article, extract_for_site
from .profiles import Site, SiteProfile
from .record import ExtractionError, NotAnArticle
from .store.archive import NEW, UNCHANGED, UPDATED, Archive, sha256_hex

logger = logging.getLogger(__name__)

NOT_MODIFIED = 304


def extract_page(item: PageItem, profile: SiteProfile | Site) -> PageItem:
    """Fill item.article, or item.error with (stage, reason). Never raises.

    Given a Site, the profile version is the one served when the page was
    captured (item.fetched_at; extract_for_site tries them all without it)."""
    if item.kind != ARTICLE or item.status == NOT_MODIFIED or item.error:
        return item
    if item.status != 200:
        item.error = ("fetch", f"HTTP {item.status}")
        return item
    try:
        if isinstance(profile, Site):
            item.article = extract_for_site(item.body, item.url, profile, captured_at=item.fetched_at or None,
                                            content_type=item.content_type)
        else:
            item.article = extract_article(item.body, item.url, profile, content_type=item.content_type)
    except ExtractionError as exc:
        item.error = (exc.stage, exc.reason)
        item.not_an_article = isinstance(exc, NotAnArticle)
    except Exception as exc:  # an extractor bug must not stop the crawl
        logger.exception("Extractor failed on %s", item.url)
        item.error = ("extract", f"{type(exc).__name__}: {exc}")
    return item


class PageWriter:
    """Writes pages, articles, media, sections and errors to one archive."""

    def __init__(self, archive: Archive, *, site: str, run_id: int | None,
                 media_dir: Path | None = None):
        self.archive = archive
        self.site = site
        self.run_id = run_id
        self.media_dir = media_dir
        self.counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        self.errors = 0
        self.non_articles = 0  # fine pages that are no article (listings, soft 404s): no error
        self.media_errors = 0

    def write(self, item: PageItem, *, record_page: bool = True) -> str | None:
        """Store one page; return the article's outcome (new/updated/unchanged) if any.

        Everything the page brings is written in one transaction: a crash
        leaves the page stored whole or not at all, and storing it again
        completes it.
        """
        if item.kind == MEDIA:
            # The bytes go to disk first (under their hash, atomically), then
            # the row: a crash in between leaves a file the next fetch reuses.
            self.write_media(item, record_page=record_page)
            return None
        article_id, outcome = None, None
        with self.archive.transaction():
            if item.kind == ARTICLE and item.status == NOT_MODIFIED:
                article_id = self.archive.touch_article(item.url, item.fetched_at)
                outcome = UNCHANGED
            elif item.article is not None:
                article_id, outcome = self.archive.save_article(
                    item.article, site=item.site or self.site, fetched_at=item.fetched_at, crawl_run_id=self.run_id,
                    etag=item.headers.get("Etag") or item.headers.get("ETag"),
                    last_modified=item.headers.get("Last-Modified"),
                )
            elif item.error is not None and not item.not_an_article:
                stage, reason = item.error
                self.archive.record_error(url=item.url, stage=stage, reason=reason,
                                          crawl_run_id=self.run_id, body=item.body)
            if item.kind == LISTING and item.listing:
                self.archive.record_listing(site=item.site or self.site, section=item.section,
                                            crawl_run_id=self.run_id, **item.listing)
            elif item.kind == LISTING and item.section:
                self.archive.record_section(url=item.url.split("?")[0], site=item.site or self.site, name=item.section)
            if record_page and item.status:  # a page that never arrived has no provenance
                self.archive.record_page(
                    url=item.url, kind=item.kind, status=item.status, body=item.body,
                    fetched_at=item.fetched_at, content_type=item.content_type,
                    crawl_run_id=self.run_id, article_id=article_id,
                    warc_file=item.warc.get("file"), warc_offset=item.warc.get("offset"),
                    not_article=item.error[1] if item.not_an_article and item.error else None,
                )
        # Counted once committed: the counts never credit what a rollback undid.
        if item.not_an_article:
            self.non_articles += 1
            logger.info("Not an article: %s (%s)", item.url, item.error[1] if item.error else "")
        elif item.error is not None and outcome is None:
            self.errors += 1
            logger.warning("Not archived: %s (%s: %s)", item.url, *item.error)
        if outcome:
            self.counts[outcome] += 1
        return outcome

    def write_media(self, item: PageItem, *, record_page: bool = True) -> None:
        """Media bytes go under media/ by their sha256: stored once, whatever the URL.

        A failed fetch is recorded (the next crawl tries it again); bytes
        already stored are never hidden by a later failure.
        """
        fields = {"url": item.url, "status": item.status, "fetched_at": item.fetched_at,
                  "crawl_run_id": self.run_id}
        if item.error or item.status != 200:
            self.media_errors += 1
            fields["error"] = item.error[1] if item.error else f"HTTP {item.status}"
        else:
            digest = sha256_hex(item.body)
            relative = None
            if self.media_dir is not None:
                # Bytes first (whole, under their hash), then the row: a crash
                # in between leaves a file that the next fetch simply reuses.
                write_once(self.media_dir / digest[:2] / digest, item.body)
                relative = f"{digest[:2]}/{digest}"
            fields.update(sha256=digest, size=len(item.body), path=relative,
                          content_type=item.content_type.split(";")[0].strip() or None)
        with self.archive.transaction():
            self.archive.record_media(**fields)
            if record_page and item.status:
                self.archive.record_page(
                    url=item.url, kind=item.kind, status=item.status, body=item.body,
                    fetched_at=item.fetched_at, content_type=item.content_type,
                    crawl_run_id=self.run_id, warc_file=item.warc.get("file"),
                    warc_offset=item.warc.get("offset"),
                )


def write_once(path: Path, data: bytes) -> None:
    """Write `data` at `path` unless a complete file is there already.

    Written to `.part` and renamed, so a file under its hash is always whole;
    a failed write (disk full) removes its `.part` before the error goes on.
    """
    if path.is_file() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_partial_media(media_dir: Path) -> int:
    """`.part` files left by a process killed while writing: never complete, drop them."""
    if not media_dir.is_dir():
        return 0
    parts = list(media_dir.glob("*/*.part"))
    for path in parts:
        path.unlink(missing_ok=True)
    return len(parts)
