"""Relevance first in Datasette's table search on `articles`, as `lsarchive search` ranks.

Datasette's table view can only sort a search by a column (the archive sorts
by id, newest first). So, for `/DB/articles?_search=…` (and `.json`) without
an explicit `_sort` / `_sort_desc`:

- the `_search` value Datasette sees becomes the query's FTS5 form over
  folded text (`_searchmode=raw`), so its row count and facets cover exactly
  the articles `lsarchive search` finds;
- the rows of the page are the ranked ones (store.search.ranked_ids): the
  HTML page gets them as a template variable (`_table-…-articles.html` shows
  them), the JSON response has its rows replaced, in the same columns and
  shape. Pages follow with `_next=rN` (N = how many came before).

`_sort_desc=id` (the "newest first" link) leaves Datasette's own order. A
query that is not valid search syntax gets a readable message: on the HTML
page above the search box (which keeps what was typed), in JSON as a 400
with `error`.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from lsarchive.datasette import within_filters
from lsarchive.datasette.counts import IDS_PARAM, TOKEN_PARAM, keep_search_counts
from lsarchive.store.search import SearchSyntaxError, check_query, fts_query, ranked_ids

ARTICLES_TABLE = "articles"
# The columns an articles row can be asked for (`_col`), read straight from the table.
_TABLE_PATH = re.compile(r"^/(?P<database>[^/.]+)/articles(?P<json>\.json)?$")
_RELEVANCE_NEXT = re.compile(r"^r(\d+)$")
# The name the search goes by in what Datasette is asked (and so in the links it makes).
SEARCH_ALIAS = "_lsarchive_search"


def archive_databases(datasette) -> set[str]:
    """Names of the attached databases that are lsarchive archives."""
    return {name for name, is_archive in getattr(datasette, "_lsarchive_archives", {}).items() if is_archive}


async def note_archives(datasette) -> None:
    """Look once at each attached database: is it an lsarchive archive?"""
    known = datasette.__dict__.setdefault("_lsarchive_archives", {})
    for name, db in list(datasette.databases.items()):
        if name not in known:
            tables = set(await db.table_names()) if not name.startswith("_") else set()
            known[name] = {"articles", "articles_search", "articles_search_fts"} <= tables
            if known[name] and db.path:
                keep_search_counts(db, search_of_token)
                within_filters.rank_within_filters(db)


def page_size(pairs: dict, datasette) -> int:
    size = pairs.get("_size")
    if size == "max":
        return datasette.max_returned_rows
    if size and size.isdigit() and 0 < int(size) <= datasette.max_returned_rows:
        return int(size)
    return datasette.page_size


class SearchRequest:
    """A search on an archive's articles table, as the reader typed it."""

    def __init__(self, database: str, is_json: bool, pairs: list[tuple[str, str]], datasette):
        self.database, self.is_json = database, is_json
        pairs = [("_search" if k == SEARCH_ALIAS else k, v) for k, v in pairs]
        self.args = dict(pairs)
        self.typed = self.args.get("_search", "")
        self.relevance = not any(self.args.get(k) for k in ("_sort", "_sort_desc", "_sort_by_desc"))
        match = _RELEVANCE_NEXT.match(self.args.get("_next", ""))
        self.offset = int(match.group(1)) if match else 0
        self.size = page_size(self.args, datasette)
        self.pairs = pairs
        self.error: str | None = None
        # Filters besides the search (Datasette's own rule for which arguments
        # filter, and its filtering `_` arguments): the page is ranked within
        # them (within_filters.py).
        self.filtered = any(not (k.startswith("_") and "__" not in k) or k in ("_where", "_through")
                            or (k.startswith("_search_") and v) for k, v in pairs)
        self.page: tuple[list[int], bool] | None = None
        self.unranked = False  # the filters kept the page from being ranked: Datasette's order

    def forwarded_query_string(self) -> bytes:
        """What Datasette itself is asked: the search under another name, so that its
        own full-text clause (which reads every matching row, facet after facet)
        is left out for ours (see filter_arguments); Datasette's links keep it."""
        out = []
        for key, value in self.pairs:
            if key == "_next" and self.relevance:
                continue
            if key == "_search":
                if self.error:
                    continue
                key = SEARCH_ALIAS
            out.append((key, value))
        if self.narrowed():
            # Its rows are read again in ranked order (rewrite_json): Datasette
            # need only check the request and read the page's ids, not their
            # bodies (nor count the matches, which this shape does not show).
            out += [("_col", "id"), ("_nocount", "1")]
        return urlencode(out, encoding="utf-8").encode("ascii")

    def narrowed(self) -> bool:
        """An `_shape=array` request for ranked rows with every column: Datasette
        is asked for their ids alone."""
        return (not self.error and rows_only(self) and self.args.get("_shape") == "array"
                and not any(k in self.args for k in ("_col", "_nocol", "_json", "_labels", "_nl")))

    def form_redirect(self, path: str) -> str | None:
        """Where Datasette would redirect the submitted table form (filter rows, the
        "descending" checkbox), with the search as typed; None if it would not."""
        from datasette.utils import filters_should_redirect

        changes = filters_should_redirect(self.args)
        if self.args.get("_sort_by_desc"):
            changes += [("_sort", None), ("_sort_by_desc", None),
                        ("_sort_desc", self.args.get("_sort") or self.args.get("_sort_desc") or "id")]
        elif "_sort_by_desc" in self.args:
            changes.append(("_sort_by_desc", None))
        if not changes:
            return None
        removed = {k for k, _ in changes}
        pairs = [(k, v) for k, v in self.pairs if k not in removed]
        pairs += [(k, v) for k, v in changes if v is not None]
        return path + "?" + urlencode(pairs, encoding="utf-8")

    def described(self) -> str:
        """What the page shows, in Datasette's words: 'where search matches "…" and section = "…"'."""
        from datasette.filters import Filters

        filter_args = [(k, v) for k, v in self.pairs if not (k.startswith("_") and "__" not in k)]
        return Filters(sorted(filter_args)).human_description_en(extra=[f'search matches "{self.typed}"'])

    def next_path(self, path: str) -> str:
        pairs = [(k, v) for k, v in self.pairs if k != "_next"] + [("_next", f"r{self.offset + self.size}")]
        return path + "?" + urlencode(pairs, encoding="utf-8")


