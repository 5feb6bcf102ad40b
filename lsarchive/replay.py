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
from .profiles import SiteProfile
from .stages import PageWriter, extract_page
from .store.archive import Archive
from .store.runs import FINISHED
from .store.captures import referenced_media
from .warc_read import Capture, CaptureReader, header, warc_files
from .wayback import original_url, unwrap  # noqa: F401 (original_url: this module's public name)


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


def replay(paths: list[Path], db: Path, profile: SiteProfile, *, label: str,
           record_pages: bool, progress=None, warc_dir: Path | None = None) -> ReplayResult:
    """Extract every article capture of `paths` into the archive at `db`.

    Revisit records resolve to their originals in `paths` or, failing that, in
    the archive's own WARCs (`warc_dir`, default warcs/ beside the archive).
    """
    result = ReplayResult()
    given = {p.resolve() for p in paths}
    own = [p for p in warc_files(warc_dir or Path(db).parent / "warcs") if p.resolve() not in given]
    reader = CaptureReader([*paths, *own])  # where revisits may find their originals
    media: dict[str, tuple[Path, int]] = {}  # site path -> its latest capture
    with Archive(db) as archive:
        archive.mark_abandoned_runs()  # the caller holds the writer lock
        run_id = archive.start_run(profile.name, label, {"warcs": [str(p) for p in paths]})
        writer = PageWriter(archive, site=profile.name, run_id=run_id, media_dir=Path(db).parent / "media")
        with archive.recording_run(run_id):
            for path in paths:
                for capture in reader.read(path):
                    result.captures += 1
                    outcome = replay_capture(capture, profile, writer, record_pages, result, media)
                    if progress:
                        progress(result)
                    if outcome:
                        result.articles += 1
            result.media = replay_media(archive, writer, reader, profile, media, record_pages)
        result.errors = writer.errors
        result.counts = dict(writer.counts)
        result.run_id = run_id
        archive.finish_run(run_id, FINISHED, {
            "pages_fetched": result.captures, "articles_new": writer.counts["new"],
            "articles_updated": writer.counts["updated"],
            "articles_unchanged": writer.counts["unchanged"], "errors": writer.errors,
        })
    return result


def replay_capture(capture: Capture, profile: SiteProfile, writer: PageWriter, record_pages: bool,
                   result: ReplayResult, media: dict | None = None) -> str | None:
    url = original_url(capture.url)
    if capture.error and (capture.record_type == "file" or profile.site_path(url) is not None):
        # A capture of the site that cannot be read is an error, never a silent skip.
        stage = "warc" if capture.record_type == "file" else "capture"
        where = f"{capture.warc_file} at byte {capture.offset:,}"
        writer.write(PageItem(url=url, status=0, kind=ARTICLE, body=b"",
                             error=(stage, f"{capture.error} ({where})")), record_page=False)
        return None
    if capture.status != 200 or profile.site_path(url) is None:
        result.skipped += 1
        return None
    # A page played back by a Wayback (any host, any modifier) is read as the original.
    page = unwrap(capture.url, capture.body, capture.headers)
    if not is_html(page.headers, page.body):
        if media is not None:  # an image or a document: stored once the articles are known
            media[profile.site_path(page.url)] = (capture.warc_path, capture.offset)
        result.skipped += 1
        return None
    item = PageItem(url=page.url, status=capture.status, kind=ARTICLE, body=page.body,
                    headers=page.headers, fetched_at=page.captured_at or capture_time(capture.date),
                    warc={"file": capture.warc_file, "offset": capture.offset})
    extract_page(item, profile)
    if item.not_an_article:
        result.skipped += 1  # home, listings and other pages: not articles
        return None
    # reextract: the crawl already recorded this page's provenance.
    return writer.write(item, record_page=record_pages)


def replay_media(archive: Archive, writer: PageWriter, reader: CaptureReader, profile: SiteProfile,
                 media: dict[str, tuple[Path, int]], record_pages: bool) -> int:
    """Store the images and documents the articles refer to, from their captures,
    as a crawl stores them (media/ by sha256, a `media` row each)."""
    stored = archive.stored_media(writer.media_dir)
    done = 0
    for url in referenced_media(archive.db.conn):
        where = media.get(profile.site_path(url))
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