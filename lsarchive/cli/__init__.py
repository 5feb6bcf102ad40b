"""The `lsarchive` command.

Exit codes (scripts can rely on them):
  0  done, nothing went wrong
  1  done, but some pages could not be fetched or extracted (they are recorded)
  2  bad usage or input (click's usage errors use 2 as well)
  3  the site could not be reached
  130 interrupted (Ctrl-C); a crawl resumes where it stopped
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping

import click

from .. import __version__
from .checks import OneLineErrors

# Each command's module is imported only when the command runs (or --help lists
# them all): `lsarchive search` should not pay for importing the crawler,
# the web-archive clients and Datasette (docs/performance.md, the process figure).
COMMAND_MODULES = {
    "crawl": "crawling", "mirror": "crawling",
    "search": "reading", "stats": "reading",
    "serve": "research", "export": "research",
    "extract": "captures", "reextract": "captures", "import-warc": "captures", "evaluate": "captures",
    "evaluate-search": "search_eval",
    "write": "fleet", "status": "fleet",
    "wayback": "recover", "coverage": "recover",
    "sites": "sites", "check": "sites",
}


class LazyCommands(MutableMapping):
    """The group's commands by name, each imported from its module on first use."""

    def __init__(self, modules: dict[str, str]):
        self.modules = dict(modules)
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module = importlib.import_module(f".{self.modules[name]}", __name__)
            self.loaded[name] = getattr(module, name.replace("-", "_"))
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.modules.setdefault(name, "")
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.modules[name]
        self.loaded.pop(name, None)

    def __iter__(self):
        return iter(self.modules)

    def __len__(self) -> int:
        return len(self.modules)


@click.group(cls=OneLineErrors, commands=LazyCommands(COMMAND_MODULES),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lsarchive")
def main():
    """Archive the Lạng Sơn city news portal into a searchable SQLite database.

    \b
    Quick start (offline, against the bundled mirror of the portal):
      lsarchive crawl --mirror        # crawl a local mirror into archive.db
      lsarchive search "thi dua"      # search, with or without diacritics
      lsarchive stats                 # what the archive holds
    """