def parse_search_request(scope, datasette) -> SearchRequest | None:
    if scope.get("type") != "http" or b"_search=" not in scope.get("query_string", b""):
        return None
    found = _TABLE_PATH.match(scope.get("path", ""))
    if not found or found.group("database") not in archive_databases(datasette):
        return None
    pairs = parse_qsl(scope["query_string"].decode("utf-8", "replace"), keep_blank_values=True)
    keys = {k for k, _ in pairs}
    pairs = [("_search" if k == SEARCH_ALIAS else k, v) for k, v in pairs]
    keys = {k for k, _ in pairs}
    if "_search" not in keys or not dict(pairs)["_search"].strip() or "_searchmode" in keys:
        return None  # an empty search, or FTS5 syntax passed through as the reader chose
    return SearchRequest(found.group("database"), bool(found.group("json")), pairs, datasette)


async def ranked_page(datasette, search: SearchRequest, *, with_rows: bool = False) -> tuple[list[int], bool]:
    """The ids of the page's articles, best first, and whether a next page exists.

    with_rows: their whole rows too, read in the same trip to Datasette's SQL
    thread (search.page_rows: the columns and the rows by id). Each trip hands
    the work to another thread and back, about a millisecond on a busy machine."""
    db = datasette.get_database(search.database)
    wanted = search.offset + search.size + 1

    def read(conn):
        ranked = ranked_ids(conn, search.typed, limit=wanted)
        ids = [rowid for rowid, _ in ranked[search.offset:search.offset + search.size]]
        if with_rows:
            cursor = conn.execute(f"select * from articles where id in ({','.join('?' * len(ids))})", ids)
            columns = [d[0] for d in cursor.description]
            search.page_rows = columns, {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}
        return ids, len(ranked) > search.offset + search.size

    return await db.execute_fn(read)


