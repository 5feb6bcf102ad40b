"""The portal spider for any site of the registry:
`scrapy crawl portal -a site=tpls` (or `-a site=all`, or several names comma-separated)."""

from lsarchive.crawl.spider import PortalSpider


class Portal(PortalSpider):
    name = "portal"
