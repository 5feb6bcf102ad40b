"""What the archive knows about its own WARC captures (read-only queries).

The WARC writer asks it where the last full capture of a URL is, so that a
304 or a repeated payload becomes a revisit record pointing at it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_readonly(db: str | Path) -> sqlite3.Connection | None:
    """A read-only connection to the archive, or None while there is none."""
    path = Path(db)
    if not path.exists():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None


def latest_full_capture(conn: sqlite3.Connection, url: str) -> tuple[str, int] | None:
    """(WARC file, offset) of the newest 200 response the archive holds for `url`."""
    try:
        row = conn.execute(
            "select warc_file, warc_offset from pages where url = ? and status = 200 "
            "and warc_file is not null order by id desc limit 1", [url]).fetchone()
    except sqlite3.Error:  # an archive created before `pages` had these columns
        return None
    return (row[0], row[1]) if row else None


def referenced_media(conn: sqlite3.Connection) -> list[str]:
    """Every image and attachment URL the archive's current articles refer to."""
    return [row[0] for row in conn.execute(
        "select src from images where src is not null union select href from attachments where href is not null")]


def article_captures(conn: sqlite3.Connection) -> list[tuple[str, str, int, str]]:
    """(url, WARC file, offset, title) of every capture of an article page, oldest first."""
    return [tuple(row) for row in conn.execute(
        "select p.url, p.warc_file, p.warc_offset, a.title from pages p join articles a on a.id = p.article_id "
        "where p.kind = 'article' and p.warc_file is not null and p.status in (200, 304) order by p.id")]
