"""Fault injection: the mirror answering like a broken or hostile server.

    site = MirrorSite(240, seed=1, faults="all,offsite=http://127.0.0.1:9999/tpls/")
    with MirrorServer(site) as server:
        crawl(server.base_url)
        site.faults.reachable_node_ids()   # articles a crawl must archive exactly
        site.faults.expected_failures()    # {(url, stage)} a crawl must record

SPEC is a comma-separated list of items (KIND, KIND:N, KIND@PATH, all,
seed=, offsite=, retry_after=, stall=, oversized=, bomb=, nolast), described
once, in `lsarchive mirror --help` (lsarchive/cli/crawling.py).

Kinds (see FAULTS for what the mirror does): 500 503 503-long 429 404
reset truncated stall redirect-loop offsite-redirect oversized gzip-bomb
bad-bytes wrong-charset soft-404 endless-pager offsite-pager.
The choices depend on the seed alone, so a SPEC names the same pages on
every run. Nothing here knows about the crawler: the truth says what any
crawler that follows the site's listings must end with.
"""

from __future__ import annotations

import random
import re
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import unquote, urljoin

from . import other_pages, pages
from .content import SECTION_NAMES, SECTION_ORDER

FETCH, SIZE, OFFSITE, EXTRACT = "fetch", "size", "offsite", "extract"
DEFAULT_OFFSITE = "http://evil.example.test/tpls/"
MAX_STALL = 600.0


@dataclass(frozen=True)
class Fault:
    description: str
    stage: str | None
    """The stage a crawler must record for the page; None if it must archive it."""
    damaged: bool = False
    """The page is served, but its text is not what the site published."""
    pager: bool = False
    """Applies to a section's listing pages, not to one page."""


FAULTS: dict[str, Fault] = {
    "500": Fault("HTTP 500 on every request", FETCH),
    "503": Fault("HTTP 503 with Retry-After on the first request, then the page (transient)", None),
    "503-long": Fault("HTTP 503 with Retry-After: 3600 on every request", FETCH),
    "429": Fault("HTTP 429 with Retry-After on the first request, then the page (transient)", None),
    "404": Fault("Drupal's 404 page", FETCH),
    "reset": Fault("headers and half the body, then a TCP reset", FETCH),
    "truncated": Fault("a Content-Length twice the body's, then the connection closes", FETCH),
    "stall": Fault("no answer for `stall` seconds, then the connection closes", FETCH),
    "redirect-loop": Fault("302 to ?loop=1, which redirects back: a loop", FETCH),
    "offsite-redirect": Fault("302 to the same path under `offsite`", OFFSITE),
    "oversized": Fault("a 200 page of `oversized` MB, without Content-Length", SIZE),
    "gzip-bomb": Fault("Content-Encoding: gzip, about 1 MB on the wire, `bomb` MB decompressed", SIZE),
    "bad-bytes": Fault("one 0xFF byte (in a comment atop the body) in a page declared UTF-8", None),
    "wrong-charset": Fault("a UTF-8 page whose HTTP header says charset=iso-8859-1", None),
    "soft-404": Fault("200 OK with Drupal's 'page not found' page", EXTRACT),
    "endless-pager": Fault("the pager goes on past its last page, each page listing "
                           "15 new article URLs (that answer 404)", None, pager=True),
    "offsite-pager": Fault("the last listing page's 'next' link leads to `offsite`", None, pager=True),
}
TRANSIENT = {"503": 503, "429": 429}


class FaultSpecError(ValueError):
    """A SPEC that cannot be read; the message says which item and why."""


