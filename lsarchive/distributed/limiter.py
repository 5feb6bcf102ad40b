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

AutoThrottle, fleet-wide: Scrapy's AutoThrottle adapts one process's delay
to the server's latency, which says nothing of the other workers' requests.
So each worker reports every response's download latency to one per-host
delay in Redis (`lsarchive:host:HOST:throttle`), updated atomically with
AutoThrottle's own rule (half-way towards latency / target concurrency, never
below that target, not lowered by a response other than 200), and the
reservation spaces requests by the larger of that delay and the Crawl-delay.
A server that slows down under the fleet's load is thus given more room by
every worker; one that answers fast never gets less than its Crawl-delay.
The throttle starts at the Crawl-delay (not at AUTOTHROTTLE_START_DELAY: the
Crawl-delay is what the site asked for) and is bounded by
AUTOTHROTTLE_MAX_DELAY; AUTOTHROTTLE_TARGET_CONCURRENCY counts the fleet's
requests in flight to the host, not one worker's. A raised delay spaces
the reservations made from then on; those made before keep theirs.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached

from .fleet import Keys

logger = logging.getLogger(__name__)

# KEYS: next-allowed time, recent requests, known hosts, throttle delay.
# ARGV: delay (ms; 0 when politeness is off), a unique member, host, margin
# (ms). Returns how many ms to wait before sending.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local delay = tonumber(ARGV[1])
local at = now
if delay > 0 then
  local throttle = tonumber(redis.call('get', KEYS[4]) or '0')
  if throttle > delay then delay = throttle end
  delay = delay + tonumber(ARGV[4])
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


# KEYS: the host's throttle delay (ms). ARGV: latency (ms), Crawl-delay (ms,
# the floor and the start), AUTOTHROTTLE_MAX_DELAY (ms), target concurrency,
# HTTP status. Scrapy's AutoThrottle rule (scrapy/extensions/throttle.py), on
# one delay for the fleet. Returns the new delay (ms).
_OBSERVE = """
local floor = tonumber(ARGV[2])
local current = tonumber(redis.call('get', KEYS[1]) or ARGV[2])
local target = tonumber(ARGV[1]) / tonumber(ARGV[4])
local new = math.max(target, (current + target) / 2)
new = math.min(math.max(floor, new), tonumber(ARGV[3]))
if ARGV[5] ~= '200' and new <= current then return math.floor(current) end
redis.call('set', KEYS[1], tostring(math.floor(new)), 'EX', 3600)
return math.floor(new)
"""


def observe_latency(script, host: str, latency: float, *, crawl_delay: float, max_delay: float,
                    target_concurrency: float, status: int) -> float:
    """One response's latency into the host's fleet-wide throttle delay (seconds)."""
    return script(keys=[Keys.throttle(host)],
                  args=[int(latency * 1000), int(crawl_delay * 1000), int(max_delay * 1000),
                        target_concurrency, status]) / 1000


class HostLimiter:
    """Downloader middleware: wait for the host's turn, fleet-wide."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.override = settings.getfloat("LSARCHIVE_CRAWL_DELAY", -1.0)
        self.default_delay = settings.getfloat("LSARCHIVE_FLEET_DOWNLOAD_DELAY", 10.0)
        self.margin = settings.getfloat("LSARCHIVE_FLEET_MARGIN", 0.05)
        self.autothrottle = settings.getbool("LSARCHIVE_FLEET_AUTOTHROTTLE", True)
        self.max_delay = settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0)
        self.target_concurrency = settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY", 1.0)
        self.observe_script = None
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
        delay_ms = int(round(delay * 1000)) if delay > 0 else 0
        keys = [Keys.next_allowed(host), Keys.recent(host), Keys.HOSTS, Keys.throttle(host)]
        args = [delay_ms, f"{fleet.worker}:{next(self.counter)}", host, int(round(self.margin * 1000))]
        wait_ms = self.script(keys=keys, args=args)
        if wait_ms > 0:
            await asyncio.sleep(wait_ms / 1000)
        return None

    def process_response(self, request, response, spider=None):
        latency = request.meta.get("download_latency")
        host = urlparse_cached(request).hostname or ""
        delay = self.delay_for(host)
        fleet = getattr(self.crawler, "lsarchive_fleet", None)
        if (fleet is None or not self.autothrottle or delay <= 0 or latency is None
                or request.meta.get("autothrottle_dont_adjust_delay")):
            return response
        if self.observe_script is None:
            self.observe_script = fleet.client.register_script(_OBSERVE)
        observe_latency(self.observe_script, host, latency, crawl_delay=delay, max_delay=self.max_delay,
                        target_concurrency=self.target_concurrency, status=response.status)
        return response
