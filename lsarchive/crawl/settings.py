"""Scrapy settings for lsarchive (scrapy.cfg points here).

Politeness is on by default: robots.txt is obeyed, robots' Crawl-delay is
honoured and AutoThrottle adapts to the server. The portal spider turns the
delays off for loopback hosts (the offline mirror), where nobody is burdened.
"""

from scrapy.settings import default_settings as _scrapy_defaults

from lsarchive import __version__

BOT_NAME = "lsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# `scrapy crawl` checks the site names first: one line for a wrong one, not a traceback.
COMMANDS_MODULE = "lsarchive.crawl.commands"

# Who we are and how to reach the archivist running the crawl. Set
# LSARCHIVE_CONTACT_URL (or --contact-url) before crawling a live site.
LSARCHIVE_CONTACT_URL = "https://github.com/lsarchive/lsarchive#contact"
USER_AGENT = f"lsarchive/{__version__} (+{LSARCHIVE_CONTACT_URL})"

# The archive; every command takes --db to change it.
LSARCHIVE_DB = "archive.db"
# "auto": polite to every host but loopback; "on": always; "off": never (warns).
LSARCHIVE_POLITENESS = "auto"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 10.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 10.0
# Scrapy would wait 0.5-1.5 x the delay; robots.txt's Crawl-delay is a floor,
# so the wait is never shorter than it. (The setting's name changed in Scrapy.)
if hasattr(_scrapy_defaults, "DOWNLOAD_DELAY_JITTER"):
    DOWNLOAD_DELAY_JITTER = 0
else:
    RANDOMIZE_DOWNLOAD_DELAY = False
# Set by `crawl --crawl-delay`: the seconds between two requests to a host,
# instead of robots.txt's Crawl-delay (None: robots.txt's, else the profile's).
LSARCHIVE_CRAWL_DELAY = None
# Scrapy spaces its sends by the delay; the server sees them spaced by the
# delay give or take the network's and its own scheduling jitter (tens of
# milliseconds on a busy machine). This margin keeps the gaps the server
# sees at or above the delay.
LSARCHIVE_DELAY_MARGIN = 0.05
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 3
COOKIES_ENABLED = False
# No way into a running crawl: no telnet console, and no remote-control web
# server (Scrapy 2.19 starts one by default and leaves its token in
# ~/.local/state/scrapy/job_files/ when the crawl is killed).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Bounded resources against broken or hostile servers (docs/reliability.md,
# "Hostile servers"). A page, or a gzip body once decompressed, over
# DOWNLOAD_MAXSIZE is given up on and recorded (stage "size"); crawl's
# --max-page-size changes it.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
# A 429 or 503 is retried after its Retry-After, if that is at most this
# many seconds; a longer one is given up on at once and recorded.
LSARCHIVE_RETRY_AFTER_MAX = 120
# A section's pager is followed at most this many pages, and stops earlier
# past the "last" page its first page announces, or after this many pages
# in a row listing no article the crawl has not seen.
LSARCHIVE_MAX_LISTING_PAGES = 1000
LSARCHIVE_PAGER_STALE_PAGES = 3
REFERER_ENABLED = True
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "vi,en;q=0.5",
}
# A breadth-first crawl keeps the request queue small and the memory flat.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

ITEM_PIPELINES = {
    "lsarchive.crawl.pipelines.ExtractPipeline": 300,
    "lsarchive.crawl.pipelines.ArchivePipeline": 800,
}
EXTENSIONS = {
    "lsarchive.crawl.extensions.RobotsCrawlDelay": 100,
    "lsarchive.crawl.extensions.CrawlProgress": 500,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Every HTTP exchange goes to WARC (warcs/ beside the archive unless
# LSARCHIVE_WARC_DIR says otherwise), rotated at LSARCHIVE_WARC_MAX_SIZE bytes.
LSARCHIVE_WARC_ENABLED = True
LSARCHIVE_WARC_MAX_SIZE = 1_000_000_000
# `crawl --mirror`: the mirror on 127.0.0.1 as the portal's HTTP proxy.
LSARCHIVE_PROXY = None
# Theme stylesheets, scripts and images, once per run, so that replay shows the page as it looked.
SPIDER_MIDDLEWARES = {
    "lsarchive.crawl.requisites.PageRequisitesMiddleware": 700,
}
DOWNLOADER_MIDDLEWARES = {
    # Before Scrapy's HttpProxyMiddleware (750), which does the proxying.
    "lsarchive.crawl.proxy.MirrorProxyMiddleware": 740,
    # Next to the downloader (above HttpCompressionMiddleware's 590), so
    # responses are captured exactly as received.
    "lsarchive.crawl.middlewares.WarcCaptureMiddleware": 950,
    # Scrapy's off-site filter, narrowed to the site's host, port and base path.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "lsarchive.crawl.guards.SiteScopeMiddleware": 50,
    # Scrapy's retries, honouring Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "lsarchive.crawl.guards.RetryAfterMiddleware": 550,
    # Sees redirects before RedirectMiddleware (600) follows them.
    "lsarchive.crawl.guards.RedirectGuardMiddleware": 610,
}
