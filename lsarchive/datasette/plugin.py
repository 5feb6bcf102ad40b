"""The Datasette plugin of the archive: Vietnamese search, SQL functions, article pages.

- asgi_wrapper: a search of an archive's `articles` table goes through
  ranking.py (relevance first, as `lsarchive search` ranks; readable syntax
  errors). Elsewhere every `_search` / `_search_COLUMN` value is folded
  (normalize.fold: no diacritics, đ→d, lower case) before Datasette sees it,
  as the full-text index holds folded text.
- filters_from_request: the where clause of an articles search (ranking.py).
- register_facet_classes: the credited-person facet that reads two columns.
- prepare_connection: SQL functions for canned queries and researchers:
  lsarchive_fold(text), lsarchive_fts_query(text), lsarchive_highlight(text, query),
  lsarchive_search_ids(query, n), lsarchive_matches(id, token).
- extra_template_vars: what the article page (_lsarchive_article.html) shows
  besides the row (images, credits, attachments, captures, revisions), the
  ranked rows of a searched articles page, and whether a database is an archive.
- get_metadata: the project's metadata for any attached archive (plain
  `datasette archive.db`).
- render_cell: highlighted snippets ([hit] marks) shown as <mark> in HTML.
- register_routes: /-/media/SHA256, the archived copy of an image (media/);
  the ranked rows of an articles search as a JSON array (ranked_array.py).

Registered by `lsarchive.datasette.make_datasette` (and by the `datasette`
entry point, for a plain `datasette archive.db`), as the `lsarchive.datasette`
package, which re-exports these hooks.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

import lsarchive.datasette.ranking as ranking
from lsarchive.datasette import ranked_array
from lsarchive.datasette.config import DATABASE_NAME, load_metadata
from lsarchive.datasette.limits import bounded_functions
from lsarchive.normalize import fold
from lsarchive.store.search import SearchSyntaxError, fts_query, query_words, ranked_ids
from lsarchive.store.snippets import highlight
from lsarchive.store.views import VIEWS as RESEARCH_VIEWS

ARTICLES_TABLE = "articles"


# Search: fold the query the way the index was folded ---------------------------
def fold_search_args(query_string: bytes) -> bytes:
    """Fold the values of `_search` and `_search_COLUMN` in a query string.

    In raw search mode (`_searchmode=raw`, FTS5 syntax as typed) the value goes
    through fts_query, which folds the terms but keeps OR / NOT / "phrases" / *
    (folding would lower-case the operators into plain words).
    """
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    raw_mode = ("_searchmode", "raw") in pairs
    changed = False
    folded_pairs = []
    for key, value in pairs:
        if key.startswith("_search") and key != "_searchmode":
            new_value = fts_query(value) if raw_mode else fold(value)
            changed = changed or new_value != value
            value = new_value
        folded_pairs.append((key, value))
    if not changed:
        return query_string
    return urlencode(folded_pairs, encoding="utf-8").encode("ascii")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def search_app(scope, receive, send):
            if scope.get("type") != "http" or b"_search" not in scope.get("query_string", b""):
                await app(scope, receive, send)
                return
            await ranking.note_archives(datasette)
            search = ranking.parse_search_request(scope, datasette)
            if search is None:
                scope = dict(scope, query_string=fold_search_args(scope["query_string"]),
                             lsarchive_typed_search=typed_search(scope["query_string"]))
                await app(scope, receive, send)
                return
            redirect = search.form_redirect(scope["path"])
            if redirect:
                # Datasette turns its form's fields into a clean URL by a redirect; it
                # would redirect to the query's raw FTS5 form: redirect as typed.
                await send_redirect(send, redirect)
                return
            await ranking.check_syntax(datasette, search)
            if search.error and search.is_json:
                await send_body(send, 400, ranking.json_error(search.error))
                return
            scope = dict(scope, query_string=search.forwarded_query_string(),
                         lsarchive_typed_search=search.typed, lsarchive_search=search)
            if not search.error:
                await ranking.register_matches(datasette, search)
            try:
                if ranked_array.answers(search, datasette):
                    await app(ranked_array.routed(scope, search), receive, send)
                elif search.error or not search.is_json or not search.relevance:
                    await app(scope, receive, send)
                else:
                    await ranked_json(app, scope, receive, send, search)
            finally:
                ranking.forget_matches(search)

        return search_app

    async def ranked_json(app, scope, receive, send, search):
        """Datasette's JSON answer, its rows replaced by the ranked page."""
        messages = []

        async def keep(message):
            messages.append(message)

        await app(scope, receive, keep)
        start = messages[0]
        body = b"".join(m.get("body", b"") for m in messages[1:])
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if start.get("status") == 200:
            host = dict(scope.get("headers") or []).get(b"host", b"localhost").decode("latin-1")
            base = f"{scope.get('scheme', 'http')}://{host}"
            rewritten = await ranking.rewrite_json(datasette, search, body, base + scope["path"])
            if rewritten is not None:
                body, next_url = rewritten
                # Datasette's Link header (`_shape=array`) named its own next page:
                # the next page is the ranking's.
                headers = [(k, v) for k, v in headers if k.lower() != b"link"]
                if next_url and search.args.get("_shape") == "array":
                    headers.append((b"link", f'<{next_url}>; rel="next"'.encode("utf-8")))
        headers.append((b"content-length", str(len(body)).encode()))
        await send(dict(start, headers=headers))
        await send({"type": "http.response.body", "body": body})

    return wrap


