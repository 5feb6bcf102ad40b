"""What a route of the mirror produces, before HTTP conditionals and HEAD
are applied (shared by the city portal in site.py and its sibling sub-sites
in province.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

LOCAL_TIME = timezone(timedelta(hours=7))
HTML = "text/html; charset=utf-8"


@dataclass
class Resource:
    """One answer of a route: status, body and the validators to send."""

    status: int
    body: bytes
    content_type: str = HTML
    last_modified: datetime | None = None
    cacheable: bool = True
    """Whether to send an ETag (not for errors or redirects)."""
    location: str | None = None

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"' if self.cacheable else None


def http_date(when: datetime) -> str:
    """An HTTP date (GMT) from a local (UTC+07:00) naive datetime."""
    return format_datetime(when.replace(tzinfo=LOCAL_TIME).astimezone(timezone.utc), usegmt=True)
