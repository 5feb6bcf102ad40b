"""Export article records (CONTRACT.md) as JSON Lines or CSV.

A record is the one the archive stored for the article's current revision
(`revisions.record`), so an export carries exactly what extraction produced.
An article without a stored record (an archive filled by other means) is
rebuilt from the articles, images, credits and attachments tables.

Filters: publication dates (inclusive, YYYY-MM-DD, the local date of
`published_at`), section (compared without case or diacritics) and a
full-text query (the same FTS5 search as `lsarchive search`).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import IO, Iterator

from .normalize import fold
from .record import CONTRACT_FIELDS
from .store.search import check_query, fts_query

FORMATS = ("jsonl", "csv")


@dataclass
class Filters:
    since: str | None = None    # YYYY-MM-DD, inclusive
    until: str | None = None    # YYYY-MM-DD, inclusive
    section: str | None = None
    query: str | None = None
    site: str | None = None

    def validate(self) -> None:
        """Raise ValueError with a readable reason for a bad filter."""
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"--{name} {value!r} is not a date (YYYY-MM-DD)") from None
                if len(value) != 10:
                    raise ValueError(f"--{name} {value!r} is not a date (YYYY-MM-DD)")
        if self.query is not None and not fts_query(self.query):
            raise ValueError(f"--query {self.query!r} has no words to search for")


def _where(filters: Filters) -> tuple[str, list]:
    conditions = (  # (the filter's value, the clause it adds, what the clause is given)
        (filters.since, "substr(a.published_at, 1, 10) >= ?", str),
        (filters.until, "substr(a.published_at, 1, 10) <= ?", str),
        (filters.section, "lsarchive_fold(a.section) = ?", fold),
        (filters.site, "a.site = ?", str),
        (filters.query, "a.id in (select rowid from articles_search_fts where articles_search_fts match ?)",
         fts_query),
    )
    given = [(clause, parameter(value)) for value, clause, parameter in conditions if value]
    clauses = [clause for clause, _ in given]
    return (" where " + " and ".join(clauses)) if clauses else "", [value for _, value in given]


def records(conn: sqlite3.Connection, filters: Filters | None = None) -> Iterator[dict]:
    """The records of the matching articles, oldest first."""
    filters = filters or Filters()
    filters.validate()
    if filters.query:
        check_query(conn, filters.query)  # a syntax error before the first record, not midway
    conn.create_function("lsarchive_fold", 1, fold, deterministic=True)
    where, params = _where(filters)
    rows = conn.execute(  # a cursor, not a list: an export streams
        "select a.id, r.record from articles a "
        "left join revisions r on r.article_id = a.id and r.revision = a.revision"
        f"{where} order by a.published_at, a.id",
        params,
    )
    for article_id, stored in rows:
        yield json.loads(stored) if stored else record_from_tables(conn, article_id)


def record_from_tables(conn: sqlite3.Connection, article_id: int) -> dict:
    """Rebuild a record from the archive's tables (for articles without a revision record)."""
    def query(sql: str) -> list[tuple]:
        return conn.execute(sql, [article_id]).fetchall()

    (url, node_id, section, title, published_at, published_text, body, credit_lines), = query(
        "select url, node_id, section, title, published_at, published_text, body, credit_lines "
        "from articles where id = ?")
    return {
        "url": url, "node_id": node_id, "section": section, "title": title,
        "published_at": published_at, "published_text": published_text,
        "body": [p for p in (body or "").split("\n\n") if p],
        "images": [{"src": s, "alt": a, "caption": c, "after_paragraph": p} for s, a, c, p in query(
            "select src, alt, caption, after_paragraph from images where article_id = ? order by position")],
        "credits": [{"name": n, "roles": json.loads(r or "[]")} for n, r in query(
            "select name, roles from credits where article_id = ? order by position")],
        "credit_lines": json.loads(credit_lines or "[]"),
        "attachments": [{"href": h, "text": t} for h, t in query(
            "select href, text from attachments where article_id = ? order by position")],
    }


# Writers --------------------------------------------------------------------------
def write_jsonl(items: Iterator[dict], out: IO[str]) -> int:
    count = 0
    for record in items:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_row(record: dict) -> dict:
    """A record as CSV cells: body paragraphs joined by blank lines, lists as JSON."""
    row = {}
    for name in CONTRACT_FIELDS:
        value = record.get(name)
        if name == "body":
            value = "\n\n".join(value or [])
        elif isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        row[name] = "" if value is None else value
    return row


def write_csv(items: Iterator[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=CONTRACT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in items:
        writer.writerow(csv_row(record))
        count += 1
    return count


def export(conn: sqlite3.Connection, out: IO[str], fmt: str, filters: Filters | None = None) -> int:
    """Write the matching records to `out` (opened with newline="") and return how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    writer = write_jsonl if fmt == "jsonl" else write_csv
    return writer(records(conn, filters), out)
