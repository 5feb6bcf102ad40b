"""Pages played back by a Wayback-style archive, turned back into the original.

Replay URLs wrap the original: `<archive>/<prefix>/<timestamp>[modifier]/<original URL>`,
on web.archive.org (`/web/`), wayback.archive-it.org (`/<collection number>/`),
arquivo.pt (`/wayback/`), a pywb collection (`/<collection>/`) or any other
host. The modifier says how the capture was played back: `id_` as captured,
`if_`, `mp_`, `fw_` in frames, `im_` / `oe_` / `cs_` / `js_` for images,
embeds, CSS and scripts, none for the rewritten page with a banner.

`unwrap` returns the original URL, the capture time (Memento-Datetime, else
the 14-digit timestamp) and, for a rewritten page, the HTML without the
archive's additions: every link, image, canonical and shortlink back to the
original URL, the toolbar or banner and the scripts the replay inserts in the
head removed. The original's own headers, which Wayback passes as
`X-Archive-Orig-*`, stand in for the archive's where they say something
about the page (Last-Modified, ETag, Content-Type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from .clock import as_utc, parse_http_date

# <scheme>://<host>/<prefix...>/<timestamp><modifier>/<original>
_REPLAY = re.compile(
    r"^(?P<origin>https?://[^/]+)(?P<prefix>(?:/[^/?#]+)*?)/(?P<stamp>\d{4,14})"
    r"(?P<modifier>[a-z]{2}_|\*)?/+(?P<original>(?:https?:/+|//)?[^/?#]+\.[^/?#]+.*)$",
    re.IGNORECASE,
)
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$)")
_DEFAULT_PORTS = {"http": 80, "https": 443}

# What replay tools insert into a page (Wayback Machine, Archive-It, pywb, OpenWayback).
_INSERTS = [
    re.compile(rb"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S | re.I),
    re.compile(rb"<script[^>]*(?:archive\.org/includes|_static/js)[^>]*>\s*</script>.*?"
               rb"<!--\s*End Wayback Rewrite JS Include\s*-->", re.S | re.I),
    re.compile(rb"<!--\s*WB Insert\s*-->.*?<!--\s*End WB Insert\s*-->", re.S | re.I),
    re.compile(rb"<!--\s*FILE ARCHIVED ON .*?-->", re.S | re.I),
    re.compile(rb"<!--\s*playback timings.*?-->", re.S | re.I),
]
# Headers of the original that a Wayback puts under X-Archive-Orig-*; Content-Encoding
# and the lengths describe the original transfer, not the bytes replayed.
_ORIGINAL_HEADERS = ("last-modified", "etag", "content-type", "date")


@dataclass
class Replayed:
    url: str  # the original URL
    captured_at: str | None  # ISO 8601 UTC, seconds, +00:00; None if the URL says nothing
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    archive: str | None = None  # the replay prefix, e.g. https://web.archive.org/web


def normalize_url(url: str) -> str:
    """Default ports dropped, scheme and host in lower case."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return url
    host = parts.hostname
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}{':' + parts.password if parts.password else ''}@{host}"
    return urlunsplit((parts.scheme.lower(), host, parts.path, parts.query, parts.fragment))


def split_replay_url(url: str) -> tuple[str, str, str] | None:
    """(archive prefix, timestamp, original URL) of a replay URL, or None."""
    match = _REPLAY.match(url.strip().strip("<>"))
    if not match:
        return None
    original = match["original"]
    # A path like /tin-tuc/2017/bai.html is no replay URL: without a scheme the
    # original must follow a full 14-digit timestamp and begin with a host name.
    has_scheme = re.match(r"^(https?:/|//)", original, re.I)
    if not has_scheme and (len(match["stamp"]) != 14 or not _HOST.match(original)):
        return None
    original = re.sub(r"^(https?):/+", r"\1://", original, flags=re.I)
    if original.startswith("//"):
        original = urlsplit(match["origin"]).scheme + ":" + original
    elif not re.match(r"^https?://", original, re.I):
        original = "http://" + original
    return match["origin"] + match["prefix"], match["stamp"], normalize_url(original)


def original_url(url: str) -> str:
    """The original URL of a replay URL; any other URL, normalised."""
    url = url.strip().strip("<>")
    split = split_replay_url(url)
    return split[2] if split else normalize_url(url)


def stamp_time(stamp: str) -> str | None:
    """A 14-digit Wayback timestamp as ISO 8601 UTC; None when it is shorter (a date range)."""
    if len(stamp) != 14:
        return None
    try:
        moment = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return moment.isoformat(timespec="seconds")


def memento_time(value: str | None) -> str | None:
    """A Memento-Datetime (an HTTP date) in the archive's one format, or None."""
    moment = parse_http_date(value) if value else None
    return as_utc(moment) if moment else None


def unwrap(url: str, body: bytes, headers: dict[str, str] | None = None) -> Replayed:
    """The original page behind a (possibly) replayed one."""
    headers = dict(headers or {})
    split = split_replay_url(url)
    if split is None:
        return Replayed(normalize_url(url), memento_time(_header(headers, "Memento-Datetime")), body, headers)
    archive, stamp, original = split
    captured_at = memento_time(_header(headers, "Memento-Datetime")) or stamp_time(stamp)
    return Replayed(original, captured_at, unrewrite(body, archive), _original_headers(headers), archive)


def unrewrite(body: bytes, archive: str) -> bytes:
    """HTML played back under `archive` (scheme://host/prefix) as the original served it."""
    for insert in _INSERTS:
        body = insert.sub(b"", body)
    parts = urlsplit(archive)
    host, prefix = re.escape(parts.netloc.encode()), re.escape(parts.path.encode())
    # absolute, scheme-relative and root-relative forms of <archive>/<timestamp><modifier>/
    wrapped = re.compile(rb"(?:(?:https?:)?//" + host + rb")?" + prefix
                         + rb"/\d{1,14}(?:[a-z]{2}_|\*)?/(?=(?:https?:|//|[\w.-]+\.\w))", re.I)
    body = wrapped.sub(b"", body)
    # The Wayback Machine also writes originals with one slash ("http:/host"): mend them.
    return re.sub(rb"(?<=[\"'(=\s])(https?:)/(?=[^/])", rb"\1//", body)


def _header(headers: dict[str, str], name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers.items() if k.lower() == name), None)


def _original_headers(headers: dict[str, str]) -> dict[str, str]:
    merged = {k: v for k, v in headers.items() if not k.lower().startswith("x-archive-orig-")}
    for key, value in headers.items():
        name = key.lower().removeprefix("x-archive-orig-")
        if key.lower().startswith("x-archive-orig-") and name in _ORIGINAL_HEADERS:
            for existing in [k for k in merged if k.lower() == name]:
                if name != "content-type":
                    del merged[existing]  # the replay's own Date / ETag say nothing of the original
            if name != "content-type" or _header(merged, "content-type") is None:
                merged[key[len("x-archive-orig-"):]] = value
    return merged
