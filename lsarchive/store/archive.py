"""The SQLite archive: what a crawl (or an import) writes, and how it reads back.

Written with sqlite-utils, in WAL mode so that Datasette and researchers can
read while a crawl writes. Articles are keyed on site + node id (else the
canonical URL): the node URL and its alias are one article, and running a
crawl again duplicates nothing. A changed article gets a new revision; the
earlier text stays in `revisions`.

Every write that belongs to one page (an article's row, images, credits,
attachments, HTML, search row, revision and the page's provenance; or a
listing page, its links and its section's coverage) happens in one SQLite
transaction: `with archive.transaction():` (sqlite-utils' atomic()). Outside
such a block sqlite-utils commits every write statement by itself, so a
write path that forgot it would be torn by a crash between two statements;
tests/test_crash_safety.py injects a failure between the writes to prove
that it is not.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from ..clock import as_utc, utc_now
from ..normalize import fold
from ..record import Article, record_hash
from .coverage import CrawlCoverage
from .indexes import SEARCH_INDEXES
from .runs import RunRecords
from .schema import MERGE_AFTER_SHARE, create_schema

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_key(site: str, article: Article) -> str:
    if article.node_id is not None:
        return f"{site}:node/{article.node_id}"
    return article.url


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _extraction(article: Article) -> str | None:
    """Article.extraction as stored (sorted keys: one spelling for one provenance)."""
    return json.dumps(article.extraction, ensure_ascii=False, sort_keys=True) if article.extraction else None


class Archive(RunRecords, CrawlCoverage):
    def __init__(self, path: str | Path = "archive.db", *, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"no archive at {self.path}")
            from .readonly import open_readonly

            conn, self.immutable = open_readonly(self.path)  # immutable: see open_readonly
            self.db = sqlite_utils.Database(conn)
        else:
            self.db = sqlite_utils.Database(self.path)
            self.db.enable_wal()
            # WAL with synchronous=NORMAL survives a crash of the process (kill -9)
            # and stays consistent on power loss, at a tenth of FULL's commit cost.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            # 64 MB of page cache keeps the B-tree and FTS index pages of a
            # large archive in memory, so a crawl's cost per article stays flat.
            self.db.execute("PRAGMA cache_size = -65536")
            create_schema(self.db)
        # sqlite-utils looks a table up by name with a query each time: look once.
        self.tables = {name: self.db.table(name) for name in self.db.table_names()}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Transactions -----------------------------------------------------------
    @contextmanager
    def transaction(self):
        """All writes inside are committed together, or rolled back together.

        sqlite-utils' atomic(): BEGIN ... COMMIT, savepoints when nested. A
        write outside such a block is committed on its own (sqlite-utils
        commits each statement that opens a transaction).
        """
        with self.db.atomic():
            yield self

    def _insert(self, table: str, row: dict, *, or_ignore: bool = False) -> int:
        columns = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" for _ in row)
        verb = "insert or ignore" if or_ignore else "insert"
        cursor = self.db.execute(f"{verb} into [{table}] ({columns}) values ({marks})", list(row.values()))
        return cursor.lastrowid

    def _update(self, table: str, where: str, params: list, row: dict) -> None:
        assignments = ", ".join(f"[{name}] = ?" for name in row)
        self.db.execute(f"update [{table}] set {assignments} where {where}", [*row.values(), *params])

    # Pages and errors -------------------------------------------------------
    def record_page(self, *, url: str, kind: str, status: int, body: bytes, fetched_at: str,
                    content_type: str = "", crawl_run_id: int | None = None,
                    article_id: int | None = None, warc_file: str | None = None,
                    warc_offset: int | None = None, worker: str | None = None,
                    not_article: str | None = None) -> None:
        """One page's provenance. A page read again from the same WARC record
        (a rerun of reextract or import-warc) is not recorded twice.
        `not_article`: why a page fetched as an article is none (a listing, a
        soft 404): a fine page, not an error."""
        with self.transaction():
            self._insert("pages", {
                "url": url, "kind": kind, "status": status, "fetched_at": as_utc(fetched_at),
                "sha256": sha256_hex(body), "content_type": content_type, "length": len(body),
                "crawl_run_id": crawl_run_id, "article_id": article_id,
                "warc_file": warc_file, "warc_offset": warc_offset, "worker": worker,
                **({"not_article": not_article} if not_article else {}),
            }, or_ignore=True)

    def record_error(self, *, url: str, stage: str, reason: str, crawl_run_id: int | None = None,
                     body: bytes | None = None) -> None:
        with self.transaction():
            self._insert("extraction_errors", {
                "url": url, "stage": stage, "reason": reason, "at": utc_now(),
                "crawl_run_id": crawl_run_id,
                "page_sha256": sha256_hex(body) if body is not None else None,
            })

    # Articles ---------------------------------------------------------------
    def find_article(self, key: str) -> dict | None:
        cursor = self.db.execute("select * from articles where key = ?", [key])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row)) if row else None

    def save_article(self, article: Article, *, site: str, fetched_at: str,
                     crawl_run_id: int | None = None, etag: str | None = None,
                     last_modified: str | None = None) -> tuple[int, str]:
        """Store one article; return (article id, NEW / UPDATED / UNCHANGED).

        `fetched_at` is when the page was captured. A capture older than the
        current text (an old WARC or web-archive capture imported later)
        never replaces it: its text, if new, becomes an earlier revision.
        """
        record = article.to_dict()
        content_hash = record_hash(record)
        key = article_key(site, article)
        captured = as_utc(fetched_at)
        with self.transaction():
            existing = self.find_article(key)
            if existing and existing["content_hash"] == content_hash:
                self._update("articles", "id = ?", [existing["id"]], {
                    "last_checked_at": max(captured, existing["last_checked_at"] or captured),
                    "etag": etag or existing["etag"],
                    "last_modified": last_modified or existing["last_modified"],
                    # the same text read again, perhaps by another profile version
                    "extraction": _extraction(article) or existing.get("extraction"),
                })
                self._place_images(existing["id"], article)
                return existing["id"], UNCHANGED
            if existing and captured < (existing["last_archived_at"] or captured):
                return existing["id"], self._add_earlier_revision(
                    existing["id"], record, content_hash, captured, crawl_run_id, _extraction(article))
            revision = self._next_revision(existing["id"]) if existing else 1
            row = self._article_row(article, site=site, key=key, content_hash=content_hash)
            row.update({
                "revision": revision, "last_archived_at": captured, "last_checked_at": captured,
                "etag": etag, "last_modified": last_modified,
            })
            if existing:
                article_id = existing["id"]
                self._update("articles", "id = ?", [article_id], row)
            else:
                article_id = self._chronological_id(article.published_at)
                row.update({"id": article_id, "first_archived_at": captured, "crawl_run_id": crawl_run_id})
                self._insert("articles", row)
            self._replace_children(article_id, article)
            self._index_for_search(article_id, article)
            self._insert("revisions", {
                "article_id": article_id, "revision": revision, "content_hash": content_hash,
                "archived_at": captured, "crawl_run_id": crawl_run_id, "record": _json(record),
                "extraction": _extraction(article),
            })
        return article_id, (UPDATED if existing else NEW)

    def _next_revision(self, article_id: int) -> int:
        return self.db.execute("select coalesce(max(revision), 0) + 1 from revisions where article_id = ?",
                               [article_id]).fetchone()[0]

    def _add_earlier_revision(self, article_id: int, record: dict, content_hash: str, captured: str,
                              crawl_run_id: int | None, extraction: str | None = None) -> str:
        """An older capture: keep its text as a revision (once), leave the current one."""
        known = self.db.execute("select 1 from revisions where article_id = ? and content_hash = ?",
                                [article_id, content_hash]).fetchone()
        if known:
            return UNCHANGED
        self._insert("revisions", {
            "article_id": article_id, "revision": self._next_revision(article_id),
            "content_hash": content_hash, "archived_at": captured, "crawl_run_id": crawl_run_id,
            "record": _json(record), "extraction": extraction,
        })
        self.db.execute("update articles set first_archived_at = min(first_archived_at, ?) where id = ?",
                        [captured, article_id])
        return UPDATED

    def _chronological_id(self, published_at: str) -> int:
        """A new article's id: its publication time in seconds, times 1,000, plus a
        counter for articles published in the same second.

        Ids in publication order let search take "the newest N matches" straight
        from the full-text index (FTS5 walks rowids in order and stops), which
        keeps common-word queries fast on a large archive.
        """
        seconds = int(datetime.fromisoformat(published_at).timestamp())
        base = seconds * 1000
        taken = self.db.execute(
            "select max(id) from articles where id between ? and ?", [base, base + 999]).fetchone()[0]
        if taken is None:
            return base
        if taken < base + 999:
            return taken + 1
        return (self.db.execute("select max(id) from articles").fetchone()[0] or 0) + 1

    @staticmethod
    def _article_row(article: Article, *, site: str, key: str, content_hash: str) -> dict:
        year = int(article.published_at[:4]) if article.published_at else None
        return {
            "site": site, "key": key, "node_id": article.node_id, "url": article.url,
            "section": article.section, "title": article.title,
            "published_at": article.published_at, "published_text": article.published_text,
            "year": year, "month": article.published_at[:7] if article.published_at else None,
            "body": "\n\n".join(article.body),
            "captions": "\n".join(i.caption for i in article.images if i.caption),
            "credit_lines": _json(article.credit_lines),
            "credited_names": _json([c.name for c in article.credits]),
            "attachments": _json([vars(a) for a in article.attachments]),
            "image_count": len(article.images), "paragraph_count": len(article.body),
            "content_hash": content_hash, "extraction": _extraction(article),
        }

    def _place_images(self, article_id: int, article: Article) -> None:
        """Where each image stands among the paragraphs is not in the content
        hash: an unchanged article stored before it was known (or whose images
        moved) gets it here."""
        wanted = [image.after_paragraph for image in article.images]
        stored = [row[0] for row in self.db.execute(
            "select after_paragraph from images where article_id = ? order by position", [article_id])]
        if stored != wanted and len(stored) == len(wanted):
            for n, after in enumerate(wanted, 1):
                self.db.execute("update images set after_paragraph = ? where article_id = ? and position = ?",
                                [after, article_id, n])

    def _replace_children(self, article_id: int, article: Article) -> None:
        self.db.execute("delete from article_html where article_id = ?", [article_id])
        self._insert("article_html", {
            "article_id": article_id, "body_html": article.body_html,
            "body_html_clean": article.body_html_clean,
        })
        for table in ("images", "credits", "attachments"):
            self.db.execute(f"delete from [{table}] where article_id = ?", [article_id])
        for n, image in enumerate(article.images, 1):
            self._insert("images", {"article_id": article_id, "position": n, "src": image.src,
                                    "alt": image.alt, "caption": image.caption,
                                    "after_paragraph": image.after_paragraph})
        for n, credit in enumerate(article.credits, 1):
            self._insert("credits", {"article_id": article_id, "position": n, "name": credit.name,
                                     "roles": _json(credit.roles)})
        for n, attachment in enumerate(article.attachments, 1):
            self._insert("attachments", {"article_id": article_id, "position": n,
                                         "href": attachment.href, "text": attachment.text})

    def _index_for_search(self, article_id: int, article: Article) -> None:
        # An explicit delete, not INSERT OR REPLACE: REPLACE's implicit delete
        # does not fire the trigger that keeps the FTS index in step.
        self.db.execute("delete from articles_search where id = ?", [article_id])
        captions = "\n".join(i.caption for i in article.images if i.caption)
        self._insert("articles_search", {
            "id": article_id, "title": article.title, "url": article.url,
            "published_at": article.published_at,
            "title_folded": fold(article.title),
            "body_folded": fold("\n\n".join(article.body)),
            "captions_folded": fold(captions),
        })

    def touch_article(self, url: str, checked_at: str) -> int | None:
        """An article answered 304 Not Modified: note that it was checked."""
        row = self.db.execute("select id from articles where url = ?", [url]).fetchone()
        if row:
            with self.transaction():
                self.db.execute("update articles set last_checked_at = ? where id = ?",
                                [as_utc(checked_at), row[0]])
            return row[0]
        return None

    # Upkeep -----------------------------------------------------------------
    def merge_search_indexes(self, changed: int | None = None) -> bool:
        """Merge each full-text index into one segment (FTS5 'optimize'), when
        `changed` articles (None: whatever the number) are at least
        MERGE_AFTER_SHARE of the archive; True if merged.

        Each article saved adds small segments to every index, which FTS5 merges
        only level by level: after a crawl, a lookup seeks each word in every
        segment. Merged, searches at 100,000 articles took 0.6x the time (p50;
        docs/performance.md). It rewrites the indexes (5.6 s at 100,000
        articles), so a crawl that added a few articles to a large archive
        leaves them to FTS5's own merging."""
        if changed is not None and (changed <= 0 or changed < MERGE_AFTER_SHARE * self.article_count()):
            return False
        present = set(self.db.table_names())
        with self.transaction():
            for name in SEARCH_INDEXES:
                if name in present:
                    self.db.execute(f"insert into {name}({name}) values ('optimize')")
        return True

    # Reading ----------------------------------------------------------------
    def article_count(self) -> int:
        return self.db.execute("select count(*) from articles").fetchone()[0]

    def articles_made_by(self, *, site: str | None = None, profile: str | None = None,
                         profile_version: str | None = None, fallback: str | None = None,
                         any_fallback: bool = False, unknown: bool = False) -> list[tuple[int, str]]:
        """(id, url) of the articles whose current text was made so: by a
        profile (and version), with a field that fell back (`fallback`:
        "title", "date" or "body"), with any fallback, or before provenance
        was recorded (`unknown`). What a targeted re-extraction reads."""
        where, params = [], []
        if site is not None:
            where.append("site = ?")
            params.append(site)
        if unknown:
            where.append("extraction is null")
        if profile is not None:
            where.append("json_extract(extraction, '$.profile') = ?")
            params.append(profile)
        if profile_version is not None:
            where.append("json_extract(extraction, '$.profile_version') = ?")
            params.append(profile_version)
        if fallback is not None:
            where.append("exists (select 1 from json_each(extraction, '$.fallbacks') where value = ?)")
            params.append(fallback)
        if any_fallback:
            where.append("json_array_length(extraction, '$.fallbacks') > 0")
        sql = "select id, url from articles" + (" where " + " and ".join(where) if where else "") + " order by id"
        return [tuple(row) for row in self.db.execute(sql, params)]

    def articles_to_refresh(self, site: str) -> list[tuple[str, str | None, str | None]]:
        """(url, etag, last_modified) of every archived article of `site`."""
        return [tuple(r) for r in self.db.execute(
            "select url, etag, last_modified from articles where site = ? order by id", [site])]

    # Media ------------------------------------------------------------------
    def record_media(self, *, url: str, status: int, fetched_at: str, crawl_run_id: int | None,
                     sha256: str | None = None, size: int | None = None,
                     content_type: str | None = None, path: str | None = None,
                     error: str | None = None) -> None:
        with self.transaction():
            previous = self.db.execute("select attempts, sha256 from media where url = ?", [url]).fetchone()
            if previous and previous[1] and (not sha256 or sha256 == previous[1]):
                # A failed re-fetch never hides bytes already stored, and the
                # same bytes again (a file restored from its capture) change nothing.
                return
            self.db.execute("delete from media where url = ?", [url])
            self._insert("media", {
                "url": url, "status": status, "fetched_at": as_utc(fetched_at),
                "crawl_run_id": crawl_run_id, "sha256": sha256, "size": size,
                "content_type": content_type, "path": path, "error": error,
                "attempts": (previous[0] or 0) + 1 if previous else 1,
            })
