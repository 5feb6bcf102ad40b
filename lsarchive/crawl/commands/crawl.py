"""`scrapy crawl`, with the spider's arguments checked before Scrapy starts.

A site name no profile knows (`scrapy crawl portal -a site=nope`) is one line
on stderr and exit 2, the line `lsarchive crawl --site nope` prints, instead of
a traceback from inside the spider's construction after Scrapy's start-up log;
so is a spider name the project does not have.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.spiderloader import get_spider_loader

from ..targets import UnknownSite

EXIT_USAGE = 2  # bad input, as every lsarchive command exits on it


class Command(ScrapyCrawl):
    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # Scrapy's own usage error
        loader = get_spider_loader(self.settings)
        try:
            spider_class = loader.load(args[0])
        except KeyError:  # Scrapy's own answer is a traceback
            fail(f"no spider named {args[0]!r} (known: {', '.join(sorted(loader.list()))})")
        check_sites = getattr(spider_class, "check_sites", None)
        if check_sites is None:
            return
        try:
            check_sites(self.settings, opts.spargs)
        except UnknownSite as exc:
            fail(str(exc))


def fail(message: str) -> NoReturn:
    print(f"lsarchive: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)
