"""The article record of CONTRACT.md, and the errors extraction can raise.

This module knows nothing of HTML, Scrapy or storage: it is the shape that
extraction produces, the archive stores and exports carry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

# Credit roles, in the order CONTRACT.md lists them.
ROLES = ("text", "photo", "video", "source", "unit")

# The fields `lsarchive extract` prints, in the order it prints them.
CONTRACT_FIELDS = (
    "url",
    "node_id",
    "section",
    "title",
    "published_at",
    "published_text",
    "body",
    "images",
    "credits",
    "credit_lines",
    "attachments",
)

# Image fields that place an image on the page, left out of the content hash.
LAYOUT_FIELDS = frozenset({"after_paragraph"})


@dataclass
class Image:
    """An article image. `after_paragraph` says where it stood in the body:
    the number of `body` paragraphs before it (0 = before the first one,
    len(body) = after the last); None when not known (records made before
    the field existed)."""

    src: str
    alt: str | None = None
    caption: str | None = None
    after_paragraph: int | None = None


@dataclass
class Credit:
    name: str
    roles: list[str] = field(default_factory=list)


@dataclass
class Attachment:
    href: str
    text: str


@dataclass
class Article:
    url: str
    node_id: int | None
    section: str | None
    title: str
    published_at: str
    published_text: str | None
    body: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    credit_lines: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    # Not printed by `extract` but kept by the archive: the body exactly as
    # the CMS stored it, and a copy safe to display.
    body_html: str = ""
    body_html_clean: str = ""
    # How the record was made (not what the article says: left out of
    # to_dict and of the content hash): {"profile", "profile_version",
    # "fallbacks": fields the profile's selectors missed, "lsarchive_version"}.
    extraction: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The CONTRACT.md record, fields in contract order."""
        full = asdict(self)
        return {name: full[name] for name in CONTRACT_FIELDS}

    def content_hash(self) -> str:
        """sha256 of the contract record: equal hashes mean equal articles."""
        return record_hash(self.to_dict())


def record_hash(record: dict) -> str:
    """sha256 of what the article says, not of where it was fetched from.

    The article's URL and its image and attachment URLs count by their path
    and query only: the same text fetched over http or https, from www. or
    not, from another port or through a Wayback is the same revision.
    """
    fields = {name: record.get(name) for name in CONTRACT_FIELDS}
    fields["url"] = site_relative(fields["url"])
    # An image's place among the paragraphs is layout, not what the article
    # says: it stays out of the hash, so archives made before the field
    # existed keep their revisions (Archive.save_article refreshes it).
    fields["images"] = [{**{k: v for k, v in image.items() if k not in LAYOUT_FIELDS},
                         "src": site_relative(image.get("src"))} for image in fields["images"] or []]
    fields["attachments"] = [{**attachment, "href": site_relative(attachment.get("href"))}
                             for attachment in fields["attachments"] or []]
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def site_relative(url: str | None) -> str | None:
    """`/path?query` of a URL, Wayback wrapping undone."""
    if not url:
        return url
    from urllib.parse import urlsplit

    from .wayback import original_url

    parts = urlsplit(original_url(url))
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class ExtractionError(Exception):
    """A page could not be turned into an article record.

    `stage` names the step that failed (parse, title, date, body...), so that
    the archive can record where extraction stopped and why.
    """

    def __init__(self, reason: str, stage: str = "extract"):
        super().__init__(reason)
        self.reason = reason
        self.stage = stage


class NotAnArticle(ExtractionError):
    """The page is fine but is not an article (a listing, an error page...)."""
