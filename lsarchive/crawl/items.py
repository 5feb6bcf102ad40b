"""What the spider yields: one fetched page, as it came off the wire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Page kinds, as the spider classifies them.
HOME, LISTING, ARTICLE, MEDIA = "home", "listing", "article", "media"


@dataclass
class PageItem:
    url: str
    status: int
    kind: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str = ""
    section: str | None = None
    site: str = ""  # the archive's site of the page (the crawl's site it belongs to)
    # Filled by the pipelines.
    article: Any = None  # lsarchive.record.Article
    error: tuple[str, str] | None = None  # (stage, reason)
    not_an_article: bool = False  # the page is fine, but is no article
    warc: dict[str, Any] = field(default_factory=dict)  # {"file":..., "offset":...}
    # Listing pages: what the spider learned from the page, for the archive's
    # coverage records (store/coverage.py): {"section_url", "links": [(path,
    # url)], "starts_walk", "ends_walk"}.
    listing: dict[str, Any] | None = None

    @property
    def content_type(self) -> str:
        # WARCs of other tools (HTTP/2 captures) may spell the name in lower case.
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
