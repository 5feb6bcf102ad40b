"""Date values: machine-readable timestamps and visible Vietnamese date lines.

Everything comes out as ISO 8601 in the site's offset (+07:00 for Vietnam):
`2017-01-10T20:04:51+07:00`. A visible line has minute precision, so its
seconds are `:00`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
_UNIX_TIME = re.compile(r"^\s*(\d{9,10})\s*$")
_CANONICAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


@lru_cache(maxsize=8)
def site_timezone(utc_offset: str) -> timezone:
    """`+07:00` as a tzinfo."""
    return timezone(_offset(utc_offset))


def _offset(text: str) -> timedelta:
    if text.upper() == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return sign * timedelta(hours=hours, minutes=minutes)


def iso(moment: datetime, tz: timezone) -> str:
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def parse_machine_date(value: str | None, utc_offset: str = "+07:00") -> tuple[str, bool] | None:
    """A machine-readable timestamp as (ISO string in the site offset, has_time).

    Accepts ISO 8601 with or without seconds, `Z` or any offset (converted),
    no offset (taken as site time), a date alone, or Unix seconds. None for
    anything else or an impossible date.
    """
    if not value:
        return None
    if value.endswith(utc_offset) and _CANONICAL.match(value):
        # Already what we write (Drupal's RDFa): only check the date exists.
        try:
            datetime(int(value[:4]), int(value[5:7]), int(value[8:10]),
                     int(value[11:13]), int(value[14:16]), int(value[17:19]))
        except ValueError:
            return None
        return value, True
    tz = site_timezone(utc_offset)
    unix = _UNIX_TIME.match(value)
    if unix:
        try:
            return iso(datetime.fromtimestamp(int(unix.group(1)), timezone.utc), tz), True
        except (OverflowError, OSError, ValueError):
            return None
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    has_time = hour is not None
    try:
        zone = timezone(_offset(offset)) if offset else tz
        moment = datetime(int(year), int(month), int(day),
                          int(hour or 0), int(minute or 0), int(second or 0), tzinfo=zone)
    except (ValueError, OverflowError):
        return None
    return iso(moment, tz), has_time


def parse_visible_date(text: str, patterns: tuple[re.Pattern, ...],
                       utc_offset: str = "+07:00") -> tuple[str, str] | None:
    """The first date line in `text` as (ISO string, the line as shown).

    Of the profile's patterns, the match that carries a time wins (the same
    line may match a date-only pattern first).
    """
    best = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = _visible_value(match, utc_offset)
            if value is None:
                continue
            has_time = match.group("H") is not None
            if has_time and best is None:
                return value, match.group(0).strip()  # the usual line: nothing can beat it
            candidate = (has_time, -match.start(), value, match.group(0).strip())
            if best is None or candidate[:2] > best[:2]:
                best = candidate
            break  # the first valid date of each pattern
    if best is None:
        return None
    return best[2], best[3]


def _visible_value(match: re.Match, utc_offset: str) -> str | None:
    groups = match.groupdict()
    try:
        tz = site_timezone(utc_offset)
        year, month, day = int(groups["y"]), int(groups["m"]), int(groups["d"])
        hour, minute, second = int(groups.get("H") or 0), int(groups.get("M") or 0), int(groups.get("S") or 0)
        datetime(year, month, day, hour, minute, second)  # the date and time exist
    except (ValueError, OverflowError, TypeError):
        return None
    # what datetime(..., tzinfo=tz).isoformat() writes, without building it
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{_iso_offset(tz)}"


@lru_cache(maxsize=8)
def _iso_offset(tz: timezone) -> str:
    return datetime(2000, 1, 1, tzinfo=tz).isoformat()[19:]
