"""Scrapy extensions: robots.txt Crawl-delay, and progress on the terminal."""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached


class RobotsCrawlDelay:
    """Honour robots.txt's Crawl-delay, which Scrapy's RobotsTxtMiddleware reads
    but does not apply.

    When robots.txt is parsed, the host's download slot gets the delay as its
    minimum, and so does AutoThrottle, which would otherwise lower it.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request):
        spider = self.crawler.spider
        if not getattr(spider, "polite", True):
            return
        user_agent = self.crawler.settings.get("USER_AGENT", "")
        chosen = self.crawler.settings.get("LSARCHIVE_CRAWL_DELAY")
        delay = float(chosen) if chosen is not None else robotparser.crawl_delay(user_agent)
        if delay is None:
            delay = getattr(getattr(spider, "profile", None), "crawl_delay_default", None)
        if not delay:
            return
        margin = self.crawler.settings.getfloat("LSARCHIVE_DELAY_MARGIN")
        spider.crawl_delay = delay = float(delay)
        spider.logger.info("robots.txt Crawl-delay for %s: %.1f s", urlparse_cached(request).hostname, delay)
        delay += margin  # so that the server never sees two requests closer than the delay
        downloader = self.crawler.engine.downloader
        host = urlparse_cached(request).hostname or ""
        slot = downloader.slots.get(host)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, AutoThrottle):
                extension.mindelay = max(extension.mindelay, delay)


class QuietLog:
    """Without -v, every logged problem is one line: no tracebacks, no page bodies.

    Scrapy (re)installs its log handler after it creates the extensions, so
    this swaps the handler's formatter when the engine starts.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def engine_started(self):
        for handler in logging.getLogger().handlers:
            if handler.formatter is not None and not isinstance(handler.formatter, OneLineFormatter):
                handler.setFormatter(OneLineFormatter(handler.formatter._fmt, handler.formatter.datefmt))
                handler.addFilter(self.while_running)

    def while_running(self, record: logging.LogRecord) -> bool:
        """Once the crawl is failing (stop_crawl), the rest is the same failure
        again: the command's last line says it once."""
        return getattr(self.crawler, "lsarchive_failure", None) is None


def stop_crawl(crawler, reason: str) -> None:
    """Close the spider, once, because it cannot go on (disk full, I/O error).

    `reason` is "failed: WHY": the run is recorded failed with WHY, and
    `lsarchive crawl` ends with one line saying it. What was stored is whole.
    """
    if getattr(crawler, "lsarchive_failure", None):
        return
    logging.getLogger(__name__).info("stopping the crawl: %s", reason)
    crawler.lsarchive_failure = reason
    deferred_from_coro(crawler.engine.close_spider_async(reason=reason))


class OneLineFormatter(logging.Formatter):
    """A record's first line, with the exception's type and message instead of a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        exc_info, exc_text, stack_info = record.exc_info, record.exc_text, record.stack_info
        summary = ""
        if exc_info and exc_info[1] is not None:
            summary = f" ({type(exc_info[1]).__name__}: {str(exc_info[1]).splitlines()[0] if str(exc_info[1]) else ''})"
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            lines = super().format(record).splitlines() or [""]
            return (lines[0] + summary)[:500]
        finally:
            record.exc_info, record.exc_text, record.stack_info = exc_info, exc_text, stack_info


class CrawlProgress:
    """One status line on stderr every few seconds: pages fetched, articles
    archived, errors, rate and, once the listings announce their size, time left.

    On by default for `lsarchive crawl` (LSARCHIVE_PROGRESS), quiet otherwise.
    """

    def __init__(self, crawler, interval: float, stream=sys.stderr):
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.last_shown = 0.0
        crawler.signals.connect(self.tick, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("LSARCHIVE_PROGRESS", False):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("LSARCHIVE_PROGRESS_INTERVAL", 2.0))

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self.last_shown >= self.interval:
            self.last_shown = now
            self.show(final=False)

    def spider_closed(self, spider, reason):
        self.show(final=True)

    def show(self, final: bool):
        line = self.status_line(time.monotonic() - self.started)
        end = "\n" if final or not self.stream.isatty() else "\r"
        self.stream.write(("\r" if self.stream.isatty() else "") + line + end)
        self.stream.flush()

    def status_line(self, elapsed: float) -> str:
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0)
        archived = stats.get_value("lsarchive/articles_archived", 0)
        errors = stats.get_value("lsarchive/extraction_errors", 0) + stats.get_value(
            "lsarchive/fetch_errors", 0
        )
        rate = pages / elapsed if elapsed > 0 else 0.0
        line = (
            f"pages {pages:,} · articles {archived:,} · errors {errors:,} · "
            f"{rate:,.1f} pages/s · {format_duration(elapsed)}"
        )
        expected = getattr(self.crawler.spider, "expected_articles", 0)
        seen = stats.get_value("lsarchive/articles_seen", 0)
        if expected and seen and elapsed > 0:
            remaining = max(expected - seen, 0)
            left = remaining / (seen / elapsed)
            line += f" · ~{format_duration(left)} left"
        return line


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
