"""Recover the site from a web archive: list its captures through a CDX server,
fetch each chosen capture's raw bytes (`id_`), write the exchange to WARC, and
pass the page through the same stages as a crawl, dated by its capture time.

What is chosen, from every capture listed under the site's base URL:
- listings (home, sections and their pages): the newest good capture of each,
  read for their article links (`article_links`: known articles);
- any other HTML page: the newest capture with status 200, or with
  `all_captures` the first capture of every distinct digest, oldest first (so
  earlier texts become earlier revisions in capture order); the extractor
  decides what is an article, as it does for a crawl;
- media (images, documents) that the archived articles refer to: newest 200.

A capture already fetched (same URL and digest, `web_captures.fetched_at`) is
never fetched again, so the same command resumes after kill -9 and a second
run fetches nothing new.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

from .cdx import CdxCapture, Polite, list_captures, raw_url, replay_prefix
from .crawl.items import ARTICLE, LISTING, MEDIA, PageItem
from .profiles import Site, SiteProfile
from .stages import PageWriter, extract_page
from .store import web_captures
from .store.archive import Archive
from .store.captures import referenced_media
from .store.runs import FINISHED
from .warc import Exchange, WarcWriter
from .warc_read import decode_payload
from .wayback import normalize_url, stamp_time, unwrap

PAGE = "page"  # an HTML page that is no listing: an article, if the extractor says so


@dataclass
class Recovery:
    listed: int = 0  # captures the CDX server listed under the site
    planned: int = 0  # captures chosen and not fetched before
    fetched: int = 0
    articles: int = 0
    media: int = 0
    errors: int = 0
    counts: dict = field(default_factory=dict)
    waits: int = 0  # 429 / 503 answers waited out
    started: float = field(default_factory=time.monotonic)

    def time_left(self) -> float | None:
        if not self.fetched:
            return None
        return (time.monotonic() - self.started) / self.fetched * max(0, self.planned - self.fetched)


def classify(profile: SiteProfile, capture: CdxCapture) -> tuple[str, str] | None:
    """(kind, normalised original URL) of a listed capture, or None if it is not kept."""
    url = normalize_url(capture.original)
    rest = profile.site_path(url)
    if rest is None or profile.is_excluded(profile.absolute(rest)):
        return None
    path = rest.split("?")[0].rstrip("/")
    if rest.startswith(profile.media_path_prefix):
        return MEDIA, url
    if path in {p for _, p in profile.section_paths} | {"", profile.home_path}:
        return LISTING, url
    if "html" in capture.mimetype.lower() or capture.mimetype in ("", "unk"):
        return PAGE, url
    return None


def choose(listed: list[tuple[str, str, CdxCapture]], all_captures: bool) -> list[tuple[str, str, CdxCapture]]:
    """The captures to fetch, listings first, then pages, each URL's oldest first."""
    by_url: dict[tuple[str, str], list[CdxCapture]] = {}
    for kind, url, capture in listed:
        if capture.status == 200:
            by_url.setdefault((kind, url), []).append(capture)
    chosen = []
    for (kind, url), captures in sorted(by_url.items()):
        captures.sort(key=lambda c: c.timestamp)
        if kind == PAGE and all_captures:
            first_of_digest: dict[str, CdxCapture] = {}
            for capture in captures:
                first_of_digest.setdefault(capture.digest, capture)
            chosen += [(kind, url, c) for c in first_of_digest.values()]
        else:
            chosen.append((kind, url, captures[-1]))
    order = {LISTING: 0, PAGE: 1, MEDIA: 2}
    return sorted(chosen, key=lambda entry: order[entry[0]])