async def check_syntax(datasette, search: SearchRequest) -> None:
    """search.error says why the query is not valid search syntax. A request for
    ranked rows alone gets its page here (ranking parses the query too: one
    trip to SQLite instead of two)."""
    db = datasette.get_database(search.database)
    try:
        if rows_only(search):
            search.page = await ranked_page(datasette, search, with_rows=search.narrowed())
        else:
            await db.execute_fn(lambda conn: check_query(conn, search.typed))
    except SearchSyntaxError as exc:
        search.error = str(exc)


async def ranked_rows(datasette, search: SearchRequest, columns: list[str]) -> tuple[list[dict], bool]:
    if search.unranked:
        return [], False
    if search.page is None:
        if search.filtered:
            search.unranked = True  # the rows query never came (within_filters.py)
            return [], False
        search.page = await ranked_page(datasette, search)
    ids, more = search.page
    if not ids:
        return [], more
    db = datasette.get_database(search.database)
    selected = ", ".join(f'"{c}"' for c in columns)
    rows = (await db.execute(
        f"select {selected} from articles where id in ({','.join('?' * len(ids))})", ids)).rows
    by_id = {row["id"]: dict(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id], more


async def rewrite_json(datasette, search: SearchRequest, body: bytes, path: str) -> tuple[bytes, str | None] | None:
    """The JSON Datasette answered, with the rows of the page in relevance order,
    and the URL of the next page (None on the last).

    None leaves the response as it was (a shape or column this does not handle).
    """
    shape = search.args.get("_shape", "arrays")
    if search.unranked or (search.filtered and search.page is None):
        return None
    if getattr(search, "page_rows", None) is not None and shape == "array":
        # Datasette gave the ids alone (narrowed); the rows were read with the ranking.
        return array_body(search, path)
    data = json.loads(body)
    table_columns = set(await datasette.get_database(search.database).table_columns(ARTICLES_TABLE))
    if shape == "array":
        columns = list(data[0]) if data else None
    elif shape in ("arrays", "objects") and isinstance(data, dict) and "rows" in data:
        columns = data.get("columns") or (list(data["rows"][0]) if data["rows"] else None)
    else:
        return None
    if not columns:
        return None
    if not set(columns) <= table_columns:
        return None
    rows, more = await ranked_rows(datasette, search, list(dict.fromkeys(["id", *columns])))
    rows = [{c: row[c] for c in columns} for row in rows]
    next_url = search.next_path(path) if more else None
    if shape == "array":
        return json.dumps(rows, ensure_ascii=False, default=repr).encode("utf-8"), next_url
    data["rows"] = rows if shape == "objects" else [[row[c] for c in columns] for row in rows]
    data["next"] = f"r{search.offset + search.size}" if more else None
    data["next_url"] = next_url
    return json.dumps(data, ensure_ascii=False, default=repr).encode("utf-8"), next_url


def array_body(search: SearchRequest, path: str) -> tuple[bytes, str | None]:
    """The ranked page's rows (read with the ranking: search.page_rows) as a JSON
    array, and the URL of the next page (None on the last)."""
    _, by_id = search.page_rows
    ids, more = search.page
    rows = [by_id[i] for i in ids if i in by_id]
    return (json.dumps(rows, ensure_ascii=False, default=repr).encode("utf-8"),
            search.next_path(path) if more else None)


# What the articles list of the table page shows of each row.
LISTED_COLUMNS = ["id", "published_at", "section", "image_count", "title", "body", "captions", "credited_names"]


async def table_page_vars(datasette, search: SearchRequest, request) -> dict:
    """Template variables of a searched articles page: the ranked rows, pagination, order links."""
    if search.error:
        return {"lsarchive_search_error": search.error}
    plain = [(k, v) for k, v in search.pairs if k not in ("_next", "_sort", "_sort_desc", "_sort_by_desc")]
    found = {
        "human_description_en": search.described() + (", most relevant first" if search.relevance else ""),
        "lsarchive_relevance_url": request.path + "?" + urlencode(plain, encoding="utf-8"),
        "lsarchive_newest_url": request.path + "?" + urlencode(plain + [("_sort_desc", "id")], encoding="utf-8"),
        "lsarchive_relevance": search.relevance,
        # The form's hidden fields, from what the reader asked (not the raw-mode
        # form Datasette was given), so that searching again searches as typed.
        "form_hidden_args": [(k, v) for k, v in search.pairs if k.startswith("_") and "__" not in k
                             and k not in ("_sort", "_sort_desc", "_search", "_next", "_searchmode")],
    }
    if search.relevance:
        rows, more = await ranked_rows(datasette, search, LISTED_COLUMNS)
        if search.unranked:
            # Datasette's own rows and pages, newest first, and said so.
            found["human_description_en"] = search.described()
            found["lsarchive_relevance"] = False
            return found
        found["lsarchive_ranked_rows"] = rows
        found["next_url"] = search.next_path(request.path) if more else None
    return found


def json_error(message: str) -> bytes:
    return json.dumps({"ok": False, "error": message, "status": 400, "title": "Invalid search"},
                      ensure_ascii=False).encode("utf-8")


# Datasette's where clause for a search: a set of matching ids, read once -----------------
class MatchSet:
    """The ids of the articles matching a search, read from the FTS index on first use.

    Datasette's count and facet queries each re-run their WHERE clause. With
    `id in (select rowid from the FTS index …)` each one read the index and
    then one article row per match (over a second for a word found in most of
    100,000 articles). With `lsarchive_matches(id, token)` the index is read
    once per request, and SQLite answers count and facets from small covering
    indexes (articles' id, section, year, month, credited_names), testing
    each id against this set.

    The newest NEWEST_MATCHES are read first: Datasette's page of rows walks
    the articles newest first and stops after a page, so it is answered from
    them; only an older id (a count or a facet) reads every match. When the
    count and facets are kept (counts.py), a search asked again never reads
    them all.
    """

    def __init__(self, path: str, match: str):
        self.path, self.match = path, match
        self.ids: frozenset[int] | None = None       # every match
        self.newest: frozenset[int] | None = None    # the newest NEWEST_MATCHES ones…
        self.floor: int | None = None                # …down to this id
        self.lock = threading.Lock()

    def _read(self, limit: int | None) -> list[int]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return [r for r, in conn.execute(
                "select rowid from articles_search_fts where articles_search_fts match ? order by rowid desc"
                + (" limit ?" if limit else ""), [self.match, *([limit] if limit else [])])]
        finally:
            conn.close()

    def contains(self, article_id: int) -> bool:
        if self.ids is not None:
            return article_id in self.ids
        if self.newest is None:
            with self.lock:
                if self.newest is None and self.ids is None:
                    newest = self._read(NEWEST_MATCHES)
                    if len(newest) < NEWEST_MATCHES:
                        self.ids = frozenset(newest)
                    else:
                        self.floor = newest[-1]
                        self.newest = frozenset(newest)
            return self.contains(article_id)
        if article_id >= self.floor:
            return article_id in self.newest
        return article_id in self.load()

    def load(self) -> frozenset[int]:
        with self.lock:
            if self.ids is None:
                self.ids = frozenset(self._read(None))
        return self.ids


# How many of a search's newest matches are read before all of them (MatchSet).
NEWEST_MATCHES = 500
_MATCH_SETS: dict[str, MatchSet] = {}


_TOKEN_LENGTH = 32  # uuid4().hex


def sql_matches(article_id, token) -> int:
    """SQL function lsarchive_matches(id, token): does the article match the request's search?

    Any other token matches nothing; its length is checked before it is hashed,
    so a crafted huge one costs nothing (limits.py's bound, for this hot function)."""
    if token.__class__ is not str or len(token) != _TOKEN_LENGTH:
        return 0
    match_set = _MATCH_SETS.get(token)
    if match_set is None:
        return 0
    ids = match_set.ids
    return int(article_id in ids if ids is not None else match_set.contains(article_id))


# Up to this many matches, the where clause lists their ids (SQLite then reads
# just those rows); past it, lsarchive_matches(id, token) tests ids against the
# match set while SQLite scans small covering indexes.
LISTED_MATCHES = 2000


def rows_only(search: SearchRequest) -> bool:
    """A JSON request for ranked rows alone (no count, no facets): Datasette need only
    read the rows of the ranked page, which the answer then puts in order."""
    args = search.args
    return search.is_json and search.relevance and not search.filtered and (
        args.get("_shape") in ("array", "object") or (bool(args.get("_nocount")) and bool(args.get("_nofacet"))))


async def register_matches(datasette, search: SearchRequest) -> None:
    """Prepare the request's where clause: the matching ids, or a token for their set."""
    db = datasette.get_database(search.database)
    search.token = uuid.uuid4().hex
    if rows_only(search):
        if search.page is None:
            search.page = await ranked_page(datasette, search)
        search.listed = search.page[0]
        return
    if search.relevance:
        within_filters.wait_for_filters(search)
    match = fts_query(search.typed)
    counts = getattr(db, "lsarchive_counts", None)
    # The archive's state before the matches are read: counts kept for it are
    # only used (and kept) while it stays the same (counts.py).
    _SEARCHES[search.token] = (match, counts.state.current() if counts is not None else None)
    newest = await db.execute_fn(lambda conn: [r for r, in conn.execute(
        "select rowid from articles_search_fts where articles_search_fts match ? "
        "order by rowid desc limit ?", [match, LISTED_MATCHES + 1])])
    search.listed = newest if len(newest) <= LISTED_MATCHES else None
    if search.listed is None:
        _MATCH_SETS[search.token] = MatchSet(str(Path(db.path).resolve()), match)


def forget_matches(search: SearchRequest) -> None:
    within_filters.forget(search)
    _MATCH_SETS.pop(getattr(search, "token", None), None)
    _SEARCHES.pop(getattr(search, "token", None), None)


# token → (the search's FTS5 form, the archive's state when its matches were read)
_SEARCHES: dict[str, tuple[str, int | None]] = {}


def search_of_token(token) -> tuple[str, int | None] | None:
    return _SEARCHES.get(token) if token.__class__ is str else None


def filter_arguments(search: SearchRequest):
    """The where clause Datasette adds for the request's search (filters_from_request)."""
    from datasette.filters import FilterArguments

    described = [f'search matches "{search.typed}"']
    # The token also names the search for the kept counts (counts.py); SQLite
    # ignores a named parameter the SQL does not use.
    if search.listed is not None:
        return FilterArguments([f"id in (select value from json_each(:{IDS_PARAM}))"],
                               params={IDS_PARAM: json.dumps(search.listed), TOKEN_PARAM: search.token},
                               human_descriptions=described)
    return FilterArguments([f"lsarchive_matches(id, :{TOKEN_PARAM})"],
                           params={TOKEN_PARAM: search.token}, human_descriptions=described)


def names_facet_class():
    """The credited-person facet: Datasette's array facet, reading two columns.

    Datasette's ArrayFacet de-duplicates `distinct value, row.*` over every
    matching row, bodies included; narrowed to (id, credited_names) the same
    query reads the small covering index of credited_names instead.
    Declared in metadata.yml as `names: credited_names`.
    """
    from datasette.facets import ArrayFacet
    from datasette.utils import escape_sqlite

    class NamesFacet(ArrayFacet):
        type = "names"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.sql:
                columns = {c.get("column") or c.get("simple") for c in
                           (s["config"] for s in self.get_configs())} - {None}
                if len(columns) == 1:
                    column = escape_sqlite(columns.pop())
                    # The article id, not rowid: a subquery has no rowid (SQLite gives
                    # NULL), and ArrayFacet's `distinct value, inner.*` then counted
                    # distinct lists of names, not the articles holding each name.
                    self.sql = f"select id as rowid, {column} from ({self.sql})"

    return NamesFacet
