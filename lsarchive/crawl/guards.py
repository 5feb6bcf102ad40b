"""What keeps a crawl safe from a broken or hostile server.

- SiteScopeMiddleware: Scrapy's own off-site filtering, narrowed from the
  host name to the site: same host and port, under the base path (plus the
  host's /robots.txt). It applies to every request, dont_filter or not.
- RedirectGuardMiddleware: a redirect that leaves the site, or comes back
  to a URL of its own chain, fails the page it started from (and reaches
  its errback, so it is recorded) instead of being silently dropped when
  Scrapy re-schedules it.
- RetryAfterMiddleware: Scrapy's RetryMiddleware that waits what a 429 or
  503 asks in Retry-After, up to LSARCHIVE_RETRY_AFTER_MAX seconds; a
  server asking for longer is given up on at once.
- PagerBounds: when to stop following a section's pager.
- failure_reason: the (stage, reason) recorded for a request that failed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater

from ..clock import parse_http_date

logger = logging.getLogger(__name__)

FETCH, SIZE, OFFSITE = "fetch", "size", "offsite"
RETRY_AFTER_STATUSES = (429, 503)


def in_site(url: str, base_url: str) -> bool:
    """Same host and port as base_url, and under its path (or the host's robots.txt)."""
    parts, base = urlsplit(url), urlsplit(base_url)
    try:
        same_host = (parts.hostname or "") == (base.hostname or "") and parts.port == base.port
    except ValueError:  # a port that is not a number
        return False
    if not same_host or parts.scheme not in ("http", "https"):
        return False
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    return parts.path.startswith(base_path) or parts.path in (base_path.rstrip("/"), "/robots.txt")


def site_urls_of(crawler) -> list[str]:
    """The base URLs of the crawl's sites (several when one run walks several sub-sites)."""
    spider = crawler.spider
    urls = getattr(spider, "base_urls", None)
    if urls:
        return list(urls)
    return [spider.profile.base_url] if getattr(spider, "profile", None) else [
        crawler.settings.get("LSARCHIVE_SITE_URL", "")]


def in_crawl(url: str, crawler) -> bool:
    """Inside one of the crawl's sites."""
    return any(in_site(url, base_url) for base_url in site_urls_of(crawler))


class OffsiteRedirect(IgnoreRequest):
    """A redirect to a URL outside the site."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of the same redirect chain."""


class GaveUpRetryAfter(IgnoreRequest):
    """Retry-After asked for longer than the cap."""


class SiteScopeMiddleware(OffsiteMiddleware):
    """No request leaves the site: host, port and base path.

    Replaces Scrapy's OffsiteMiddleware (same place, same stats:
    offsite/filtered, offsite/domains); links out of the site are dropped
    when scheduled, as Scrapy does, and counted.
    """

    def should_follow(self, request, spider) -> bool:
        return super().should_follow(request, spider) and in_crawl(request.url, self.crawler)

    def process_request(self, request, spider=None) -> None:
        # Unlike Scrapy's, dont_filter does not exempt a request: it is used
        # for retries and conditional requests, never to leave the site.
        if request.meta.get("allow_offsite") or self.should_follow(request, self.crawler.spider):
            return
        host = urlparse_cached(request).netloc
        if host not in self.domains_seen:
            self.domains_seen.add(host)
            logger.info("Refused a request outside the site: %s", request.url)
            self.stats.inc_value("offsite/domains")
        self.stats.inc_value("offsite/filtered")
        raise IgnoreRequest(f"outside the site: {request.url}")


class RedirectGuardMiddleware:
    """Before Scrapy's RedirectMiddleware (a higher number: it sees responses first)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location) or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, location.decode("latin-1").strip()).split("#")[0]
        if not in_crawl(target, self.crawler):
            self.crawler.stats.inc_value("offsite/filtered")
            self.crawler.stats.inc_value("lsarchive/offsite_redirects")
            raise OffsiteRedirect(f"redirected outside the site, to {target}")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            self.crawler.stats.inc_value("lsarchive/redirect_loops")
            raise RedirectLoop(f"redirect loop: {' -> '.join(chain[-3:])} -> {target}")
        return response


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    when = parse_http_date(text)
    if when is None:
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting what Retry-After asks on 429 and 503.

    The wait holds this request only; the rest of the crawl goes on. A
    Retry-After over LSARCHIVE_RETRY_AFTER_MAX seconds gives the page up at
    once (recorded with that reason): a crawl does not hang for an hour.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("LSARCHIVE_RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request, response, spider=None):
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if (response.status not in RETRY_AFTER_STATUSES or wait is None
                or request.meta.get("dont_retry") or response.status not in self.retry_http_codes):
            return super().process_response(request, response)
        stats = self.crawler.stats
        if wait > self.max_wait:
            stats.inc_value("lsarchive/retry_after_over_cap")
            raise GaveUpRetryAfter(f"HTTP {response.status} with Retry-After {wait:.0f} s, "
                                   f"over the {self.max_wait:.0f} s cap")
        retry = self._retry(request, f"{response.status} Retry-After {wait:.0f} s")
        if retry is None:
            return response
        stats.inc_value("lsarchive/retry_after_waits")
        from twisted.internet import reactor  # the one Scrapy installed, so not at import time

        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry


def failure_reason(failure) -> tuple[str, str]:
    """(stage, reason) of a request that failed for good: one short line, no body."""
    error = failure.value
    if isinstance(error, HttpError):
        return FETCH, f"HTTP {error.response.status}"
    if isinstance(error, (GaveUpRetryAfter, RedirectLoop)):
        return FETCH, str(error)
    if isinstance(error, OffsiteRedirect) or (
            isinstance(error, IgnoreRequest) and str(error).startswith("outside the site")):
        return OFFSITE, str(error)
    if isinstance(error, DownloadCancelledError) or (
            isinstance(error, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(error)):
        return SIZE, "larger than the maximum page size (DOWNLOAD_MAXSIZE, --max-page-size)"
    message = str(error).splitlines()[0][:300] if str(error) else ""
    return FETCH, f"{type(error).__name__}: {message}" if message else type(error).__name__


class PagerBounds:
    """When a section's pager stops being followed (besides the site's scope).

    - past the last page the section's first page announced (Drupal's
      "last" link), when it announced one;
    - after `stale_pages` listing pages in a row that list no article URL
      of the site this crawl has not seen yet;
    - once `stale_pages` listing pages in a row list only URLs that failed
      (a trap listing made-up articles);
    - after `max_pages` listing pages of the section, whatever they list.
    """

    def __init__(self, max_pages: int = 1000, stale_pages: int = 3):
        self.max_pages = max_pages
        self.stale_pages = stale_pages
        self.seen: set[str] = set()
        self.failed: set[str] = set()
        self.pages: dict[str, int] = {}
        self.stale: dict[str, int] = {}
        self.last_page: dict[str, int] = {}
        self.listed: dict[str, list[set[str]]] = {}
        """Per section, the unseen article URLs each listing page gave, in order."""

    def note_failure(self, url: str | None) -> None:
        """An article URL that failed for good (after retries)."""
        if url is not None:
            self.failed.add(url)

    def why_stop(self, section: str, page: int, next_page: int, announced_last: int | None,
                 article_urls: list[str]) -> str | None:
        """None to follow the pager's next link, else why not."""
        if page == 0 and announced_last is not None:
            self.last_page.setdefault(section, announced_last)
        self.pages[section] = self.pages.get(section, 0) + 1
        unseen = {url for url in article_urls if url not in self.seen}
        self.seen.update(unseen)
        self.stale[section] = 0 if unseen else self.stale.get(section, 0) + 1
        listed = self.listed.setdefault(section, [])
        listed.append(unseen)
        last = self.last_page.get(section)
        if last is not None and next_page > last:
            return f"past the pager's last page ({last})"
        if self.stale[section] >= self.stale_pages:
            return f"{self.stale_pages} listing pages in a row with no new article"
        if self._dead_run(listed):
            return f"{self.stale_pages} listing pages in a row whose every article failed"
        if self.pages[section] >= self.max_pages:
            return f"{self.max_pages} listing pages (LSARCHIVE_MAX_LISTING_PAGES)"
        return None

    def _dead_run(self, listed: list[set[str]]) -> bool:
        # Only recent pages can start a run: earlier ones were checked before.
        run = 0
        for paths in listed[-(self.stale_pages + 4):]:
            run = run + 1 if paths and paths <= self.failed else 0
            if run >= self.stale_pages:
                return True
        return False
