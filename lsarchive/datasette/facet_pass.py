"""A searched articles page's row count and facets, from one pass over its matches.

The HTML page of `/archive/articles?_search=…` asks SQLite six aggregate
queries over the same matches: the row count and one per facet (site,
section, year, month, credited person). For a large search each scans the
archive and tests every article against the match set (ranking.MatchSet):
about a tenth of a second apiece at 100,000 articles, so a search's first
page took a second. One pass over the matches reading the faceted columns
(two queries over covering indexes, store/schema.py: the columns with few
values together, the names apart) answers the six: the count is how many
matches it read, each facet how many hold each value.

The queries are told by the SQL Datasette (0.65) writes for them: the table's
`select count(*) from articles where …`, ColumnFacet's `select COL as value,
count(*) as count from (…) where COL is not null group by …`, and ArrayFacet's
`with inner as (select id as rowid, COL from (…)) …` as NamesFacet narrows it. Any
other query, a column outside PASS_COLUMNS, or a value the pass cannot read
as SQLite would (credited names that are not a JSON list of texts) runs as
written. tests/test_datasette_facet_pass.py checks the pass's answers
against the queries themselves, and that the pass gave them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, OrderedDict
from operator import itemgetter

# The faceted columns of the articles table (metadata.yml), read in one pass.
PASS_COLUMNS = ("site", "section", "year", "month", "credited_names")
GROUPED_COLUMNS = PASS_COLUMNS[:4]
ARRAY_COLUMNS = ("credited_names",)
# Passes kept per archive (a pass holds each column's distinct values among
# the matches: thousands at most).
KEPT_PASSES = 16
# Archives up to this size keep their faceted columns in memory (FacetColumns).
KEPT_COLUMNS_UP_TO = 300_000

_COUNT = re.compile(r"\s*select count\(\*\) (from articles\b.*)", re.S)
_COLUMN_FACET = re.compile(
    r"\s*select (\w+) as value, count\(\*\) as count from \(\s*select .*? (from articles\b.*?)\s*\)"
    r"\s*where \1 is not null\s*group by \1 order by count desc, value limit (\d+)\s*", re.S)
_ARRAY_FACET = re.compile(
    r"\s*with inner as \(select id as rowid, (\w+) from \(select .*? (from articles\b.*?)\)\),"
    r"\s*deduped_array_items as .*\sorder by\s+count\(\*\) desc, value limit (\d+)\s*", re.S)


def recognise(sql: str) -> tuple[str, str | None, str, int] | None:
    """(kind, column, the query's `from articles …` clause, limit) of a count or
    facet query the pass can answer; None for any other query."""
    if found := _COUNT.fullmatch(sql):
        return "count", None, found.group(1).strip(), 1
    if (found := _COLUMN_FACET.fullmatch(sql)) and found.group(1) in PASS_COLUMNS:
        return "column", found.group(1), found.group(2).strip(), int(found.group(3))
    if (found := _ARRAY_FACET.fullmatch(sql)) and found.group(1) in ARRAY_COLUMNS:
        return "array", found.group(1), found.group(2).strip(), int(found.group(3))
    return None


def pass_sql(from_clause: str) -> tuple[str, str]:
    """Two queries over the matches: grouped by the columns whose values are
    few together (a few thousand groups at most), and by the list of names,
    which would multiply those groups (every month has its own bylines)."""
    grouped = ", ".join(GROUPED_COLUMNS)
    return (f"select {grouped}, count(*) {from_clause} group by {grouped}",
            f"select {ARRAY_COLUMNS[0]}, count(*) {from_clause} group by {ARRAY_COLUMNS[0]}")


class Groups:
    """How many matches hold each value of each faceted column."""

    def __init__(self, total: int, values: dict[str, Counter]):
        self.total, self.values = total, values

    @classmethod
    def read(cls, conn, from_clause: str, params) -> Groups:
        """The pass in SQL: the request's where clause, whatever its filters."""
        grouped, names = pass_sql(from_clause)
        values: dict[str, Counter] = {name: Counter() for name in PASS_COLUMNS}
        total = 0
        for *row, n in conn.execute(grouped, params):
            total += n
            for name, value in zip(GROUPED_COLUMNS, row):
                values[name][value] += n
        for value, n in conn.execute(names, params):
            values[ARRAY_COLUMNS[0]][value] += n
        return cls(total, values)

    def count(self) -> int:
        return self.total

    def by_column(self, column: str) -> Counter:
        return Counter({value: n for value, n in self.values[column].items() if value is not None})

    def by_array_item(self, column: str) -> Counter | None:
        """Rows holding each item of a JSON list column (an item listed twice in
        a row counts once, as ArrayFacet's `distinct` does); None if a value is
        not a JSON list of texts (SQLite's json_each would read it otherwise).
        Each distinct value is parsed once: a few hundred lists of names
        stand in 100,000 articles."""
        counts: Counter = Counter()
        for value, n in self.values[column].items():
            if value is None:
                continue
            try:
                items = json.loads(value)
            except (TypeError, ValueError):
                return None
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                return None
            for item in set(items):
                counts[item] += n
        return counts


def _sqlite_order(value) -> tuple:
    """SQLite's order of values of mixed types: numbers, then text, then blobs."""
    rank = 0 if isinstance(value, (int, float)) else 1 if isinstance(value, str) else 2
    return rank, value


def answer_rows(groups: Groups, kind: str, column: str | None, limit: int) -> list[tuple] | None:
    """The rows the recognised query would return, in its order; None when the
    pass cannot say (the query then runs as written)."""
    if kind == "count":
        return [(groups.count(),)]
    counts = groups.by_column(column) if kind == "column" else groups.by_array_item(column)
    if counts is None:
        return None
    ordered = sorted(counts.items(), key=lambda item: (-item[1], _sqlite_order(item[0])))
    return ordered[:limit]


def as_sqlite_rows(kind: str, rows: list[tuple]) -> list[sqlite3.Row]:
    """The rows as sqlite3.Row objects with the query's column names, as Datasette
    reads them (by name and by position)."""
    names = ["count(*)"] if kind == "count" else ["value", "count"]
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    try:
        select = ", ".join(f'? as "{name}"' for name in names)
        return [conn.execute(f"select {select}", row).fetchone() for row in rows]
    finally:
        conn.close()


class FacetColumns:
    """The faceted columns of every article, read once for the archive's state.

    A search without other filters is then counted without scanning the
    archive: its matching ids (one FTS5 read) are looked up here and each
    column counted in C. Reading them costs about 0.3 s at
    100,000 articles, once per state of the archive; kept for archives of up to
    KEPT_COLUMNS_UP_TO articles (about 10 MB at 100,000), larger ones are
    counted by the SQL pass."""

    def __init__(self, rows: list[tuple]):
        ids, *columns = zip(*rows) if rows else [()] * (1 + len(PASS_COLUMNS))
        self.position = {article_id: n for n, article_id in enumerate(ids)}
        # Equal values as one object: counting hashes each once (a fetched
        # row brings new strings, whose hashes are not cached), 4× faster.
        self.columns = {name: _shared_values(column) for name, column in zip(PASS_COLUMNS, columns)}

    @classmethod
    def read(cls, conn) -> FacetColumns | None:
        if conn.execute("select count(*) from articles").fetchone()[0] > KEPT_COLUMNS_UP_TO:
            return None
        return cls(conn.execute(f"select id, {', '.join(PASS_COLUMNS)} from articles").fetchall())

    def groups(self, conn, match: str) -> Groups:
        """The pass for the articles matching `match` (an FTS5 query over folded text).

        Every step runs in C: the ids come as one JSON array (not a row each),
        are mapped to positions, and each column's values at those positions
        are picked at once and counted."""
        ids = json.loads(conn.execute(
            "select json_group_array(rowid) from articles_search_fts where articles_search_fts match ?",
            [match]).fetchone()[0])
        try:
            positions = list(map(self.position.__getitem__, ids))
        except KeyError:  # an article written since the columns were read
            positions = [n for n in map(self.position.get, ids) if n is not None]
        return Groups(len(positions), {name: Counter(_pick(column, positions))
                                       for name, column in self.columns.items()})


def _shared_values(column: tuple) -> tuple:
    shared: dict = {}
    return tuple(shared.setdefault(value, value) for value in column)


def _pick(column: tuple, positions: list[int]) -> tuple:
    if len(positions) > 1:
        return itemgetter(*positions)(column)
    return tuple(column[n] for n in positions)  # itemgetter of one gives the item, of none fails


class PassesKept:
    """The passes of an archive's recent searches, for its current state
    (SearchCounts drops them with its kept counts when the archive changes)."""

    def __init__(self, size: int = KEPT_PASSES):
        self.size = size
        self.kept: OrderedDict = OrderedDict()
        self.columns: FacetColumns | None = None
        self.columns_generation: int | None = None  # the archive state they were read in
        self.passes_run = self.answers = self.from_columns = 0

    def get(self, key) -> Groups | None:
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
        return found

    def put(self, key, groups: Groups) -> None:
        self.kept[key] = groups
        self.kept.move_to_end(key)
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)

    def clear(self) -> None:
        self.kept.clear()
        self.columns, self.columns_generation = None, None
