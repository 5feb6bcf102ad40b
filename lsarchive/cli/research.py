"""Commands for researchers and readers: `lsarchive serve`, `lsarchive export`."""

from __future__ import annotations

import contextlib
import io
import socket
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .common import DB_OPTION, fail, open_archive
from .sites import SITE_FILTER, require_site




# serve ---------------------------------------------------------------------------
@click.command()
@DB_OPTION
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve other machines).")
@click.option("--media-dir", type=click.Path(file_okay=False), default=None,
              help="Archived images stored by the crawl [default: media/ beside the archive].")
def serve(db, port, host, media_dir):
    """Browse and search the archive in Datasette, read-only, at /archive.

    \b
    http://HOST:PORT/archive/articles        articles, newest first, with facets
    http://HOST:PORT/archive/articles/ID     an article, as a reader sees it
    http://HOST:PORT/archive/search?q=...    full-text search with snippets
    Search ignores diacritics: "thi dua" finds "thi đua". A crawl can run
    meanwhile: new articles appear on the next page load.
    """
    from ..datasette import serve as run_datasette

    archive = open_archive(db, whole=True)  # refused here, before "serving", if it is no archive
    immutable = getattr(archive, "immutable", False)
    archive.close()
    problem = _cannot_listen(host, port)
    if problem:
        fail(f"cannot listen on {host}:{port}: {problem}")
    click.echo(f"serving {db} at http://{host}:{port}/archive (Ctrl-C to stop)", err=True)
    try:
        run_datasette(db, host=host, port=port, media_dir=media_dir, immutable=immutable)
    except KeyboardInterrupt:
        sys.exit(130)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen there (port taken, unknown host), or None.

    Checked before starting, so that the reason comes as a one-line usage
    error (exit 2) rather than a server log line.
    """
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.create_server((host, port), family=family):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


# export --------------------------------------------------------------------------
@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "wacz"]), default="jsonl", show_default=True,
              help="jsonl: one CONTRACT.md record a line. csv: the same fields, lists as JSON. "
                   "wacz: the WARC captures as a WACZ 1.1.1 (needs -o; filters do not apply).")
@click.option("--since", metavar="YYYY-MM-DD", help="Only articles published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only articles published on or before this date.")
@click.option("--section", metavar="NAME", help="Only this section (case and diacritics optional).")
@click.option("--query", metavar="Q", help='Only articles matching this full-text search (as `lsarchive search`).')
@DB_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE instead of standard output.")
@SITE_FILTER
def export(fmt, since, until, section, query, db, output, site):
    """Export article records as JSON Lines or CSV (UTF-8), oldest first.

    \b
    lsarchive export --format jsonl -o articles.jsonl
    lsarchive export --format csv --since 2017-01-01 --until 2017-12-31 --query "thi dua"
    """
    from ..export import Filters, export as run_export

    filters = Filters(since=since, until=until, section=section, query=query, site=site)
    try:
        filters.validate()
    except ValueError as exc:
        fail(str(exc))
    archive = open_archive(db)
    require_site(archive.db.conn, site)
    if fmt == "wacz":
        if site:
            fail("--site filters records: it does not go with --format wacz (which packs whole WARC files)")
        return _export_wacz(archive, db, output)
    try:
        with _open_output(output) as out:
            count = run_export(archive.db.conn, out, fmt, filters)
    except (sqlite3.OperationalError, ValueError) as exc:  # FTS5 syntax in --query
        fail(f"cannot search for {query!r}: {exc} (FTS5 syntax: \"phrase\", OR, NOT, prefix*)")
    except OSError as exc:
        fail(f"cannot write {output or 'standard output'}: {exc.strerror or exc}")
    except ValueError as exc:  # the query is not valid search syntax (SearchSyntaxError)
        fail(str(exc))
    click.echo(f"{count:,} article{'s' if count != 1 else ''} exported"
               f"{f' to {output}' if output else ''}", err=True)


def _export_wacz(archive, db: str, output: str | None) -> None:
    from ..wacz_export import WaczError, export_wacz

    if not output:
        fail("--format wacz writes a file: give it with -o FILE.wacz")
    try:
        result = export_wacz(archive.db.conn, Path(db), Path(output))
    except WaczError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    click.echo(f"{result.pages:,} article captures from {result.warcs:,} WARC files in {output}", err=True)


@contextlib.contextmanager
def _open_output(output: str | None) -> Iterator[io.TextIOBase]:
    # newline="": the csv module writes its own \r\n; JSON Lines uses \n.
    if output:
        with open(output, "w", encoding="utf-8", newline="") as out:
            yield out
        return
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
    finally:
        out.flush()
        out.detach()  # leave sys.stdout open


# stats --plot ----------------------------------------------------------------------
def write_timeline(archive, path: str) -> None:
    """`lsarchive stats --plot FILE.png`: the articles-per-month chart."""
    from ..timeline import PlotUnavailable, plot_timeline

    try:
        months = plot_timeline(archive.db.conn, path)
    except (PlotUnavailable, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"timeline of {months} months written to {path}", err=True)
