"""Pure extraction: HTML in, article record out.

Nothing here knows of Scrapy, HTTP or storage, so the same code runs on a
file, a Scrapy response or a WARC record. Everything specific to one portal
comes from its SiteProfile.

One module per concern, one function per field (as trafilatura/htmldate and
Fundus do):

    document.py     bytes → text → lxml tree; node, body, exact body source
    metadata.py     url, node_id, section, title, published_at/_text
    dates.py        machine timestamps and visible Vietnamese date lines
    blocks.py       the body as ordered text/image blocks with style facts
    related.py      related-links blocks inside the body
    captions.py     which text is an image's caption
    credits.py      trailing credit lines and their names and roles
    body.py         the steps above in the right order → body, images, credits
    fallbacks.py    title, date and body by rules that hold on any theme, for
                    when the profile's selectors miss
    pages.py        pages that are not articles (error, search, listing pages)
    article.py      the steps above in order: one page → one article record
    by_site.py      which of a site's profile versions reads a page
    attachments.py  document links
    sanitize.py     a safe display copy of the body HTML
"""

from __future__ import annotations

from ..profiles import DEFAULT_PROFILE
from ..record import Article, ExtractionError, NotAnArticle
from .article import FALLBACK_FIELDS, extract_article, provenance
from .by_site import extract_for_site

__all__ = [
    "extract_article", "extract_for_site", "provenance", "Article", "ExtractionError", "NotAnArticle",
    "DEFAULT_PROFILE", "FALLBACK_FIELDS",
]
