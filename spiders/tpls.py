"""Lạng Sơn city portal: `scrapy crawl tpls [-a site_url=http://127.0.0.1:8000/tpls/]`."""

from lsarchive.crawl.spider import PortalSpider
from lsarchive.profiles.tpls import TPLS


class TplsSpider(PortalSpider):
    name = "tpls"
    profile = TPLS