def recover(db: Path, site: Site, cdx_url: str, *, polite: Polite, replay: str | None = None,
            year_from: int | None = None, year_to: int | None = None, all_captures: bool = False,
            progress=None) -> Recovery:
    """List, choose, fetch and store; raises cdx.Unreachable / cdx.GaveUp (what was stored is whole)."""
    result = Recovery()
    prefix = replay or replay_prefix(cdx_url)
    listed = []
    profile = site.current  # URLs and listings; each page is read with the version of its capture's date
    for capture in list_captures(polite, cdx_url, profile.base_url, year_from=year_from, year_to=year_to):
        kept = classify(profile, capture)
        if kept:
            listed.append((*kept, capture))
    result.listed = len(listed)
    settings = {"cdx": cdx_url, "replay": prefix, "from": year_from, "to": year_to,
                "all_captures": all_captures, "rate": 1 / polite.interval}
    with Archive(db) as archive:
        archive.mark_abandoned_runs()  # the caller holds the writer lock
        web_captures.record_listed(archive, site=profile.name, cdx_server=cdx_url, captures=listed)
        done = web_captures.fetched(archive, profile.name)
        plan = [entry for entry in choose(listed, all_captures) if (entry[1], entry[2].digest) not in done]
        pages = [entry for entry in plan if entry[0] != MEDIA]
        media = {entry[1]: entry for entry in plan if entry[0] == MEDIA}
        result.planned = len(pages)
        run_id = archive.start_run(profile.name, f"wayback:{cdx_url}", settings)
        store = PageWriter(archive, site=profile.name, run_id=run_id, media_dir=Path(db).parent / "media")
        writer = WarcWriter(Path(db).parent / "warcs", prefix="wayback",
                            info={"description": f"captures fetched from {prefix} (listed by {cdx_url})"})
        fetch = _Fetcher(polite, prefix, writer, store, site, result, progress)
        try:
            with archive.recording_run(run_id):
                for kind, url, capture in pages:
                    fetch.one(kind, url, capture)
                stored = archive.stored_media(store.media_dir)
                wanted = [media[u] for u in referenced_media(archive.db.conn) if u in media and u not in stored]
                result.planned += len(wanted)
                for kind, url, capture in wanted:
                    fetch.one(kind, url, capture)
        finally:
            writer.close()
            result.waits = polite.waits
        result.errors = store.errors + store.media_errors
        result.counts = dict(store.counts)
        archive.finish_run(run_id, FINISHED, {
            "pages_fetched": result.fetched, "articles_new": store.counts["new"],
            "articles_updated": store.counts["updated"], "articles_unchanged": store.counts["unchanged"],
            "errors": result.errors,
        })
    return result


class _Fetcher:
    def __init__(self, polite, prefix, writer, store, site: Site, result, progress):
        self.polite, self.prefix, self.writer, self.store = polite, prefix, writer, store
        self.site, self.profile, self.result, self.progress = site, site.current, result, progress

    def one(self, kind: str, url: str, capture: CdxCapture) -> None:
        fetched_url = raw_url(self.prefix, capture)
        started = datetime.now(timezone.utc)
        status, headers, body = self.polite.get(fetched_url)
        captured_at = stamp_time(capture.timestamp)
        written = self.writer.write_exchange(Exchange(
            url=fetched_url, method="GET", request_headers=[("User-Agent", self.polite.user_agent)],
            request_body=b"", status=status, reason="", response_headers=list(headers.items()),
            response_body=body, started=started,
        ), provenance={"WARC-Source-URI": capture.original,
                       "WARC-Source-Date": captured_at.replace("+00:00", "Z")})
        warc = {"file": written.file, "offset": written.offset}
        page = unwrap(fetched_url, decode_payload(body, headers), headers)
        item = PageItem(url=url, status=status, kind=ARTICLE if kind == PAGE else kind, body=page.body,
                        headers=page.headers, fetched_at=captured_at, warc=warc)
        if status != 200:
            item.error = ("fetch", f"HTTP {status} from {fetched_url}")
        elif kind == LISTING:
            item.section, item.listing = self._listing(url, page.body)
        elif kind == PAGE:
            extract_page(item, self.site)  # read with the markup of the capture's day (item.fetched_at)
        outcome = None
        archive = self.store.archive
        with archive.transaction():  # the capture is marked fetched with what it brought, or not at all
            if not item.not_an_article or kind != PAGE:
                outcome = self.store.write(item)
            if status < 500:  # a server error may pass: fetch it again next time
                web_captures.mark_fetched(
                    archive, site=self.profile.name, url=url, timestamp=capture.timestamp, digest=capture.digest,
                    outcome=outcome or (item.error[1] if item.error else "stored"), warc_file=written.file,
                    warc_offset=written.offset)
        self.result.fetched += 1
        self.result.articles += bool(outcome)
        self.result.media += kind == MEDIA and status == 200
        if self.progress:
            self.progress(self.result)

    def _listing(self, url: str, body: bytes) -> tuple[str | None, dict | None]:
        from parsel import Selector

        selector = Selector(body=body, type="html")
        section_url = url.split("?")[0]
        path = (self.profile.site_path(section_url) or "").rstrip("/")
        name = next((n for n, p in self.profile.section_paths if p == path), None)
        if name is None:
            return None, None  # the home page: no section of its own
        links = []
        for anchor in selector.css(self.profile.listing_teaser_link_css):
            link = normalize_url(urljoin(url, anchor.attrib.get("href", "")))
            if self.profile.is_inside(link) and not self.profile.is_excluded(link):
                links.append((self.profile.site_path(link), link))
        return name, {"section_url": section_url, "links": links, "starts_walk": False, "ends_walk": False}
