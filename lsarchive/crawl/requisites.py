"""Page requisites: the theme's stylesheets, scripts, icons and images.

A replay of an archived page needs what the page loads besides its text, as
Heritrix, Browsertrix and `wget -p` capture it. This spider middleware looks
at every HTML page the spider fetches and asks, once per run, for each theme
resource on the site it has not asked for yet (and for what the stylesheets
load with url(...)): a handful of files a run, whatever the site's size. They are fetched through the downloader, so
WarcCaptureMiddleware writes them to WARC like everything else; one that did
not change since an earlier run becomes a revisit record there, which keeps
them deduplicated across runs. Each is recorded in `pages` (kind
`requisite`) so that a later run finds its capture.

Content images are not requisites: an article's images and documents are
media (the spider fetches them), and listing thumbnails are left out.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK

from .items import PageItem

logger = logging.getLogger(__name__)

REQUISITE = "requisite"
CSS_URL = re.compile(rb"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
# Drupal's listings (views) hold the teasers' thumbnails: content, not theme.
CONTENT_CSS = (".view-content",)
PAGE_SELECTORS = (
    "link[rel~=stylesheet]::attr(href)",
    "link[rel~=icon]::attr(href)",
    "script::attr(src)",
    "img::attr(src)",
    "input[type=image]::attr(src)",
)


class PageRequisitesMiddleware:
    def __init__(self, crawler, limit: int):
        self.crawler = crawler
        self.limit = limit
        self.asked: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("LSARCHIVE_REQUISITES", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.getint("LSARCHIVE_REQUISITES_LIMIT", 500))

    async def process_spider_output_async(self, response: Response, result, spider=None):
        async for output in result:
            yield output
        if isinstance(response, HtmlResponse) and response.status == 200:
            async for item in self.fetch(self.page_requisites(response)):
                yield item

    def process_spider_output(self, response, result, spider=None):  # without async support: no requisites
        yield from result

    def page_requisites(self, response: HtmlResponse) -> list[str]:
        """The theme's resources on this page: not the images of its content
        (an article's node, a listing's teasers), which change from page to page."""
        profile = self.crawler.spider.profile
        content = set()
        for css in (profile.node_css, *profile.body_css, *CONTENT_CSS):
            for region in response.css(css):
                content.update(region.css("img::attr(src)").getall())
        urls = []
        for selector in PAGE_SELECTORS:
            urls += [src for src in response.css(selector).getall()
                     if not (selector.startswith(("img", "input")) and src in content)]
        return [response.urljoin(url.strip()) for url in urls if url.strip()]

    async def fetch(self, urls: list[str]):
        """Download each new requisite on the site; stylesheets bring theirs."""
        profile = self.crawler.spider.profile
        queue = list(urls)
        while queue:
            url = queue.pop(0).split("#")[0]
            if url in self.asked or len(self.asked) >= self.limit or profile.site_path(url) is None \
                    or not url.startswith(("http://", "https://")):
                continue
            self.asked.add(url)
            request = Request(url, callback=NO_CALLBACK, meta={"lsarchive_requisite": True})
            try:
                response = await self.crawler.engine.download_async(request)
            except IgnoreRequest:
                continue
            except Exception as exc:  # a requisite that cannot be fetched costs its replay only
                logger.info("Requisite %s not captured: %s", url, exc)
                self.crawler.stats.inc_value("lsarchive/requisite_errors")
                continue
            self.crawler.stats.inc_value("lsarchive/requisites")
            if response.status == 200 and b"css" in (response.headers.get("Content-Type") or b""):
                queue += [urljoin(response.url, ref.decode("latin-1")) for ref in CSS_URL.findall(response.body)
                          if not ref.startswith(b"data:")]
            try:  # the request that finally answered (a retry is a copy)
                warc = response.meta.get("warc") or {}
            except AttributeError:
                warc = request.meta.get("warc") or {}
            headers = {key.decode("latin-1"): b", ".join(values).decode("latin-1")
                       for key, values in response.headers.items()}
            yield PageItem(url=response.url, status=response.status, kind=REQUISITE, body=response.body,
                           headers=headers, fetched_at=warc.get("date", ""), warc=warc)
