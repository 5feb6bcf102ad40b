"""Datasette over the archive: metadata, plugin and templates shipped in the package.

`make_datasette(path)` returns a Datasette that serves any archive file at
/archive (whatever the file is called), read-only, with the project's
metadata (descriptions, facets, canned queries, full-text search) and plugin
(search without diacritics, SQL functions, the article page).
"""

from __future__ import annotations

from pathlib import Path

from .config import DATABASE_NAME, DEFAULT_SETTINGS, METADATA_FILE, TEMPLATES_DIR, load_metadata  # noqa: F401


def register_plugin() -> None:
    """Register the project's plugin with Datasette, once per process.

    The plugin is this package (its hooks live in plugin.py), so that
    Datasette also finds its templates/ folder. The `datasette` entry point
    may already have registered it (it does so for a plain
    `datasette archive.db`); registering twice would fail.
    """
    import sys

    from datasette.plugins import pm

    from . import safety

    package = sys.modules[__name__]
    if not pm.is_registered(package) and pm.get_plugin("lsarchive") is None:
        pm.register(package, name="lsarchive")
    if not pm.is_registered(safety) and pm.get_plugin("lsarchive-safety") is None:
        pm.register(safety, name="lsarchive-safety")  # Content-Security-Policy on every page


def make_datasette(db_path: str | Path, *, media_dir: str | Path | None = None, immutable: bool = False,
                   **settings):
    """A Datasette serving the archive at db_path as /archive.

    The file is opened with mode=ro, not immutable: a crawl may be writing in
    WAL mode meanwhile, and its new rows show up on the next request.
    Archived images are served from media_dir (default: media/ beside the
    archive, where `lsarchive crawl` stores them).
    """
    from datasette.app import Database, Datasette

    register_plugin()
    metadata = load_metadata()
    media = Path(media_dir) if media_dir else Path(db_path).resolve().parent / "media"
    metadata.setdefault("plugins", {})["lsarchive"] = {"media_dir": str(media)}
    ds = Datasette(
        metadata=metadata,
        template_dir=str(TEMPLATES_DIR),
        settings={**DEFAULT_SETTINGS, **settings},
    )
    ds.add_database(Database(ds, path=str(db_path), is_mutable=not immutable),
                    name=DATABASE_NAME, route=DATABASE_NAME)
    if "_memory" in ds.databases:  # an empty database on the home page says nothing
        ds.remove_database("_memory")
    return ds


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
          media_dir: str | Path | None = None, immutable: bool = False) -> None:
    """Run Datasette over the archive until interrupted (as `datasette serve` does)."""
    import asyncio

    import uvicorn

    ds = make_datasette(db_path, media_dir=media_dir, immutable=immutable)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")


# Datasette finds hook implementations among the plugin's attributes, and the
# plugin is this package (see register_plugin): hand over plugin.py's hooks.
from .plugin import (  # noqa: E402,F401
    asgi_wrapper, extra_body_script, extra_template_vars, filters_from_request, get_metadata,
    prepare_connection, register_facet_classes,
    prepare_jinja2_environment, register_routes, render_cell, startup,
)
