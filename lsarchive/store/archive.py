"""The SQLite archive: what a crawl (or an import) writes, and how it reads back.

Written with sqlite-utils, in WAL mode so that Datasette and researchers can
read while a crawl writes. Articles are keyed on site + node id (else the
canonical URL): the node URL and its alias are one article, and running a
crawl again duplicates nothing. A changed article gets a new revision; the
earlier text stays in `revisions`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .. import __version__
from ..normalize import fold
from ..record import Article, record_hash
from .schema import create_schema

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_key(site: str, article: Article) -> str:
    if article.node_id is not None:
        return f"{site}:node/{article.node_id}"
    return article.url


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class Archive:
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

    # Crawl runs ------------------------------------------------------------
    def start_run(self, site: str, site_url: str, settings: dict) -> int:
        table = self.tables["crawl_runs"]
        table.insert({
            "site": site, "site_url": site_url, "started_at": utc_now(), "status": "running",
            "settings": _json(settings), "lsarchive_version": __version__,
            "pages_fetched": 0, "articles_new": 0, "articles_updated": 0,
            "articles_unchanged": 0, "errors": 0,
        })
        return table.last_pk

    def finish_run(self, run_id: int, status: str, counts: dict) -> None:
        self.tables["crawl_runs"].update(run_id, {"finished_at": utc_now(), "status": status, **counts})

    # Pages and errors -------------------------------------------------------
    def record_page(self, *, url: str, kind: str, status: int, body: bytes, fetched_at: str,
                    content_type: str = "", crawl_run_id: int | None = None,
                    article_id: int | None = None, warc_file: str | None = None,
                    warc_offset: int | None = None) -> int:
        table = self.tables["pages"]
        table.insert({
            "url": url, "kind": kind, "status": status, "fetched_at": fetched_at,
            "sha256": sha256_hex(body), "content_type": content_type, "length": len(body),
            "crawl_run_id": crawl_run_id, "article_id": article_id,
            "warc_file": warc_file, "warc_offset": warc_offset,
        })
        return table.last_pk

    def record_error(self, *, url: str, stage: str, reason: str, crawl_run_id: int | None = None,
                     body: bytes | None = None) -> None:
        self.tables["extraction_errors"].insert({
            "url": url, "stage": stage, "reason": reason, "at": utc_now(),
            "crawl_run_id": crawl_run_id,
            "page_sha256": sha256_hex(body) if body is not None else None,
        })

    def record_section(self, *, url: str, site: str, name: str | None) -> None:
        if not self.tables["sections"].count_where("url = ?", [url]):
            self.tables["sections"].insert(
                {"url": url, "site": site, "name": name, "first_seen_at": utc_now()}
            )

    # Articles ---------------------------------------------------------------
    def find_article(self, key: str) -> dict | None:
        rows = list(self.tables["articles"].rows_where("key = ?", [key], limit=1))
        return rows[0] if rows else None

    def save_article(self, article: Article, *, site: str, fetched_at: str,
                     crawl_run_id: int | None = None, etag: str | None = None,
                     last_modified: str | None = None) -> tuple[int, str]:
        """Store one article; return (article id, NEW / UPDATED / UNCHANGED)."""
        record = article.to_dict()
        content_hash = record_hash(record)
        key = article_key(site, article)
        with self.db.conn:
            existing = self.find_article(key)
            if existing and existing["content_hash"] == content_hash:
                self.tables["articles"].update(existing["id"], {
                    "last_checked_at": fetched_at, "etag": etag or existing["etag"],
                    "last_modified": last_modified or existing["last_modified"],
                })
                return existing["id"], UNCHANGED
            revision = existing["revision"] + 1 if existing else 1
            row = self._article_row(article, site=site, key=key, content_hash=content_hash)
            row.update({
                "revision": revision, "last_archived_at": fetched_at, "last_checked_at": fetched_at,
                "etag": etag, "last_modified": last_modified,
            })
            if existing:
                article_id = existing["id"]
                self.tables["articles"].update(article_id, row)
            else:
                row.update({"first_archived_at": fetched_at, "crawl_run_id": crawl_run_id,
                            "id": self._chronological_id(article.published_at)})
                article_id = self.tables["articles"].insert(row).last_pk
            self._replace_children(article_id, article)
            self._index_for_search(article_id, article)
            self.tables["revisions"].insert({
                "article_id": article_id, "revision": revision, "content_hash": content_hash,
                "archived_at": fetched_at, "crawl_run_id": crawl_run_id, "record": _json(record),
            })
        return article_id, (UPDATED if existing else NEW)

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
            "content_hash": content_hash,
        }

    def _replace_children(self, article_id: int, article: Article) -> None:
        self.tables["article_html"].upsert({
            "article_id": article_id, "body_html": article.body_html,
            "body_html_clean": article.body_html_clean,
        }, pk="article_id")
        for table in ("images", "credits", "attachments"):
            self.db[table].delete_where("article_id = ?", [article_id])
        self.tables["images"].insert_all(
            {"article_id": article_id, "position": n, "src": i.src, "alt": i.alt, "caption": i.caption}
            for n, i in enumerate(article.images, 1)
        )
        self.tables["credits"].insert_all(
            {"article_id": article_id, "position": n, "name": c.name, "roles": _json(c.roles)}
            for n, c in enumerate(article.credits, 1)
        )
        self.tables["attachments"].insert_all(
            {"article_id": article_id, "position": n, "href": a.href, "text": a.text}
            for n, a in enumerate(article.attachments, 1)
        )

    def _index_for_search(self, article_id: int, article: Article) -> None:
        captions = "\n".join(i.caption for i in article.images if i.caption)
        self.tables["articles_search"].upsert({
            "id": article_id, "title": article.title, "url": article.url,
            "published_at": article.published_at,
            "title_folded": fold(article.title),
            "body_folded": fold("\n\n".join(article.body)),
            "captions_folded": fold(captions),
        }, pk="id")

    # Reading ----------------------------------------------------------------
    def article_count(self) -> int:
        return self.tables["articles"].count

    def known_article_urls(self, site: str) -> set[str]:
        return {row["url"] for row in self.db.query("select url from articles where site = ?", [site])}

    # What a crawl needs to know before it starts -------------------------------
    def last_run_finished(self, site: str) -> bool:
        """Did the latest crawl of `site` walk everything to the end?"""
        row = self.db.execute(
            "select status from crawl_runs where site = ? and status != 'running' "
            "order by id desc limit 1", [site],
        ).fetchone()
        return bool(row) and row[0] == "finished"

    def articles_to_refresh(self, site: str) -> list[tuple[str, str | None, str | None]]:
        """(url, etag, last_modified) of every archived article of `site`."""
        return [tuple(r) for r in self.db.execute(
            "select url, etag, last_modified from articles where site = ? order by id", [site])]

    def touch_article(self, url: str, checked_at: str) -> int | None:
        """An article answered 304 Not Modified: note that it was checked."""
        row = self.db.execute("select id from articles where url = ?", [url]).fetchone()
        if row:
            self.tables["articles"].update(row[0], {"last_checked_at": checked_at})
            return row[0]
        return None

    def failed_media_urls(self) -> list[str]:
        """Media that could not be fetched last time: a crawl tries them again."""
        return [r[0] for r in self.db.execute(
            "select url from media where sha256 is null order by url")]

    def stored_media_urls(self) -> set[str]:
        return {r[0] for r in self.db.execute("select url from media where status = 200 and sha256 is not null")}

    def record_media(self, *, url: str, status: int, fetched_at: str, crawl_run_id: int | None,
                     sha256: str | None = None, size: int | None = None,
                     content_type: str | None = None, path: str | None = None,
                     error: str | None = None) -> None:
        existing = self.tables["media"].count_where("url = ?", [url])
        attempts = 1
        if existing:
            attempts = (self.tables["media"].get(url)["attempts"] or 0) + 1
        self.tables["media"].upsert({
            "url": url, "status": status, "fetched_at": fetched_at, "crawl_run_id": crawl_run_id,
            "sha256": sha256, "size": size, "content_type": content_type, "path": path,
            "error": error, "attempts": attempts,
        }, pk="url")

    def mark_abandoned_runs(self, site: str) -> int:
        """Runs still 'running' were killed (kill -9, power loss): say so."""
        cursor = self.db.execute(
            "update crawl_runs set status = 'killed' where site = ? and status = 'running'", [site])
        self.db.conn.commit()
        return cursor.rowcount
