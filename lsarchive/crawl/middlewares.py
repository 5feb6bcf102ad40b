"""Downloader middleware writing every HTTP exchange of a crawl to WARC."""

from __future__ import annotations

import errno
import json
import logging
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from warcio.archiveiterator import ArchiveIterator

from .. import content_coding, warc
from ..store.captures import latest_full_capture, open_readonly
from .extensions import stop_crawl

logger = logging.getLogger(__name__)

# Statuses that have no body: Twisted reports their length as 0 and Scrapy
# turns that into a Content-Length header the server did not send.
BODYLESS = (204, 304)
# The project's own contact address, used when the archivist gives none: it
# goes in the User-Agent, but the warcinfo `operator` names only a real archivist.
DEFAULT_CONTACT_PRIORITY = "project"


class WarcCaptureMiddleware:
    """Sits next to the downloader, so it sees the request as sent (with the
    User-Agent and Accept-Encoding the other middlewares added) and the
    response as received (before decompression).

    It also asks servers only for the content codings the archive can read
    back, and checks, once a response is written, that its body decodes.
    """

    def __init__(self, crawler, writer: warc.WarcWriter, *, dedupe: bool = True):
        self.crawler = crawler
        self.writer = writer
        self.dedupe = dedupe
        self.seen: dict[str, warc.Original] = {}  # payload digest -> its first capture
        self.archive = open_readonly(crawler.settings.get("LSARCHIVE_DB") or "archive.db")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("LSARCHIVE_WARC_ENABLED", True):
            raise NotConfigured
        folder = settings.get("LSARCHIVE_WARC_DIR") or Path(settings.get("LSARCHIVE_DB")).parent / "warcs"
        info = {
            "operator": contact_url(settings),
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
        return cls(crawler, writer, dedupe=settings.getbool("LSARCHIVE_WARC_DEDUPE", True))

    def process_request(self, request, spider=None):
        # WARC-Date is when the exchange began (WARC 1.1, 5.4), not when it was written.
        request.meta["warc_started"] = datetime.now(timezone.utc)
        request.headers["Accept-Encoding"] = content_coding.ACCEPT_ENCODING
        return None

    def process_response(self, request, response, spider=None):
        headers = [
            (key.decode("latin-1"), value.decode("latin-1"))
            for key, values in response.headers.items() for value in values
        ]
        if response.status in BODYLESS:
            headers = [(k, v) for k, v in headers if not (k.lower() == "content-length" and v == "0")]
        exchange = warc.Exchange(
            url=response.url,
            method=request.method,
            request_headers=_request_headers(request),
            request_body=request.body or b"",
            status=response.status,
            reason=_reason(response.status),
            response_headers=headers,
            response_body=response.body,
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address else None,
            started=request.meta.get("warc_started") or datetime.now(timezone.utc),
        )
        not_modified = response.status == 304
        original = self.original_of(exchange, not_modified)
        try:
            written = self.writer.write_exchange(exchange, revisit_of=original, not_modified=not_modified)
        except OSError as exc:
            # Without its capture a page must not be archived: stop the crawl
            # (the next run fetches it again), with one line saying why.
            self.stop_crawl(exc)
            raise IgnoreRequest(f"not captured: {exc}") from None
        if response.status == 200 and original is None:
            digest = warc.payload_digest(response.body)
            self.seen.setdefault(digest, warc.Original(response.url, written.date, written.record_id, digest))
        request.meta["warc"] = {"file": written.file, "offset": written.offset,
                                "date": exchange.started.replace(microsecond=0).isoformat()}
        return self.prove_decodable(request, response)

    # Revisits ------------------------------------------------------------------
    def original_of(self, exchange: warc.Exchange, not_modified: bool) -> warc.Original | None:
        """The full capture this response repeats, if the archive holds one."""
        if not_modified:
            return self.stored_capture(exchange.url)
        if not self.dedupe or exchange.status != 200 or not exchange.response_body:
            return None
        digest = warc.payload_digest(exchange.response_body)
        original = self.seen.get(digest)
        if original is None:
            original = self.stored_capture(exchange.url, digest)
            if original is not None:
                self.seen[digest] = original
        return original

    def stored_capture(self, url: str, digest: str | None = None) -> warc.Original | None:
        """The last full capture of `url` in an earlier run (with this payload, if given)."""
        if self.archive is None:
            return None
        where = latest_full_capture(self.archive, url)
        if where is None:
            return None
        path = self.writer.folder / where[0]
        try:
            with open(path, "rb") as handle:
                handle.seek(where[1])
                record = next(iter(ArchiveIterator(handle)))
                fields = dict(record.rec_headers.headers)
        except (OSError, StopIteration, ValueError) as exc:
            logger.debug("No usable capture of %s in %s: %s", url, path, exc)
            return None
        if digest and fields.get("WARC-Payload-Digest") != digest:
            return None
        if fields.get("WARC-Type") == "revisit" and fields.get("WARC-Refers-To-Target-URI"):
            # That capture was itself a revisit: point at the full capture it refers to.
            return warc.Original(fields["WARC-Refers-To-Target-URI"], fields.get("WARC-Refers-To-Date", ""),
                                 fields.get("WARC-Refers-To"), fields.get("WARC-Payload-Digest"))
        if fields.get("WARC-Type") != "response":
            return None
        return warc.Original(url, fields.get("WARC-Date", ""), fields.get("WARC-Record-ID"),
                             fields.get("WARC-Payload-Digest"))

    # Content codings ----------------------------------------------------------------
    def prove_decodable(self, request, response):
        """A stored body that the archive could not decode later is an error now."""
        encoding = response.headers.get("Content-Encoding")
        if not encoding or request.method == "HEAD":
            return response
        # Only proved, not kept; bounded as Scrapy bounds its own decompression.
        limit = request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE")) or None
        try:
            content_coding.decode(response.body, encoding.decode("latin-1"), limit=limit, keep=False)
            return response
        except content_coding.UndecodableContent as exc:
            if "more than" in str(exc):  # a decompression bomb: a page too large, like any other
                raise IgnoreRequest(f"DOWNLOAD_MAXSIZE: decompressed body {exc}") from None
            reason = f"stored body does not decode: {exc}"
            logger.warning("%s: %s", response.url, reason)
            request.meta["capture_error"] = reason
            self.crawler.stats.inc_value("lsarchive/undecodable_responses")
            # Passed on undecoded (as stored), marked, so that the error is recorded.
            response = response.replace()
            del response.headers["Content-Encoding"]
            return response

    def stop_crawl(self, exc: OSError) -> None:
        full = exc.errno == errno.ENOSPC
        stop_crawl(self.crawler, f"failed: {'disk full' if full else exc.strerror or exc} writing {self.writer.folder}")

    def spider_closed(self, spider, reason):
        try:
            self.writer.close()
        except OSError as exc:  # the file stays .open; the next run repairs it
            logger.warning("could not close %s: %s", self.writer.path, exc.strerror or exc)
        if self.archive is not None:
            self.archive.close()


def contact_url(settings) -> str | None:
    """The archivist's contact URL, if one was given (--contact-url, or the
    LSARCHIVE_CONTACT_URL setting above the project's default)."""
    from scrapy.settings import SETTINGS_PRIORITIES

    if settings.getpriority("LSARCHIVE_CONTACT_URL") > SETTINGS_PRIORITIES[DEFAULT_CONTACT_PRIORITY]:
        return settings.get("LSARCHIVE_CONTACT_URL") or None
    return None


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
