"""Run the extract and store stages on pages read back from WARC captures.

`lsarchive reextract` rebuilds the articles of an archive from its own WARCs
(no network: a better extractor applied to old captures); `lsarchive
import-warc` ingests captures of the portal made by other tools (wget,
Heritrix, Browsertrix, Wayback Machine downloads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .crawl.items import ARTICLE, MEDIA, PageItem
from .clock import as_utc
from .profiles import Site, site_for_url
from .stages import PageWriter, extract_page
from .store.archive import Archive
from .store.runs import FINISHED
from .store.captures import referenced_media
from .warc_read import Capture, CaptureReader, header, warc_files
from .wayback import original_url, unwrap  # noqa: F401 (original_url: this module's public name)


class PageSites:
    """Which site, and which of its profile versions, reads a captured page.

    Without a choice of sites, every page the registry places: a registered
    site's, or any other langson.gov.vn sub-site's (the generic Drupal 7
    profile). With `only`, the pages of those sites alone. The capture's date
    picks the profile version (the markup the site served that day).
    """

    def __init__(self, only: dict[str, Site] | None = None):
        self.only = only

    def site_of(self, url: str) -> Site | None:
        if not self.only:
            return site_for_url(url)
        site = site_for_url(url, self.only)
        return site if site is not None and site.name in self.only else None

    def key(self, url: str) -> tuple[str, str] | None:
        """(site, path in the site): the same page wherever it was served."""
        site = self.site_of(url)
        path = site.current.site_path(url) if site else None
        return (site.name, path) if path is not None else None

    @property
    def label(self) -> str:
        return ",".join(sorted(self.only)) if self.only else "all"


@dataclass
class ReplayResult:
    captures: int = 0
    articles: int = 0
    skipped: int = 0
    errors: int = 0
    counts: dict = field(default_factory=dict)
    run_id: int | None = None
    media: int = 0


def is_html(headers: dict[str, str], body: bytes) -> bool:
    content_type = header(headers, "content-type") or ""
    return "html" in content_type.lower() or body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))


def replay(paths: list[Path], db: Path, sites: PageSites, *, label: str,
           record_pages: bool, progress=None, warc_dir: Path | None = None) -> ReplayResult:
    """Extract every article capture of `paths` into the archive at `db`.

    Revisit records resolve to their originals in `paths` or, failing that, in
    the archive's own WARCs (`warc_dir`, default warcs/ beside the archive).
    """
    result = ReplayResult()
    given = {p.resolve() for p in paths}
    own = [p for p in warc_files(warc_dir or Path(db).parent / "warcs") if p.resolve() not in given]
    reader = CaptureReader([*paths, *own])  # where revisits may find their originals
    media: dict[tuple[str, str], tuple[Path, int]] = {}  # (site, path) -> its latest capture
    with Archive(db) as archive:
        archive.mark_abandoned_runs()  # the caller holds the writer lock
        run_id = archive.start_run(sites.label, label, {"warcs": [str(p) for p in paths]})
        writer = PageWriter(archive, site=sites.label, run_id=run_id, media_dir=Path(db).parent / "media")
        with archive.recording_run(run_id):
            for path in paths:
                for capture in reader.read(path):
                    result.captures += 1
                    outcome = replay_capture(capture, sites, writer, record_pages, result, media)
                    if progress:
                        progress(result)
                    if outcome:
                        result.articles += 1
            result.media = replay_media(archive, writer, reader, sites, media, record_pages)
        result.errors = writer.errors
        result.counts = dict(writer.counts)
        result.run_id = run_id
        archive.finish_run(run_id, FINISHED, {
            "pages_fetched": result.captures, "articles_new": writer.counts["new"],
            "articles_updated": writer.counts["updated"],
            "articles_unchanged": writer.counts["unchanged"], "errors": writer.errors,
        })
    return result


def replay_capture(capture: Capture, sites: PageSites, writer: PageWriter, record_pages: bool,
                   result: ReplayResult, media: dict | None = None) -> str | None:
    url = original_url(capture.url)
    key = sites.key(url)
    if capture.error and (capture.record_type == "file" or key is not None):
        # A capture of the site that cannot be read is an error, never a silent skip.
        stage = "warc" if capture.record_type == "file" else "capture"
        where = f"{capture.warc_file} at byte {capture.offset:,}"
        writer.write(PageItem(url=url, status=0, kind=ARTICLE, body=b"",
                             error=(stage, f"{capture.error} ({where})")), record_page=False)
        return None
    if capture.status != 200 or key is None:
        result.skipped += 1
        return None
    # A page played back by a Wayback (any host, any modifier) is read as the original.
    page = unwrap(capture.url, capture.body, capture.headers)
    if not is_html(page.headers, page.body):
        if media is not None:  # an image or a document: stored once the articles are known
            media[sites.key(page.url) or key] = (capture.warc_path, capture.offset)
        result.skipped += 1
        return None
    site = sites.site_of(page.url) or sites.site_of(url)
    item = PageItem(url=page.url, status=capture.status, kind=ARTICLE, body=page.body,
                    headers=page.headers, fetched_at=page.captured_at or capture_time(capture.date),
                    warc={"file": capture.warc_file, "offset": capture.offset}, site=site.name)
    extract_page(item, site)  # read with the markup the site served on the capture's day
    if item.not_an_article:
        result.skipped += 1  # home, listings and other pages: not articles
        return None
    # reextract: the crawl already recorded this page's provenance.
    return writer.write(item, record_page=record_pages)


def replay_media(archive: Archive, writer: PageWriter, reader: CaptureReader, sites: PageSites,
                 media: dict[tuple[str, str], tuple[Path, int]], record_pages: bool) -> int:
    """Store the images and documents the articles refer to, from their captures,
    as a crawl stores them (media/ by sha256, a `media` row each)."""
    stored = archive.stored_media(writer.media_dir)
    done = 0
    for url in referenced_media(archive.db.conn):
        where = media.get(sites.key(url))
        if where is None or url in stored:
            continue
        capture = reader.capture_at(*where)
        if capture is None:
            continue
        page = unwrap(capture.url, capture.body, capture.headers)
        error = ("capture", capture.error) if capture.error else None
        writer.write(PageItem(url=url, status=capture.status, kind=MEDIA, body=page.body, headers=page.headers,
                             fetched_at=page.captured_at or capture_time(capture.date), error=error,
                             warc={"file": capture.warc_file, "offset": capture.offset}),
                    record_page=record_pages)
        done += 1
    return done


def capture_time(warc_date: str) -> str:
    """A WARC-Date in the archive's one timestamp format (ISO 8601 UTC, seconds, +00:00)."""
    return as_utc(warc_date) or ""