async def send_redirect(send, location: str) -> None:
    await send({"type": "http.response.start", "status": 302, "headers": [
        (b"location", location.encode("utf-8")), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


async def send_body(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def typed_search(query_string: bytes) -> str | None:
    """The `_search` value as the reader typed it, accents and all."""
    pairs = dict(parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True))
    return pairs.get("_search")


# SQL functions -------------------------------------------------------------------
def sql_highlight(text: str | None, query: str | None) -> str:
    """A snippet of `text` around the first word of `query`, hits in [brackets]."""
    return highlight(text or "", query_words(query or ""))


def sql_fts_query(query: str | None) -> str:
    """What a researcher typed, as a safe FTS5 query over folded text.

    An empty query becomes the empty phrase '""', which matches nothing
    instead of raising an FTS5 syntax error: a canned query opened without
    its parameter shows an empty table, not an error.
    """
    return fts_query(query or "") or '""'


@hookimpl
def register_facet_classes():
    return [ranking.names_facet_class()]


@hookimpl
def filters_from_request(request, database, table, datasette):
    search = request.scope.get("lsarchive_search")
    if search is None or search.error or table != ARTICLES_TABLE or not hasattr(search, "token"):
        return None
    return ranking.filter_arguments(search)


def sql_search_ids(conn, query: str | None, limit: int | None) -> str:
    """lsarchive_search_ids(q, n): the ids of the best n matches, best first, as a JSON
    array (what `lsarchive search` ranks); [] for a query with no words or bad syntax."""
    try:
        return json.dumps([rowid for rowid, _ in ranked_ids(conn, query or "", limit=int(limit or 100))])
    except SearchSyntaxError:
        return "[]"


@hookimpl
def prepare_connection(conn):
    raw = conn
    # Called once per article a searched page's count and facets read: not
    # wrapped, it bounds its own text argument (the token) before using it.
    raw.create_function("lsarchive_matches", 2, ranking.sql_matches, deterministic=True)
    conn = bounded_functions(conn)  # text arguments capped: see limits.py
    conn.create_function("lsarchive_search_ids", 2, lambda query, limit: sql_search_ids(raw, query, limit))
    conn.create_function("lsarchive_fold", 1, fold, deterministic=True)
    conn.create_function("lsarchive_fts_query", 1, sql_fts_query, deterministic=True)
    conn.create_function("lsarchive_highlight", 2, sql_highlight, deterministic=True)


# Highlighted snippets in HTML ------------------------------------------------------
_MARKED = re.compile(r"\[([^\[\]]+)\]")


def marked_html(text: str) -> Markup:
    """lsarchive_highlight's [marks] as <mark>, everything else escaped."""
    return Markup(_MARKED.sub(r"<mark>\1</mark>", str(escape(text))))


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Snippets' [marks] as <mark>; article ids of queries and views as links.

    Tables get their article_id links from Datasette (foreign keys); canned
    queries and views have none, and article_id always means articles.id here.
    """
    if column == "snippet" and isinstance(value, str):
        return marked_html(value)
    is_article_id = column == "article_id" or (column == "id" and table == "article_overview")
    if is_article_id and isinstance(value, int) and (table is None or table in RESEARCH_VIEWS):
        url = datasette.urls.row(database, ARTICLES_TABLE, str(value))
        return Markup(f'<a href="{escape(url)}">{value}</a>')
    return None


# The article page --------------------------------------------------------------------
@hookimpl
def extra_template_vars(view_name, table, request, datasette, database):
    if request is None:
        return {}

    async def template_vars():
        await ranking.note_archives(datasette)
        archives = ranking.archive_databases(datasette)
        found = {"lsarchive_archive": database in archives, "lsarchive_archives": sorted(archives)}
        if view_name == "table" and request.scope.get("lsarchive_typed_search"):
            # The search box shows what the reader typed, not its folded form.
            found["search"] = request.scope["lsarchive_typed_search"]
            search = request.scope.get("lsarchive_search")
            if search is not None:
                found.update(await ranking.table_page_vars(datasette, search, request))
        if view_name == "table" and table == ARTICLES_TABLE and found["lsarchive_archive"] \
                and not (request.args.get("_sort") or request.args.get("_sort_desc")):
            # The form then submits no sort: a search from it comes most relevant first.
            found.update(sort=None, sort_desc=None)
        if view_name == "row" and table == ARTICLES_TABLE and found["lsarchive_archive"]:
            pk = request.url_vars.get("pks", "")
            if pk.isdigit():
                found["article"] = await load_article(datasette.get_database(database), int(pk))
        return found

    return template_vars


@hookimpl
def startup(datasette):
    async def look_at_databases():
        await ranking.note_archives(datasette)

    return look_at_databases


async def load_article(db, article_id: int) -> dict | None:
    """The article row with everything the article page shows about it."""

    async def rows(sql: str, params: list) -> list[dict]:
        return [dict(r) for r in (await db.execute(sql, params)).rows]

    found = await rows("select * from articles where id = ?", [article_id])
    if not found:
        return None
    article = found[0]
    article["paragraphs"] = [p for p in (article["body"] or "").split("\n\n") if p.strip()]
    article["images"] = await article_images(db, article_id)
    article["flow"], article["unplaced_images"] = body_flow(article["paragraphs"], article["images"])
    article["credits"] = [
        dict(c, roles=json.loads(c["roles"] or "[]"))
        for c in await rows("select name, roles from credits where article_id = ? order by position",
                            [article_id])
    ]
    article["credit_lines_list"] = json.loads(article["credit_lines"] or "[]")
    article["attachment_list"] = await rows(
        "select href, text from attachments where article_id = ? order by position", [article_id])
    # The captures: pages linked to the article, or fetched at its URL.
    article["captures"] = await rows(
        "select id, url, kind, status, fetched_at, sha256, length, warc_file, warc_offset "
        "from pages where article_id = ? or url = ? order by fetched_at desc",
        [article_id, article["url"]])
    article["revision_list"] = await rows(
        "select revision, archived_at, content_hash from revisions where article_id = ? "
        "order by revision", [article_id])
    return article


def body_flow(paragraphs: list[str], images: list[dict]) -> tuple[list[tuple[str, object]], list[dict]]:
    """The body as the portal showed it: ("paragraph", text) and ("image", image)
    in reading order, each image after the paragraph it followed; and the images
    whose place is not known (archives made before it was recorded), shown after
    the body."""
    placed: dict[int, list[dict]] = {}
    unplaced = []
    for image in images:
        after = image.get("after_paragraph")
        if after is None or not 0 <= after <= len(paragraphs):
            unplaced.append(image)
        else:
            placed.setdefault(after, []).append(image)
    flow: list[tuple[str, object]] = [("image", image) for image in placed.get(0, [])]
    for n, paragraph in enumerate(paragraphs, 1):
        flow.append(("paragraph", paragraph))
        flow += [("image", image) for image in placed.get(n, [])]
    return flow, unplaced


async def article_images(db, article_id: int) -> list[dict]:
    """The article's images, with the sha256 of the archived copy where a crawl stored one."""
    # Archives made before images' places were recorded have no such column.
    after = ("i.after_paragraph" if "after_paragraph" in await db.table_columns("images")
             else "null as after_paragraph")
    if not await db.table_exists("media"):  # an archive made before media were stored
        sql = (f"select i.position, i.src, i.alt, i.caption, {after}, null as media_sha256 from images i "
               "where i.article_id = ? order by i.position")
    else:
        sql = (f"select i.position, i.src, i.alt, i.caption, {after}, m.sha256 as media_sha256 from images i "
               "left join media m on m.url = i.src and m.status = 200 and m.path is not null "
               "where i.article_id = ? order by i.position")
    return [dict(r) for r in (await db.execute(sql, [article_id])).rows]


# Archived media: the image bytes a crawl stored under media/ by their sha256 ------------
# Only raster images are served, with nosniff and a CSP that runs nothing: an
# archived file is shown, never executed (an SVG could carry script).
SERVED_MEDIA_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"}
MEDIA_ROUTE = r"^/-/media/(?P<sha256>[0-9a-f]{64})$"


def media_dir(datasette) -> Path | None:
    configured = (datasette.plugin_config("lsarchive") or {}).get("media_dir")
    return Path(configured) if configured else None


async def serve_media(request, datasette):
    sha256 = request.url_vars["sha256"]
    root = media_dir(datasette)
    db = datasette.databases.get(DATABASE_NAME)
    if root is None or db is None or not await db.table_exists("media"):
        return Response.text("no archived media", status=404)
    found = (await db.execute(
        "select content_type, path from media where sha256 = ? and path is not null limit 1", [sha256]
    )).rows
    if not found or (found[0]["content_type"] or "") not in SERVED_MEDIA_TYPES:
        return Response.text("not an archived image", status=404)
    path = (root / found[0]["path"]).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return Response.text("archived image missing from the media folder", status=404)
    return Response(path.read_bytes(), content_type=found[0]["content_type"], headers={
        "cache-control": "public, max-age=31536000, immutable",  # named by its content
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
    })


@hookimpl
def register_routes():
    return [(MEDIA_ROUTE, serve_media), (ranked_array.RANKED_ARRAY_ROUTE, ranked_array.ranked_array)]


# Credit roles as readers know them (CONTRACT.md lists the codes).
ROLE_LABELS = {"text": "Tin / Bài", "photo": "Ảnh", "video": "Video", "source": "Nguồn", "unit": "Đơn vị"}


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["lsarchive_role"] = lambda role: ROLE_LABELS.get(role, role)
    env.filters["lsarchive_json"] = lambda text: json.loads(text) if text else None
    env.filters["lsarchive_snippet"] = lambda text, query: marked_html(sql_highlight(text, query))
    env.filters["lsarchive_articles_first"] = articles_first


def articles_first(tables: list[dict]) -> list[dict]:
    """The home page's short list of an archive's tables, `articles` first (Datasette
    lists the largest tables first, and hides `articles` behind "…")."""
    rest = [t for t in tables if t.get("name") != ARTICLES_TABLE]
    return [{"name": ARTICLES_TABLE, "private": False}] + rest[:len(tables) - 1 if len(rest) == len(tables) else len(rest)]


# Column descriptions: every column is described (metadata.yml), which on a
# wide table is a long list above the search box; fold it into a <details>.
COLLAPSE_COLUMN_DESCRIPTIONS = """
document.querySelectorAll("dl.column-descriptions").forEach(function (list) {
  var details = document.createElement("details");
  var summary = document.createElement("summary");
  summary.textContent = "What the columns mean (" + list.querySelectorAll("dt").length + ")";
  list.parentNode.insertBefore(details, list);
  details.appendChild(summary);
  details.appendChild(list);
});
"""


@hookimpl
def extra_body_script(view_name):
    return COLLAPSE_COLUMN_DESCRIPTIONS if view_name == "table" else None


# A plain `datasette archive.db` --------------------------------------------------------
@hookimpl
def get_metadata(datasette, key, database, table):
    """The project's metadata for every attached lsarchive archive, whatever its name.

    `lsarchive serve` passes the metadata itself (database "archive"); a plain
    `datasette FILE.db` gets the same descriptions, facets, sort, full-text
    search and canned queries through this hook, and the archived images
    from media/ beside the file.
    """
    # Archives `lsarchive serve` described itself need nothing more: Datasette
    # merges (and deep-copies, for each permission check) every source of
    # metadata several times a request.
    described = (getattr(datasette, "_metadata_local", None) or {}).get("databases") or {}
    names = tuple(sorted(name for name in ranking.archive_databases(datasette) if name not in described))
    if not names:
        return {}
    first = datasette.databases[names[0]].path
    return _archive_metadata(names, str(Path(first).resolve().parent / "media") if first else None)


@functools.lru_cache(maxsize=8)
def _archive_metadata(names: tuple[str, ...], media: str | None) -> dict:
    # Datasette asks for metadata many times a request: read the YAML once.
    metadata = load_metadata()
    per_database = metadata.pop("databases")[DATABASE_NAME]
    metadata["databases"] = {name: per_database for name in names}
    if media:
        metadata["plugins"] = {"lsarchive": {"media_dir": media}}
    return metadata
