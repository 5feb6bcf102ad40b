"""A searched articles page's row count and facet counts, computed once and kept
until the archive changes.

The HTML table page of `/archive/articles?_search=…` shows how many articles
match and four facets (section, year, month, credited person). For a common
word each of those five queries tests every one of the archive's articles
against the matching set: about a second at 100,000 articles. A reader paging
through results, opening an article and coming back, or narrowing by a facet
and widening again asks for the same counts again and again, and they only
change when the archive does.

So the aggregate queries of a search (those counting, with the search's
where clause) are kept in memory, least recently used first out, under:

- the search (its FTS5 form) and the rest of the query (filters, facet,
  columns: the SQL text and its other parameters), and
- the archive's state: SQLite's `PRAGMA data_version`, read on a connection
  of this module's own, changes whenever another connection or process
  commits to the file (a crawl writing while Datasette serves, in WAL mode
  or not); the file's device and inode change when it is replaced. Any change
  drops everything kept for that archive, so a count is never older than the
  archive it is shown with.

Why in memory and not a table in the archive: Datasette opens the archive
read-only (and a crawl may be writing it meanwhile), a plain `datasette
archive.db` should behave the same, and a cache table would need the writer
to invalidate it. Kept counts cost a few hundred bytes each (facets are
limited to their top values); rows of pages are never kept.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict

from .facet_pass import FacetColumns, Groups, PassesKept, answer_rows, as_sqlite_rows, recognise

# Aggregates of this many searches (with their filters and facets) are kept per archive.
KEPT_QUERIES = 512
# A kept result is a count or a facet's top values; anything longer is not kept.
KEPT_ROWS = 1000

TOKEN_PARAM = "lsarchive_token"
IDS_PARAM = "lsarchive_ids"


class ArchiveState:
    """Which state of an archive file the kept counts belong to."""

    def __init__(self, path: str, mutable: bool = True):
        self.path, self.mutable = path, mutable
        self.conn: sqlite3.Connection | None = None
        self.lock = threading.Lock()
        self.seen: tuple | None = None
        self.generation = 0

    def current(self) -> int | None:
        """A number that changes whenever the archive has changed since last asked;
        None when that cannot be told (then nothing is kept)."""
        with self.lock:
            try:
                stat = os.stat(self.path)
                version = 0
                if self.mutable:
                    if self.conn is None:
                        self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                                    check_same_thread=False)
                    version = self.conn.execute("pragma data_version").fetchone()[0]
            except (sqlite3.Error, OSError):
                self.seen = None
                return None
            state = (stat.st_dev, stat.st_ino, version)
            if state != self.seen:
                self.seen = state
                self.generation += 1
            return self.generation

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self.conn.close()
                self.conn = None


class SearchCounts:
    """The kept aggregates of one archive's searches (see the module's docstring)."""

    def __init__(self, state: ArchiveState, size: int = KEPT_QUERIES):
        self.state, self.size = state, size
        self.kept: OrderedDict = OrderedDict()
        self.passes = PassesKept()
        self.generation: int | None = None
        self.hits = self.misses = 0
        self.lock = threading.Lock()

    @staticmethod
    def keepable(sql: str, params) -> bool:
        return isinstance(params, dict) and TOKEN_PARAM in params and "count(*)" in sql

    def key(self, sql: str, params: dict, search: str) -> tuple:
        rest = tuple(sorted((k, repr(v)) for k, v in params.items() if k not in (TOKEN_PARAM, IDS_PARAM)))
        return search, sql, rest

    def get(self, key: tuple):
        generation = self.state.current()
        with self.lock:
            if generation is None or generation != self.generation:
                self.kept.clear()
                self.passes.clear()
                self.generation = generation
            found = self.kept.get(key) if generation is not None else None
            if found is None:
                self.misses += 1
                return None, generation
            self.kept.move_to_end(key)
            self.hits += 1
            return found, generation

    def put(self, key: tuple, generation: int | None, results) -> None:
        if generation is None or len(results.rows) > KEPT_ROWS:
            return
        with self.lock:
            if generation != self.generation:
                return  # the archive changed while this was computed
            self.kept[key] = results
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)


def keep_search_counts(db, search_of_token) -> SearchCounts:
    """Make Datasette's `db` keep its searches' counts: its execute() answers a
    count or facet query of a search from what was kept when it can.

    `search_of_token(token)` gives the search (FTS5 form) a request's token stands
    for and the archive's state (ArchiveState.current) before its matches were read;
    None for no search.
    Only this Database object is changed (an attribute of its own), not Datasette.
    """
    existing = getattr(db, "lsarchive_counts", None)
    if existing is not None:
        return existing
    counts = SearchCounts(ArchiveState(str(db.path), mutable=db.is_mutable))
    execute = db.execute

    async def execute_keeping_counts(sql, params=None, *args, **kwargs):
        search = search_of_token(params.get(TOKEN_PARAM)) if SearchCounts.keepable(sql, params) else None
        if search is None:
            return await execute(sql, params, *args, **kwargs)
        match, generation_at_start = search
        key = counts.key(sql, params, match)
        found, generation = counts.get(key)
        if generation != generation_at_start:
            # The archive changed since the request read its matches: count
            # afresh, keep nothing (the matches may be the older ones).
            return await execute(sql, params, *args, **kwargs)
        if found is not None:
            return found
        results = await answer_from_one_pass(counts, db, sql, params, key, generation)
        if results is None:
            results = await execute(sql, params, *args, **kwargs)
        counts.put(key, generation, results)
        return results

    db.execute = execute_keeping_counts
    db.lsarchive_counts = counts
    return counts


async def answer_from_one_pass(counts: SearchCounts, db, sql: str, params: dict, key: tuple, generation: int):
    """The results of a count or facet query from the search's one pass over its
    matches (facet_pass.py), running the pass if this is the first such query;
    None when the pass cannot answer it (it then runs as written)."""
    from datasette.database import Results

    recognised = recognise(sql)
    if recognised is None:
        return None
    kind, column, from_clause, limit = recognised
    if f"lsarchive_matches(id, :{TOKEN_PARAM})" not in from_clause:
        # The search's ids are listed (a small search): each query reads only
        # their rows, where the pass would scan the archive's index.
        return None
    search, _, rest = key
    # The archive's state is part of the key: a pass read while the archive
    # changed is never taken for the new state's.
    pass_key = (generation, search, from_clause, rest)
    groups = counts.passes.get(pass_key)
    if groups is None:
        alone = from_clause == f"from articles where lsarchive_matches(id, :{TOKEN_PARAM})"
        try:
            # In Datasette's SQL thread, on its connection (where lsarchive_matches
            # is), counting there: the rows never cross to the event loop.
            # Datasette's rule for a facet query's limit (Database.execute).
            facet_limit, time_limit_ms = db.ds.setting("facet_time_limit_ms"), db.ds.sql_time_limit_ms
            if facet_limit and facet_limit < time_limit_ms:
                time_limit_ms = facet_limit
            groups = await db.execute_fn(lambda conn: one_pass(counts.passes, conn, generation, search, alone,
                                                               from_clause, params, time_limit_ms))
        except sqlite3.Error:
            return None
        counts.passes.put(pass_key, groups)
        counts.passes.passes_run += 1
    answer = answer_rows(groups, kind, column, limit)
    if answer is None:
        return None
    counts.passes.answers += 1
    names = ["count(*)"] if kind == "count" else ["value", "count"]
    return Results(as_sqlite_rows(kind, answer), False, tuple((name,) + (None,) * 6 for name in names))


def one_pass(passes: PassesKept, conn, generation: int, search: str, alone: bool, from_clause: str,
             params, time_limit_ms: int) -> Groups:
    """A search alone (no other filter) is counted from the archive's kept
    columns (FacetColumns), read first for this state of the archive if need
    be; anything else in SQL, within Datasette's time limit for a facet (the
    request's filters may hold a reader's own `_where` SQL): past it the
    pass is abandoned and Datasette runs its queries with their own limits."""
    from datasette.utils import sqlite_timelimit

    if alone and passes.columns_generation != generation:
        passes.columns, passes.columns_generation = FacetColumns.read(conn), generation
    if alone and passes.columns is not None:
        passes.from_columns += 1
        return passes.columns.groups(conn, search)
    with sqlite_timelimit(conn, time_limit_ms):
        return Groups.read(conn, from_clause, params)
