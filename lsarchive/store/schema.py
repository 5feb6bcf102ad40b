"""The archive's tables, created with sqlite-utils.

One row per article in `articles` (the latest revision); every earlier
text stays in `revisions`. `pages` is the provenance of every stored page,
`crawl_runs` says when and how each crawl ran. `articles_search` holds the
folded text (no diacritics, đ→d) that the FTS5 index covers, one row per
article with the same id.
"""

from __future__ import annotations

import sqlite_utils

from .indexes import EXACT_FTS, TITLE_FOLDED_FTS, TITLE_FTS
from .views import create_views

SCHEMA_VERSION = 3

TABLES: dict[str, dict] = {
    "crawl_runs": dict(
        columns={
            "id": int, "site": str, "site_url": str, "started_at": str, "finished_at": str,
            "status": str, "settings": str, "lsarchive_version": str,
            "pages_fetched": int, "articles_new": int, "articles_updated": int,
            "articles_unchanged": int, "errors": int, "reason": str, "command": str, "pid": int,
            "non_articles": int,
        },
        pk="id",
    ),
    "sections": dict(
        columns={
            "url": str, "site": str, "name": str, "first_seen_at": str,
            "walk_started_at": str, "walk_run_id": int, "covered_through_link": int, "covered_at": str,
        },
        pk="url",
    ),
    # Captures a web archive lists for the site (CDX), and which were fetched:
    # `lsarchive wayback` skips a capture fetched before (same URL and digest),
    # `lsarchive coverage` counts the URLs known from them.
    "web_captures": dict(
        columns={
            "id": int, "site": str, "url": str, "timestamp": str, "digest": str, "status": int,
            "mimetype": str, "kind": str, "cdx_server": str, "seen_at": str, "fetched_at": str,
            "outcome": str, "warc_file": str, "warc_offset": int,
        },
        pk="id",
    ),
    # Every article link seen on a listing, numbered in the order first seen:
    # the crawl's proof of what exists (lsarchive/store/coverage.py).
    "article_links": dict(
        columns={
            "id": int, "site": str, "path": str, "url": str, "section_url": str,
            "first_seen_at": str, "crawl_run_id": int,
        },
        pk="id",
        not_null={"site", "path", "url"},
    ),
    # Events an archivist should find later: a lock taken over from a killed
    # writer, WARC files repaired.
    "archive_log": dict(
        columns={"id": int, "at": str, "event": str, "detail": str},
        pk="id",
    ),
    "articles": dict(
        columns={
            "id": int, "site": str, "key": str, "node_id": int, "url": str,
            "section": str, "title": str, "published_at": str, "published_text": str,
            "year": int, "month": str, "body": str, "captions": str,
            "credit_lines": str, "credited_names": str, "attachments": str,
            "image_count": int, "paragraph_count": int,
            "content_hash": str, "revision": int,
            "first_archived_at": str, "last_archived_at": str, "last_checked_at": str,
            "etag": str, "last_modified": str, "crawl_run_id": int,
            # How the text was made (Article.extraction as JSON: profile,
            # profile_version, fallbacks, lsarchive_version); null in rows
            # stored before the column existed.
            "extraction": str,
        },
        pk="id",
        not_null={"key", "url", "title", "published_at", "content_hash"},
        foreign_keys=[("crawl_run_id", "crawl_runs", "id")],
    ),
    # The body's HTML lives apart from `articles`: it is the bulk of a row, and
    # every query that reads article rows (searches, facets, counts) would
    # otherwise carry it.
    "article_html": dict(
        columns={"article_id": int, "body_html": str, "body_html_clean": str},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    ),
    # after_paragraph: how many body paragraphs come before the image (0 =
    # before the first); null in rows stored before the column existed.
    "images": dict(
        columns={"article_id": int, "position": int, "src": str, "alt": str, "caption": str,
                 "after_paragraph": int},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "credits": dict(
        columns={"article_id": int, "position": int, "name": str, "roles": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "attachments": dict(
        columns={"article_id": int, "position": int, "href": str, "text": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "revisions": dict(
        columns={
            "article_id": int, "revision": int, "content_hash": str,
            "archived_at": str, "crawl_run_id": int, "record": str,
            "extraction": str,  # how this revision's text was made (articles.extraction)
        },
        pk=("article_id", "revision"),
        foreign_keys=[("article_id", "articles", "id"), ("crawl_run_id", "crawl_runs", "id")],
    ),
    "pages": dict(
        columns={
            "id": int, "url": str, "kind": str, "status": int, "fetched_at": str,
            "sha256": str, "content_type": str, "length": int, "crawl_run_id": int,
            "article_id": int, "warc_file": str, "warc_offset": int,
            # Distributed crawls: the worker that fetched the page (null for a
            # single-process crawl or a replay); older archives get it added.
            "worker": str,
            # Why a page fetched as an article is none (a listing, a "page not
            # found" served with 200, a search page): counted, not an error.
            "not_article": str,
        },
        pk="id",
        foreign_keys=[("crawl_run_id", "crawl_runs", "id"), ("article_id", "articles", "id")],
    ),
    "extraction_errors": dict(
        columns={
            "id": int, "url": str, "stage": str, "reason": str, "at": str,
            "crawl_run_id": int, "page_sha256": str,
        },
        pk="id",
        foreign_keys=[("crawl_run_id", "crawl_runs", "id")],
    ),
    "media": dict(
        columns={
            "url": str, "sha256": str, "size": int, "content_type": str, "path": str,
            "status": int, "error": str, "fetched_at": str, "attempts": int, "crawl_run_id": int,
        },
        pk="url",
    ),
    "articles_search": dict(
        columns={
            "id": int, "title": str, "url": str, "published_at": str,
            "title_folded": str, "body_folded": str, "captions_folded": str,
        },
        pk="id",
        foreign_keys=[("id", "articles", "id")],
    ),
}

INDEXES = [
    ("articles", ["key"], True),
    ("articles", ["url"], False),
    ("articles", ["node_id"], False),
    ("articles", ["published_at"], False),
    ("articles", ["section"], False),
    # An index of the ids alone (the rowid is the id): Datasette counts a
    # search as `where id in (select rowid from the FTS index)`, and with this
    # small covering index SQLite need not read a whole article row per match.
    ("articles", ["id"], False),
    ("credits", ["name"], False),
    ("pages", ["url"], False),
    ("pages", ["crawl_run_id"], False),
    ("extraction_errors", ["url"], False),
    ("media", ["sha256"], False),
    ("article_links", ["site", "path"], True),
    # One provenance row per WARC record: rerunning reextract or import-warc
    # over the same files adds none.
    ("pages", ["warc_file", "warc_offset"], True),
    ("web_captures", ["site", "url", "timestamp", "digest"], True),
    # Covering indexes of the faceted columns: Datasette's facets of a search
    # (section, year, month, credited person) then read these small indexes,
    # not one whole article row per match.
    ("articles", ["year"], False),
    ("articles", ["month"], False),
    ("articles", ["credited_names"], False),
    # All the faceted columns together: a search's count and facets come from
    # one pass grouping its matches by all of them (datasette/facet_pass.py),
    # which reads this index instead of every article row; the unsearched
    # page's site facet reads it too.
    ("articles", ["site", "section", "year", "month", "credited_names"], False),
]

# The columns the full-text index covers, and how it tokenises them:
# remove_diacritics 2 folds every Vietnamese mark; the text is already
# folded for đ, which no tokenizer option folds.
FTS_COLUMNS = ["title_folded", "body_folded", "captions_folded"]
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

# A second full-text index, over the articles' own text with every mark kept
# (the tokenizer only lower-cases): search ranks "Đồng Đăng" as typed above
# "Đông … Đảng", which folded text cannot tell apart. External content: it
# stores no copy of the text, only the index, and triggers on `articles` keep
# it in step with every insert, update and delete (in the same transaction).


def external_content_index(name: str, table: str, columns: list[str], tokenize: str,
                           options: str = "") -> list[str]:
    """An FTS5 index of `table`'s `columns` that stores no copy of the text,
    and the triggers keeping it in step with every insert, update and delete
    (in the same transaction). `options`: more of FTS5's, comma first."""
    listed, new, old = ", ".join(columns), ", ".join(f"new.{c}" for c in columns), \
        ", ".join(f"old.{c}" for c in columns)
    return [
        f"""create virtual table {name} using fts5(
        {listed}, content='{table}', content_rowid='id',
        tokenize='{tokenize}'{options})""",
        f"""create trigger {name}_ai after insert on {table} begin
        insert into {name}(rowid, {listed}) values (new.id, {new});
    end""",
        f"""create trigger {name}_ad after delete on {table} begin
        insert into {name}({name}, rowid, {listed}) values ('delete', old.id, {old});
    end""",
        f"""create trigger {name}_au after update of {listed} on {table} begin
        insert into {name}({name}, rowid, {listed}) values ('delete', old.id, {old});
        insert into {name}(rowid, {listed}) values (new.id, {new});
    end""",
    ]


EXACT_FTS_SQL = external_content_index(EXACT_FTS, "articles", ["title", "body", "captions"],
                                       "unicode61 remove_diacritics 0")

# Titles alone, indexed apart, as typed and folded: ranking asks which of
# thousands of matches hold the query's words in their title, and a column
# filter on the indexes above reads those words' positions in every body
# too (3 ms of a 15 ms query at 100,000 articles), where a title index holds
# a dozen words an article. Same tokenizers as the whole-text indexes, so
# they find exactly what a column filter on those finds. No sizes kept per
# title (columnsize=0): nothing ranks by bm25 on them.
TITLE_FTS_SQL = {
    TITLE_FTS: external_content_index(TITLE_FTS, "articles", ["title"], "unicode61 remove_diacritics 0",
                                      ", columnsize=0"),
    TITLE_FOLDED_FTS: external_content_index(TITLE_FOLDED_FTS, "articles_search", ["title_folded"],
                                             FTS_TOKENIZE, ", columnsize=0"),
}


# A run that finished having changed at least this share of the archive's
# articles merges the indexes (Archive.merge_search_indexes).
MERGE_AFTER_SHARE = 0.1


def create_text_indexes(db: sqlite_utils.Database) -> None:
    """Create the accent-preserving index and the title indexes; an archive made
    before them gets them built from its articles (a migration, run once when
    opened for writing)."""
    existing = set(db.table_names())
    for name, statements in [(EXACT_FTS, EXACT_FTS_SQL), *TITLE_FTS_SQL.items()]:
        if name in existing:
            continue
        with db.conn:
            for sql in statements:
                db.execute(sql)
            db.execute(f"insert into {name}({name}) values ('rebuild')")


def create_schema(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    for name, spec in TABLES.items():
        if name not in existing:
            db[name].create(
                spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                foreign_keys=spec.get("foreign_keys"),
            )
        else:
            _add_missing_columns(db[name], spec["columns"])
    _drop_duplicate_provenance(db)
    for table, columns, unique in INDEXES:
        db[table].create_index(columns, unique=unique, if_not_exists=True)
    if not db["articles_search"].detect_fts():
        db["articles_search"].enable_fts(
            FTS_COLUMNS, tokenize=FTS_TOKENIZE, create_triggers=True, replace=True
        )
    create_text_indexes(db)
    create_views(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _add_missing_columns(table: sqlite_utils.db.Table, columns: dict) -> None:
    """An archive made by an older version gets the columns added since."""
    present = set(table.columns_dict)
    for name, kind in columns.items():
        if name not in present:
            table.add_column(name, kind)


def _drop_duplicate_provenance(db: sqlite_utils.Database) -> None:
    """Older versions recorded a page again each time a WARC was re-read."""
    if "pages" in db.table_names() and not any(
            index.name == "idx_pages_warc_file_warc_offset" for index in db["pages"].indexes):
        db.execute("""delete from pages where warc_file is not null and id not in
                      (select min(id) from pages where warc_file is not null
                       group by warc_file, warc_offset)""")
