"""Page requisites: the theme's stylesheets, scripts, icons and images.

A replay of an archived page needs what the page loads besides its text, as
Heritrix, Browsertrix and `wget -p` capture it. This spider middleware looks
at every HTML page the spider fetches and asks, once per run, for each theme
resource on the site it has not asked for yet (and for what the stylesheets
load with url(...)): a handful of files a run, whatever the site's size.
They are scheduled like any request, so WarcCaptureMiddleware writes them
to WARC like everything else; one that did
not change since an earlier run becomes a revisit record there, which keeps
them deduplicated across runs. Each is recorded in `pages` (kind
`requisite`) so that a later run finds its capture.

Content images are not requisites: an article's images and documents are
media (the spider fetches them), and listing thumbnails are left out.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response

from .items import PageItem

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
    """Universal spider middleware (sync and async callbacks alike).

    Requisites are ordinary scheduled requests (politeness, retries, the
    dupefilter, job persistence and a graceful stop all apply), answered by
    the spider's own parse_media; their pages come back here and leave as
    kind `requisite`, not as media.
    """

    def __init__(self, crawler, limit: int):
        self.crawler = crawler
        self.limit = limit
        self.asked: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("LSARCHIVE_REQUISITES", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.getint("LSARCHIVE_REQUISITES_LIMIT", 500))

    def process_spider_output(self, response: Response, result, spider=None):
        for output in result:
            yield self.relabel(response, output)
        yield from self.requisites_of(response)

    async def process_spider_output_async(self, response: Response, result, spider=None):
        async for output in result:
            yield self.relabel(response, output)
        for request in self.requisites_of(response):
            yield request

    @staticmethod
    def relabel(response: Response, output):
        if isinstance(output, PageItem) and response.meta.get(REQUISITE):
            output.kind = REQUISITE
        return output

    def requisites_of(self, response: Response) -> list[Request]:
        if response.status != 200:
            return []
        if isinstance(response, HtmlResponse) and not response.meta.get(REQUISITE):
            urls = self.page_requisites(response)
        elif response.meta.get(REQUISITE) and b"css" in (response.headers.get("Content-Type") or b""):
            urls = [urljoin(response.url, ref.decode("latin-1")) for ref in CSS_URL.findall(response.body)
                    if not ref.startswith(b"data:")]  # what the stylesheet loads: fonts, backgrounds
        else:
            return []
        return [self.request(url) for url in self.new_on_site(urls)]

    def page_requisites(self, response: HtmlResponse) -> list[str]:
        """The theme's resources on this page: not the images of its content
        (an article's node, a listing's teasers), which change from page to page."""
        profile = self.crawler.spider.profile_of(response.url)
        content = set()
        for css in (profile.node_css, *profile.body_css, *CONTENT_CSS):
            for region in response.css(css):
                content.update(region.css("img::attr(src)").getall())
        urls = []
        for selector in PAGE_SELECTORS:
            urls += [src for src in response.css(selector).getall()
                     if not (selector.startswith(("img", "input")) and src in content)]
        return [response.urljoin(url.strip()) for url in urls if url.strip()]

    def new_on_site(self, urls: list[str]) -> list[str]:
        spider = self.crawler.spider
        fresh = []
        for url in urls:
            url = url.split("#")[0]
            if url in self.asked or len(self.asked) >= self.limit or spider.site_of(url) is None \
                    or not url.startswith(("http://", "https://")):
                continue
            self.asked.add(url)
            fresh.append(url)
        return fresh

    def request(self, url: str) -> Request:
        self.crawler.stats.inc_value("lsarchive/requisites")
        # A requisite that cannot be fetched costs its replay only: no errback,
        # Scrapy logs it; HttpErrorMiddleware drops a 404 quietly.
        return Request(url, callback=self.crawler.spider.parse_media, priority=-2, meta={REQUISITE: True})
