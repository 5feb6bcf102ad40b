"""Pure extraction: HTML in, article record out.

Nothing here knows of Scrapy, HTTP or storage, so the same code runs on a
file, a Scrapy response or a WARC record. Everything specific to one portal
comes from its SiteProfile.
"""

from __future__ import annotations

from ..profiles import DEFAULT_PROFILE, SiteProfile
from ..record import Article, ExtractionError, NotAnArticle


def extract_article(html: str | bytes, url: str, profile: SiteProfile | None = None) -> Article:
    """Extract the article record of one page.

    Raises NotAnArticle for pages that are not articles (listings, error
    pages, empty bodies) and ExtractionError when a page cannot be read.
    """
    raise NotImplementedError


__all__ = ["extract_article", "Article", "ExtractionError", "NotAnArticle", "DEFAULT_PROFILE"]
