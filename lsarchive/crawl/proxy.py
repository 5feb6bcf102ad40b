"""Send every request through the offline mirror, acting as the portal's proxy.

`lsarchive crawl --mirror` crawls the portal's own URLs
(http://www.langson.gov.vn/tpls/...) through the mirror on 127.0.0.1, so the
archive, its exports and its WARCs are what a crawl of the live portal would
make, and a resumed crawl is unaffected by the mirror's port. Scrapy's
HttpProxyMiddleware does the proxying; this only names the proxy, and
overrides one saved with a request in the job state (an earlier mirror's port).
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured


class MirrorProxyMiddleware:
    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        proxy = crawler.settings.get("LSARCHIVE_PROXY")
        if not proxy:
            raise NotConfigured
        return cls(proxy)

    def process_request(self, request, spider=None):
        request.meta["proxy"] = self.proxy
        return None
