"""`lsarchive evaluate-search`: precision and recall of search on an archive.

Only click is imported here: the evaluation itself (and Datasette, for
--datasette) is imported when the command runs, so that `lsarchive` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("evaluate-search")
@click.option("--db", "db", default="archive.db", show_default=True,
              type=click.Path(dir_okay=False), help="The SQLite archive.")
@click.option("--queries", "queries_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A file of queries, one a line, typed with diacritics (each is also run without) "
                   "[default: the built-in list of lsarchive.search_eval.QUERIES].")
@click.option("--datasette", "through_datasette", is_flag=True,
              help="Also score the order of Datasette's _search JSON API on the articles table.")
@click.option("-v", "--verbose", is_flag=True, help="One line per query.")
def evaluate_search(db, queries_file, through_datasette, verbose):
    """Score search: precision of the top hits and recall, per query list.

    \b
    An article is relevant to a query when the query's words stand together
    in its title, body or captions: exactly as typed (tones included) for a
    query typed with diacritics, folded for one typed without. Precision is
    the share of relevant articles among the top k hits, k = min(10, number
    of relevant articles); recall, the share of relevant articles found.
    """
    import sqlite3

    from ..search_eval import datasette_ranking, evaluate, format_report, library_ranking

    if not Path(db).is_file():
        click.echo(f"lsarchive: no archive at {db} (run `lsarchive crawl` first, or pass --db)", err=True)
        sys.exit(2)
    queries = None
    if queries_file:
        queries = [line.strip() for line in Path(queries_file).read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.startswith("#")]
        if not queries:
            click.echo(f"lsarchive: no queries in {queries_file}", err=True)
            sys.exit(2)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        report = evaluate(conn, library_ranking(conn), queries)
        click.echo(format_report(report, verbose=verbose, label="lsarchive search, "))
        if through_datasette:
            ranked, close = datasette_ranking(db)
            try:
                click.echo(format_report(evaluate(conn, ranked, queries), verbose=verbose,
                                         label="Datasette _search, "))
            finally:
                close()
    except sqlite3.DatabaseError as exc:
        click.echo(f"lsarchive: cannot evaluate {db}: {exc}", err=True)
        sys.exit(2)
    finally:
        conn.close()
