"""A small, polite client of CDX server APIs (the Wayback Machine's, pywb's, Arquivo.pt's...).

Why not cdx-toolkit (0.9.39, tried against a local pywb): it pages with
`page=0, 1, 2...`, which only ZipNum indexes (the Wayback Machine, Common
Crawl) answer; a pywb collection over plain CDXJ ignores `page` and answers
every page with the same captures, so its iterator never ends (7 pages of
the same 3 captures in 20 s, and on). It also waits out 429/503 on its own
fixed doubling, ignoring Retry-After, and paces per host from a module-wide
table. What we need is two GET forms and one limiter, so it is written here
on urllib:

- the query: `url=<prefix>&matchType=prefix&output=json`, paged with
  `showResumeKey=true&limit=N&resumeKey=...` where the server pages (the
  Wayback Machine); a server that ignores those (pywb) answers everything at
  once in newline-delimited JSON;
- the capture's raw bytes: `<replay prefix>/<timestamp>id_/<original>`.

Every request (queries and fetches alike) goes through one `Polite` limiter:
at most `rate` requests per second, 429 and 503 waited out (Retry-After when
the server gives it, else doubling pauses), any other failure reported.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

from .clock import parse_http_date

PAGE_SIZE = 5000
BUSY = (429, 503)
MAX_WAIT = 600.0  # seconds: a Retry-After beyond this is capped (the run can be resumed later)


class Unreachable(Exception):
    """The server could not be reached (no network, refused, DNS)."""


class GaveUp(Exception):
    """The server kept answering 429/503, or answered with an error."""


@dataclass(frozen=True)
class CdxCapture:
    original: str
    timestamp: str  # 14 digits
    mimetype: str
    status: int | None  # None for revisits/warc records without one ("-")
    digest: str


class Polite:
    """One request at a time, at most `rate` per second, busy answers waited out."""

    def __init__(self, rate: float, user_agent: str, *, retries: int = 6, timeout: float = 60,
                 sleep=time.sleep, clock=time.monotonic):
        self.interval = 1.0 / rate
        self.user_agent = user_agent
        self.retries = retries
        self.timeout = timeout
        self.sleep, self.clock = sleep, clock
        self.last_start: float | None = None
        self.requests = 0
        self.waits = 0  # 429/503 answers waited out

    def _pace(self, at_least: float = 0.0) -> None:
        now = self.clock()
        ready = max((self.last_start + self.interval) if self.last_start is not None else now, now + at_least)
        if ready > now:
            self.sleep(ready - now)
        self.last_start = self.clock()
        self.requests += 1

    def get(self, url: str, *, redirects: int = 3) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of a GET; 404 and other answers are returned, not raised.
        Redirects (a Wayback's nearest capture) are followed here, so they are paced too."""
        pause, attempt = 0.0, 0
        while True:
            self._pace(pause)
            status, headers, body = self._once(url)
            location = headers.get("Location")
            if status in (301, 302, 303, 307, 308) and location and redirects > 0:
                url, redirects, pause = urllib.parse.urljoin(url, location), redirects - 1, 0.0
                continue
            if status not in BUSY:
                return status, headers, body
            if attempt >= self.retries:
                raise GaveUp(f"{url}: HTTP {status} after {self.retries} retries")
            self.waits += 1
            pause = retry_after(headers.get("Retry-After")) or min(MAX_WAIT, 5.0 * 2 ** attempt)
            attempt += 1

    def _once(self, url: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers.items()), exc.read()
        except (urllib.error.URLError, OSError) as exc:
            raise Unreachable(f"{urllib.parse.urlsplit(url).netloc}: {getattr(exc, 'reason', exc)}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # Polite.get follows them, each one paced


_OPENER = urllib.request.build_opener(_NoRedirect)


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(MAX_WAIT, float(value))
    moment = parse_http_date(value)
    if moment is None:
        return None
    return min(MAX_WAIT, max(0.0, (moment - datetime.now(timezone.utc)).total_seconds()))


def replay_prefix(cdx_url: str) -> str:
    """Where a CDX server's captures are replayed: the Wayback Machine's /cdx/search/cdx
    → /web; a pywb collection's /<coll>/cdx → /<coll>."""
    base = cdx_url.split("?")[0].rstrip("/")
    if base.endswith("/cdx/search/cdx"):
        return base[: -len("/cdx/search/cdx")] + "/web"
    if base.endswith("/cdx"):
        return base[: -len("/cdx")]
    return base


def raw_url(prefix: str, capture: CdxCapture) -> str:
    """The capture as it was archived, without any rewriting (`id_`)."""
    return f"{prefix.rstrip('/')}/{capture.timestamp}id_/{capture.original}"


def list_captures(polite: Polite, cdx_url: str, url_prefix: str, *, year_from: int | None = None,
                  year_to: int | None = None):
    """Every capture the server lists under `url_prefix`, page after page."""
    # No `fl`: pywb names the fields otherwise (url, mime, status) and ignores
    # names it does not know; both servers' default fields are all we read.
    params = {"url": url_prefix, "matchType": "prefix", "output": "json",
              "showResumeKey": "true", "limit": str(PAGE_SIZE)}
    if year_from:
        params["from"] = str(year_from)
    if year_to:
        params["to"] = str(year_to)
    resume = None
    while True:
        query = dict(params, **({"resumeKey": resume} if resume else {}))
        status, _, body = polite.get(cdx_url + "?" + urllib.parse.urlencode(query))
        if status == 404 and b"no captures" in body.lower():
            return  # some pywb versions: nothing captured under the prefix
        if status != 200:
            raise GaveUp(f"CDX server answered HTTP {status}: {body[:200].decode('utf-8', 'replace')}")
        rows, resume = parse_page(body)
        if not resume and len(rows) >= PAGE_SIZE and "limit" in params:
            # A server that cut the answer at the limit but gives no resume key
            # (pywb over CDXJ) answers everything when asked without a limit.
            del params["limit"], params["showResumeKey"]
            continue
        for row in rows:
            capture = _capture(row)
            if capture and _in_years(capture.timestamp, year_from, year_to):
                yield capture
        if not resume:
            return


def parse_page(body: bytes) -> tuple[list[dict], str | None]:
    """Rows of one answer and its resume key: the Wayback Machine's JSON array
    (a header row, rows, an empty row, [resumeKey]) or pywb's one object per line."""
    text = body.decode("utf-8").strip()
    if not text:
        return [], None
    if text.startswith("["):
        table = json.loads(text)
        if not table:
            return [], None
        header, rows, resume = table[0], [], None
        for index, row in enumerate(table[1:], 1):
            if not row:  # the empty row before the resume key
                following = table[index + 1:]
                resume = following[0][0] if following and following[0] else None
                break
            rows.append(dict(zip(header, row)))
        return rows, resume
    return [json.loads(line) for line in text.splitlines() if line.strip()], None


def _capture(row: dict) -> CdxCapture | None:
    original, stamp = row.get("original") or row.get("url"), str(row.get("timestamp", ""))
    if not original or len(stamp) != 14 or not stamp.isdigit():
        return None
    status = str(row.get("statuscode") or row.get("status") or "-")
    return CdxCapture(original=original, timestamp=stamp, mimetype=str(row.get("mimetype") or row.get("mime") or ""),
                      status=int(status) if status.isdigit() else None, digest=str(row.get("digest") or ""))


def _in_years(stamp: str, year_from: int | None, year_to: int | None) -> bool:
    year = int(stamp[:4])
    return (year_from is None or year >= year_from) and (year_to is None or year <= year_to)
