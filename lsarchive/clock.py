"""Timestamps: one format everywhere the archive stores a time.

ISO 8601 in UTC, to the second, with an explicit `+00:00` offset
(`2026-12-01T21:34:00+00:00`). Sorting the strings sorts the times, and
SQLite's date functions read them. Times from elsewhere (a WARC-Date with
`Z` and microseconds, a Wayback 14-digit timestamp, an HTTP date) are
brought to this form by `as_utc`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as date_parser


def parse_http_date(text: str) -> datetime | None:
    """An HTTP date (RFC 9110) as an aware datetime (UTC when it names no
    zone), or None when the text is not one."""
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def as_utc(value: str | datetime | None) -> str | None:
    """`value` in the archive's format; None or '' stays None.

    A time without a zone is taken as UTC (WARC-Date and Wayback times are).
    Raises ValueError for text that is no time at all.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 14 and text.isdigit():  # Wayback: YYYYMMDDhhmmss
            value = datetime.strptime(text, "%Y%m%d%H%M%S")
        else:
            value = date_parser.isoparse(text) if text[:4].isdigit() else date_parser.parse(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()
