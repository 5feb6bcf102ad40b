"""One politeness budget per host for the whole fleet.

Scrapy spaces requests per download slot inside one process; scrapy-redis
does not coordinate delays between processes. So before each request a
worker reserves the host's next free moment in Redis, atomically (a Lua
script on Redis's own clock: workers on several machines need no synchronised
clocks), and waits until then. Requests to one host are thus at least the
delay apart, whatever the number of workers.

The delay is robots.txt's Crawl-delay for our User-Agent (or the profile's
default), else DOWNLOAD_DELAY; `crawl --crawl-delay S` overrides both (for a
site owner's explicit consent, or the tests). Reservations are spaced by the
delay plus a margin (LSARCHIVE_FLEET_MARGIN, 50 ms): a worker sends its
request a little after its reserved moment when its event loop is busy
(extracting a page), which would bring it closer to the next worker's; the
margin keeps the delay a minimum as the server sees it. At a Crawl-delay of
10 s it costs 0.5 % of the rate. With politeness off (the
mirror on loopback), nothing waits, but every request is still counted for
`lsarchive status`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached

from .fleet import Keys

logger = logging.getLogger(__name__)

# KEYS: next-allowed time, recent requests, known hosts. ARGV: delay (ms), a
# unique member, host. Returns how many ms to wait before sending.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local delay = tonumber(ARGV[1])
local at = now
if delay > 0 then
  local nxt = tonumber(redis.call('get', KEYS[1]) or '0')
  if nxt > at then at = nxt end
  redis.call('set', KEYS[1], at + delay, 'PX', at + delay - now + 60000)
end
redis.call('zadd', KEYS[2], at, ARGV[2])
redis.call('zremrangebyscore', KEYS[2], '-inf', now - 60000)
redis.call('pexpire', KEYS[2], 120000)
redis.call('sadd', KEYS[3], ARGV[3])
return at - now
"""


class HostLimiter:
    """Downloader middleware: wait for the host's turn, fleet-wide."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.override = settings.getfloat("LSARCHIVE_CRAWL_DELAY", -1.0)
        self.default_delay = settings.getfloat("LSARCHIVE_FLEET_DOWNLOAD_DELAY", 10.0)
        self.margin = settings.getfloat("LSARCHIVE_FLEET_MARGIN", 0.05)
        self.delays: dict[str, float] = {}  # host -> robots.txt Crawl-delay
        self.counter = itertools.count()
        self.script = None
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request):
        delay = robotparser.crawl_delay(self.crawler.settings.get("USER_AGENT", ""))
        if delay is None:
            delay = getattr(getattr(self.crawler.spider, "profile", None), "crawl_delay_default", None)
        host = urlparse_cached(request).hostname or ""
        if delay is not None:
            self.delays[host] = float(delay)
        logger.info("fleet delay for %s: %.2f s", host, self.delay_for(host))

    def delay_for(self, host: str) -> float:
        if not getattr(self.crawler.spider, "polite", True):
            return 0.0
        if self.override >= 0:
            return self.override
        return self.delays.get(host, self.default_delay)

    async def process_request(self, request, spider=None):
        fleet = getattr(self.crawler, "lsarchive_fleet", None)
        if fleet is None:  # the scheduler has not joined (not a worker)
            return None
        if self.script is None:
            self.script = fleet.client.register_script(_RESERVE)
        host = urlparse_cached(request).hostname or ""
        delay = self.delay_for(host)
        delay_ms = int(round((delay + self.margin) * 1000)) if delay > 0 else 0
        wait_ms = self.script(keys=[Keys.next_allowed(host), Keys.recent(host), Keys.HOSTS],
                              args=[delay_ms, f"{fleet.worker}:{next(self.counter)}", host])
        if wait_ms > 0:
            await asyncio.sleep(wait_ms / 1000)
        return None
