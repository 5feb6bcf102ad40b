"""Where the Datasette side of the archive finds its metadata and templates, and its settings."""

from __future__ import annotations

from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
METADATA_FILE = PACKAGE_DIR / "metadata.yml"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
# The name (and URL path) of the database in Datasette, fixed so that links,
# docs and canned-query URLs work whatever the archive file is called.
DATABASE_NAME = "archive"
# Measured on a 20,000-article archive: suggested facets (mostly timestamps,
# useless here) tripled the time of the articles page, and the credited-person
# facet (json_each over every row) needs more than Datasette's default 200 ms.
DEFAULT_SETTINGS = {"default_page_size": 50, "suggest_facets": False, "facet_time_limit_ms": 1000}


def load_metadata() -> dict:
    return yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
