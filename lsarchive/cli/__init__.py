"""The `lsarchive` command.

Exit codes (scripts can rely on them):
  0  done, nothing went wrong
  1  done, but some pages could not be fetched or extracted (they are recorded)
  2  bad usage or input (click's usage errors use 2 as well)
  3  the site could not be reached
  130 interrupted (Ctrl-C); a crawl resumes where it stopped
"""

from __future__ import annotations

import click

from .. import __version__
from .captures import evaluate, extract, import_warc, reextract
from .checks import OneLineErrors
from .crawling import crawl, mirror
from .fleet import status, write
from .reading import search, stats
from .recover import coverage, wayback
from .research import export, serve
from .search_eval import evaluate_search
from .sites import check, sites


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lsarchive")
def main():
    """Archive the Lạng Sơn city news portal into a searchable SQLite database.

    \b
    Quick start (offline, against the bundled mirror of the portal):
      lsarchive crawl --mirror        # crawl a local mirror into archive.db
      lsarchive search "thi dua"      # search, with or without diacritics
      lsarchive stats                 # what the archive holds
    """


for command in (crawl, mirror, search, stats, serve, export, extract, reextract, import_warc,
                evaluate, evaluate_search, write, status, wayback, coverage, sites, check):
    main.add_command(command)