@dataclass
class FaultPlan:
    """Which page gets which fault, and what a crawl must end with."""

    site: "object"  # MirrorSite (not imported: site.py imports this module)
    by_path: dict[str, str]
    """Site path (relative to /tpls/, aliases for articles) → kind."""
    by_section: dict[str, str]
    offsite: str = DEFAULT_OFFSITE
    retry_after: int = 2
    stall: float = 90.0
    oversized_mb: int = 50
    bomb_mb: int = 1024
    nolast: bool = False

    def __post_init__(self) -> None:
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()

    # -- building ----------------------------------------------------------
    @classmethod
    def parse(cls, spec: str, site) -> "FaultPlan":
        options: dict[str, str] = {}
        wanted: list[tuple[str, int, str | None]] = []
        nolast = False
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            if item == "all":
                wanted += [(kind, 1, None) for kind in FAULTS]
            elif item == "nolast":
                nolast = True
            elif "=" in item and item.split("=", 1)[0] in _OPTIONS:
                name, value = item.split("=", 1)
                options[name] = value
            else:
                wanted.append(_parse_item(item))
        plan = cls(site, {}, {}, nolast=nolast, **_read_options(options))
        plan._place(wanted, int(options.get("seed", site.seed)))
        return plan

    def _place(self, wanted: list[tuple[str, int, str | None]], seed: int) -> None:
        catalog = self.site.catalog
        rng = random.Random(f"lsarchive-faults:{seed}")
        articles = [i for i in range(catalog.total) if i != catalog.seed_index]
        rng.shuffle(articles)
        sections = [s for s in SECTION_ORDER if catalog.section_indices[s]]
        rng.shuffle(sections)
        for kind, count, path in wanted:
            fault = FAULTS[kind]
            if path is not None:
                target = self._site_path(path)
                if fault.pager:
                    if target not in SECTION_NAMES:
                        raise FaultSpecError(f"{kind}@{path}: not a section of the mirror")
                    self.by_section[target] = kind
                else:
                    self.by_path[target] = kind
                continue
            for _ in range(count):
                pool = sections if fault.pager else articles
                taken = self.by_section if fault.pager else self.by_path
                free = [x for x in pool if (x if fault.pager else catalog.aliases[x]) not in taken]
                if not free:
                    raise FaultSpecError(f"{kind}:{count}: not enough "
                                         f"{'sections' if fault.pager else 'articles'} in the mirror")
                choice = free[0]
                taken[choice if fault.pager else catalog.aliases[choice]] = kind

    def _site_path(self, path: str) -> str:
        """node/N → the article's alias, so a fault hits the page under both names."""
        path = unquote(path.strip()).removeprefix(pages.PREFIX).lstrip("/")
        match = re.fullmatch(r"node/(\d+)", path)
        if match:
            index = self.site.catalog.index_of_node(int(match.group(1)))
            if index is not None:
                return self.site.catalog.aliases[index]
        return path

    # -- the truth -------------------------------------------------------------
    def kinds(self) -> dict[str, str]:
        """Every faulted page (or section) and its kind."""
        return {**self.by_path, **self.by_section}

    def url(self, path: str, base_url: str | None = None) -> str:
        return urljoin(base_url or self.site.base_url, path)

    def expected_failures(self, base_url: str | None = None) -> set[tuple[str, str]]:
        """(url, stage) of every page a crawl of the listings must record as failed."""
        unreachable_listings = self._unreachable_listing_paths()
        out = set()
        for path, kind in self.by_path.items():
            stage = FAULTS[kind].stage
            if stage and path not in unreachable_listings and self._is_reached(path):
                out.add((self.url(path, base_url), stage))
        return out

    def reachable_node_ids(self) -> set[int]:
        """Articles a crawl must archive exactly as site.truth() says."""
        catalog = self.site.catalog
        return {catalog.node_id(i) for i in self._reachable_indices()
                if self._stage(catalog.aliases[i]) is None and not self.is_damaged(i)}

    def damaged_node_ids(self) -> set[int]:
        """Articles served whole but with wrong bytes: archived, or recorded as not decodable."""
        catalog = self.site.catalog
        return {catalog.node_id(i) for i in self._reachable_indices() if self.is_damaged(i)}

    def unreachable_node_ids(self) -> set[int]:
        catalog = self.site.catalog
        every = {catalog.node_id(i) for i in range(catalog.total)}
        return every - self.reachable_node_ids() - self.damaged_node_ids()

    def is_damaged(self, index: int) -> bool:
        kind = self.by_path.get(self.site.catalog.aliases[index])
        return bool(kind and FAULTS[kind].damaged)

    def _reachable_indices(self) -> list[int]:
        """Articles listed on a listing page reached from the section's first page."""
        if self._stage("home"):
            return []
        out = []
        for section in SECTION_ORDER:
            for page, indices in enumerate(self._listing_pages(section)):
                if self._stage(_listing_path(section, page)):
                    break
                out += indices
        return out

    def _stage(self, path: str) -> str | None:
        """The stage a crawl must record for this page, if its fault makes it fail."""
        kind = self.by_path.get(path)
        return FAULTS[kind].stage if kind else None

    def _listing_pages(self, section: str) -> list[list[int]]:
        indices = self.site.catalog.section_indices[section][::-1]  # newest first
        size = pages.ITEMS_PER_PAGE
        return [indices[start:start + size] for start in range(0, len(indices), size)]

    def _unreachable_listing_paths(self) -> set[str]:
        out = set()
        for section in SECTION_ORDER:
            broken = False
            for page in range(len(self._listing_pages(section))):
                path = _listing_path(section, page)
                if broken:
                    out.add(path)
                broken = broken or bool(self._stage(path))
        return out

    def _is_reached(self, path: str) -> bool:
        index = self.site.catalog.index_of_alias(path)
        return index is None or index in set(self._reachable_indices())

    # -- serving -----------------------------------------------------------------
    def answer(self, method: str, path_with_query: str, headers: dict):
        """None to serve normally; else (status, headers, body), or a callable
        that writes (or withholds) the bytes on the handler and returns the
        status to log."""
        raw_path, _, query = path_with_query.partition("?")
        path = unquote(raw_path)
        if not path.startswith(pages.PREFIX):
            return None
        rest = self._site_path(path)
        if rest in self.by_section:
            return self._pager(self.by_section[rest], rest, _page_param(query), method, headers)
        kind = self.by_path.get(rest + ("?" + query if query and "loop=" not in query else ""))
        if kind is None:
            return None
        # One method per kind (_reset, _gzip_bomb...); the status kinds share _status.
        respond = getattr(self, "_" + kind.replace("-", "_"), None) or self._status
        return respond(kind, method, path_with_query, headers)

    def _normal(self, method: str, path: str, headers: dict):
        headers = {k: v for k, v in headers.items() if k.lower() not in ("if-none-match", "if-modified-since")}
        return self.site.handle(method, path, headers)

    def _first_time(self, path: str) -> bool:
        with self._lock:
            self._served[path] = self._served.get(path, 0) + 1
            return self._served[path] == 1

    def _status(self, kind, method, path, headers):
        """500, 404, and the Retry-After answers."""
        if kind in TRANSIENT and not self._first_time(path):
            return None
        status = TRANSIENT.get(kind) or int(kind[:3])
        extra = [("Retry-After", str(self.retry_after if kind in TRANSIENT else 3600))] if status in (429, 503) else []
        body = (other_pages.not_found_page(path, self.site.sections()) if status == 404
                else f"<html><body><h1>{status}</h1></body></html>").encode()
        return status, [("Content-Type", pages_html()), ("Content-Length", str(len(body))), *extra], body

    def _soft_404(self, kind, method, path, headers):
        body = other_pages.not_found_page(path, self.site.sections()).encode()
        return 200, [("Content-Type", pages_html()), ("Content-Length", str(len(body)))], body

    def _redirect_loop(self, kind, method, path, headers):
        target = path.split("?")[0] if "loop=1" in path else path.split("?")[0] + "?loop=1"
        return 302, [("Location", target), ("Content-Length", "0")], b""

    def _offsite_redirect(self, kind, method, path, headers):
        target = urljoin(self.offsite, path.split("?")[0].removeprefix(pages.PREFIX))
        return 302, [("Location", target), ("Content-Length", "0")], b""

    def _bad_bytes(self, kind, method, path, headers):
        # In a comment at the top of the body: a decoder that replaces the one
        # bad byte (U+FFFD) reads the page exactly as published; one that
        # decodes the whole page with another codec garbles every letter.
        status, out, body = self._normal(method, path, headers)
        at = body.find(b">", body.find(b'class="field-item', body.find(b"field-name-body"))) + 1
        body = body[:at] + b"<!-- \xff -->" + body[at:] if at > 0 else body
        return status, _with_length(out, body), body

    def _wrong_charset(self, kind, method, path, headers):
        status, out, body = self._normal(method, path, headers)
        out = [(k, "text/html; charset=iso-8859-1" if k == "Content-Type" else v) for k, v in out]
        return status, out, body

    def _gzip_bomb(self, kind, method, path, headers):
        body = gzip_bomb(self.bomb_mb)
        return 200, [("Content-Type", pages_html()), ("Content-Encoding", "gzip"),
                     ("Content-Length", str(len(body)))], body

    def _oversized(self, kind, method, path, headers) -> Callable:
        size = self.oversized_mb * 1_000_000

        def write(handler) -> int:
            handler.close_connection = True
            head = f"HTTP/1.1 200 OK\r\nContent-Type: {pages_html()}\r\nConnection: close\r\n\r\n"
            handler.wfile.write(head.encode() + b"<html><body><!--")
            chunk = b"x" * 65536
            for _ in range(-(-size // len(chunk))):  # at least `size` bytes
                handler.wfile.write(chunk)
            return 200
        return write

    def _reset(self, kind, method, path, headers) -> Callable:
        status, out, body = self._normal(method, path, headers)

        def write(handler) -> int:
            handler.close_connection = True
            handler.wfile.write(_head(status, out) + body[: len(body) // 2])
            handler.wfile.flush()
            # SO_LINGER 0: close() sends RST instead of FIN, as a crashed server would.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return status
        return write

    def _truncated(self, kind, method, path, headers) -> Callable:
        status, out, body = self._normal(method, path, headers)
        out = [(k, str(2 * len(body)) if k == "Content-Length" else v) for k, v in out]

        def write(handler) -> int:
            handler.close_connection = True
            handler.wfile.write(_head(status, out) + body)
            return status
        return write

    def _stall(self, kind, method, path, headers) -> Callable:
        def write(handler) -> int:
            handler.close_connection = True
            time.sleep(min(self.stall, MAX_STALL))
            return 0
        return write

    # -- pagers --------------------------------------------------------------------
    def _pager(self, kind, section, page, method, headers):
        last = len(self._listing_pages(section)) - 1
        base = pages.PREFIX + section
        if page < last:
            return self._nolast(self._normal(method, f"{base}?page={page}" if page else base, headers))
        if kind == "offsite-pager":
            if page > last:
                return None
            status, out, body = self._normal(method, f"{base}?page={page}" if page else base, headers)
            body = _add_next(body, urljoin(self.offsite, f"{section}?page={page + 1}"))
            return self._nolast((status, _with_length(out, body), body))
        if page == last:
            status, out, body = self._normal(method, f"{base}?page={page}" if page else base, headers)
            body = _add_next(body, f"{base}?page={page + 1}")
            return self._nolast((status, _with_length(out, body), body))
        teasers = [pages.Teaser(f"{base}/trang-{page}-{n}", f"Tin số {page}-{n}", "01/01/2017", "", "")
                   for n in range(pages.ITEMS_PER_PAGE)]
        html = pages.listing_page(SECTION_NAMES[section], section, page, page + 2, teasers, self.site.sections())
        body = html.encode()
        return self._nolast((200, [("Content-Type", pages_html()), ("Content-Length", str(len(body)))], body))

    def _nolast(self, answer):
        if not self.nolast:
            return answer
        status, out, body = answer
        body = re.sub(rb'<li class="pager-last[^"]*">.*?</li>', b"", body)
        return status, _with_length(out, body), body


_OPTIONS = ("seed", "offsite", "retry_after", "stall", "oversized", "bomb")


def _parse_item(item: str) -> tuple[str, int, str | None]:
    kind, path = (item.split("@", 1) + [None])[:2] if "@" in item else (item, None)
    count = 1
    if path is None and ":" in kind:
        kind, number = kind.split(":", 1)
        if not number.isdigit() or int(number) < 1:
            raise FaultSpecError(f"{item}: the count after ':' must be a positive number")
        count = int(number)
    if kind not in FAULTS:
        raise FaultSpecError(f"{item}: unknown fault {kind!r} (known: {', '.join(FAULTS)})")
    return kind, count, path


def _read_options(options: dict[str, str]) -> dict:
    out: dict = {}
    try:
        if "offsite" in options:
            url = options["offsite"]
            if not re.match(r"https?://[^/]+", url):
                raise FaultSpecError(f"offsite={url}: not an http(s) URL")
            out["offsite"] = url if url.endswith("/") else url + "/"
        for name, key, kind in (("retry_after", "retry_after", int), ("stall", "stall", float),
                                ("oversized", "oversized_mb", int), ("bomb", "bomb_mb", int)):
            if name in options:
                out[key] = kind(options[name])
                if out[key] < 0:
                    raise FaultSpecError(f"{name}={options[name]}: must not be negative")
        if "seed" in options:
            int(options["seed"])
    except ValueError as exc:
        if isinstance(exc, FaultSpecError):
            raise
        raise FaultSpecError(f"bad option value ({exc})") from None
    if out.get("stall", 0) > MAX_STALL:
        raise FaultSpecError(f"stall={out['stall']:g}: at most {MAX_STALL:g} seconds")
    return out


def pages_html() -> str:
    return "text/html; charset=utf-8"


def _listing_path(section: str, page: int) -> str:
    return section if page == 0 else f"{section}?page={page}"


def _page_param(query: str) -> int:
    match = re.search(r"(?:^|&)page=(\d+)", query)
    return int(match.group(1)) if match else 0


def _add_next(body: bytes, href: str) -> bytes:
    """A 'next' link in the pager (a pager made if the page had none)."""
    item = f'<li class="pager-next"><a title="Đến trang tiếp" href="{href}">tiếp ›</a></li>'.encode()
    start = body.find(b'<ul class="pager">')
    if start >= 0:
        end = body.find(b"</ul>", start)
        return body if b"pager-next" in body[start:end] else body[:end] + item + body[end:]
    return body.replace(b'<div class="view-content">',
                        b'<h2 class="element-invisible">Pages</h2><div class="item-list"><ul class="pager">'
                        + item + b'</ul></div><div class="view-content">', 1)


def _with_length(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    return [(k, str(len(body)) if k == "Content-Length" else v) for k, v in headers]


def _head(status: int, headers: list[tuple[str, str]]) -> bytes:
    from http import HTTPStatus

    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", *(f"{k}: {v}" for k, v in headers),
             "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@lru_cache(maxsize=2)
def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of spaces, gzipped: about 1 KB on the wire per MB.

    Each MB is compressed once: after a full flush the compressor forgets
    what came before, so every further MB compresses to the same bytes.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, the gzip wrapper is ours
    start = b"<html><body>"
    chunk = b" " * 1_000_000
    head = compressor.compress(start) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(start)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    size = len(start) + megabytes * len(chunk)
    gzip_header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return (gzip_header + head + block * megabytes + compressor.flush()
            + struct.pack("<II", crc, size & 0xFFFFFFFF))
