"""Downloader middleware writing every HTTP exchange of a crawl to WARC."""

from __future__ import annotations

import errno
import json
import logging
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from .. import warc
from .extensions import stop_crawl

logger = logging.getLogger(__name__)


class WarcCaptureMiddleware:
    """Sits next to the downloader, so it sees the request as sent (with the
    User-Agent and Accept-Encoding the other middlewares added) and the
    response as received (before decompression)."""

    def __init__(self, crawler, writer: warc.WarcWriter):
        self.crawler = crawler
        self.writer = writer
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("LSARCHIVE_WARC_ENABLED", True):
            raise NotConfigured
        folder = settings.get("LSARCHIVE_WARC_DIR") or Path(settings.get("LSARCHIVE_DB")).parent / "warcs"
        info = {
            "operator": settings.get("LSARCHIVE_CONTACT_URL"),
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "description": "lsarchive crawl of " + str(settings.get("LSARCHIVE_SITE_URL") or "the portal"),
            "lsarchive-settings": json.dumps({
                name: settings.get(name) for name in (
                    "LSARCHIVE_POLITENESS", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_DELAY",
                    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
                )
            }),
        }
        writer = warc.WarcWriter(
            folder, prefix=settings.get("LSARCHIVE_WARC_PREFIX", "lsarchive"),
            max_size=settings.getint("LSARCHIVE_WARC_MAX_SIZE", warc.DEFAULT_MAX_SIZE), info=info,
        )
        return cls(crawler, writer)

    def process_response(self, request, response, spider=None):
        exchange = warc.Exchange(
            url=response.url,
            method=request.method,
            request_headers=_request_headers(request),
            request_body=request.body or b"",
            status=response.status,
            reason=_reason(response.status),
            response_headers=[
                (key.decode("latin-1"), value.decode("latin-1"))
                for key, values in response.headers.items() for value in values
            ],
            response_body=response.body,
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address else None,
        )
        try:
            name, offset = self.writer.write_exchange(exchange)
        except OSError as exc:
            # Without its capture a page must not be archived: stop the crawl
            # (the next run fetches it again), with one line saying why.
            self.stop_crawl(exc)
            raise IgnoreRequest(f"not captured: {exc}") from None
        request.meta["warc"] = {"file": name, "offset": offset}
        return response

    def stop_crawl(self, exc: OSError) -> None:
        full = exc.errno == errno.ENOSPC
        stop_crawl(self.crawler, f"failed: {'disk full' if full else exc.strerror or exc} writing {self.writer.folder}")

    def spider_closed(self, spider, reason):
        try:
            self.writer.close()
        except OSError as exc:  # the file stays .open; the next run repairs it
            logger.warning("could not close %s: %s", self.writer.path, exc.strerror or exc)


def _request_headers(request) -> list[tuple[str, str]]:
    from scrapy.utils.httpobj import urlparse_cached

    headers = [("Host", urlparse_cached(request).netloc)]
    headers += [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in request.headers.items() for value in values
    ]
    return headers


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
