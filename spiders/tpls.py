"""Lạng Sơn city portal: `scrapy crawl tpls [-a site_url=http://127.0.0.1:8000/tpls/]`
(the same as `scrapy crawl portal -a site=tpls`)."""

from lsarchive.crawl.spider import PortalSpider


class TplsSpider(PortalSpider):
    name = "tpls"
    default_site = "tpls"
