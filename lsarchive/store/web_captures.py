"""Captures of the site that web archives list (CDX), and what the archive holds of them.

`web_captures` has one row per capture a CDX server listed (site, URL,
timestamp, digest); `fetched_at` is set in the same transaction that stores
what the capture brought, so after a kill -9 a capture is either fetched and
stored, or neither. `lsarchive coverage` reads it beside `article_links`.
"""

from __future__ import annotations

from ..clock import utc_now


def record_listed(archive, *, site: str, cdx_server: str, captures) -> None:
    """Remember every capture listed (once), with its kind (article, listing, media)."""
    now = utc_now()
    with archive.transaction():
        for kind, url, capture in captures:
            archive._insert("web_captures", {
                "site": site, "url": url, "timestamp": capture.timestamp, "digest": capture.digest,
                "status": capture.status, "mimetype": capture.mimetype, "kind": kind,
                "cdx_server": cdx_server, "seen_at": now,
            }, or_ignore=True)


def fetched(archive, site: str) -> set[tuple[str, str]]:
    """(URL, digest) of every capture already fetched: not fetched again."""
    return set(archive.db.execute(
        "select url, digest from web_captures where site = ? and fetched_at is not null", [site]))


def mark_fetched(archive, *, site: str, url: str, timestamp: str, digest: str, outcome: str,
                 warc_file: str | None, warc_offset: int | None) -> None:
    archive.db.execute(
        """update web_captures set fetched_at = ?, outcome = ?, warc_file = ?, warc_offset = ?
           where site = ? and url = ? and timestamp = ? and digest = ?""",
        [utc_now(), outcome, warc_file, warc_offset, site, url, timestamp, digest])
