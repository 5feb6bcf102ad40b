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
    attachments.py  document links
    sanitize.py     a safe display copy of the body HTML
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..profiles import DEFAULT_PROFILE, SiteProfile
from ..record import Article, ExtractionError, NotAnArticle
from . import document, metadata
from .attachments import attachments_of
from .blocks import read_blocks
from .body import assemble_body
from .sanitize import sanitize_body

_PAGE_NODE = re.compile(r"(?:^|\s)page-node-\d+(?:\s|$)")
_ERROR_BODY_CLASS = re.compile(r"(?:^|\s)page-(?:404|403|error)(?:\s|$)")


class _Stage:
    """Turns any unexpected exception of a step into ExtractionError(stage)."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None or isinstance(error, ExtractionError):
            return False
        if not isinstance(error, Exception):
            return False  # KeyboardInterrupt, SystemExit: not ours to hide
        raise ExtractionError(f"{type(error).__name__}: {error}", self.name) from error


def extract_article(html: str | bytes, url: str, profile: SiteProfile | None = None, *,
                    content_type: str | None = None) -> Article:
    """Extract the article record of one page.

    `content_type` is the HTTP Content-Type header, when the page came over
    HTTP: its charset is believed before the page's own <meta>.

    Raises NotAnArticle for pages that are not articles (listings, error
    pages, empty bodies) and ExtractionError when a page cannot be read
    (`stage` says which step failed; "date" when an article shows no date).
    """
    profile = profile or DEFAULT_PROFILE
    with _Stage("parse"):
        source, root = document.read_page(html, profile, content_type)
        if root is None:
            raise NotAnArticle("empty page: no HTML", "parse")
    with _Stage("metadata"):
        node_id = metadata.node_id(root, profile)
        _reject_non_articles(root, profile)
        canonical = metadata.canonical_url(root, url, profile)
        node = document.find_node(root, node_id, profile)
    with _Stage("title"):
        title = metadata.title(root, profile)
        if not title:
            raise NotAnArticle("no title: not an article page", "title")
    with _Stage("body"):
        body = document.find_body(root, node, profile)
        if body is None:
            raise NotAnArticle("no article body on the page", "body")
        reader = read_blocks(body, url, profile)
        blocks = reader.blocks
        if not blocks:
            raise NotAnArticle("the article body is empty", "body")
        parts = assemble_body(blocks, title, profile)
        if not parts.paragraphs and not parts.images:
            raise NotAnArticle("the article body has no text of its own", "body")
    with _Stage("date"):
        published_at, published_text = metadata.published(root, node, profile, body)
        if published_at is None:
            raise ExtractionError("no publication date on the page", "date")
    with _Stage("section"):
        section = metadata.section(root, title, url, profile)
    with _Stage("html"):
        body_html = document.raw_inner_html(source, root, body)
        if body_html is None:
            body_html = document.serialized_inner_html(body)
        body_html_clean = sanitize_body(body, url, in_place=True, notes=reader)  # last use of the tree
    return Article(
        url=canonical,
        node_id=node_id,
        section=section,
        title=title,
        published_at=published_at,
        published_text=published_text,
        body=parts.paragraphs,
        images=parts.images,
        credits=parts.credits,
        credit_lines=parts.credit_lines,
        attachments=attachments_of(reader.attachments),
        body_html=body_html,
        body_html_clean=body_html_clean,
    )


def _reject_non_articles(root, profile: SiteProfile) -> None:
    """Error pages and listings say so before anything else is read."""
    classes = metadata.body_classes(root)
    page_title = metadata.page_title(root)
    bare_title = page_title.split("|")[0].strip().casefold()
    if _ERROR_BODY_CLASS.search(classes) or bare_title in _folded(profile.not_found_titles):
        raise NotAnArticle(f"error page: {page_title or classes}", "metadata")
    if _PAGE_NODE.search(classes):
        return  # Drupal says this page shows one node
    full_nodes = [el for el in document.select(root, profile.node_css)
                  if "node-teaser" not in (el.get("class") or "")]
    outermost = [el for el in full_nodes if not any(a in full_nodes for a in el.iterancestors())]
    if len(outermost) >= 2:
        raise NotAnArticle(f"listing page: {len(outermost)} nodes", "metadata")
    if not outermost:
        teasers = document.count_teasers(root, profile)
        if teasers >= 2:
            raise NotAnArticle(f"listing page: {teasers} teasers and no full node", "metadata")


@lru_cache(maxsize=8)
def _folded(texts: tuple[str, ...]) -> frozenset:
    return frozenset(t.casefold() for t in texts)


__all__ = ["extract_article", "Article", "ExtractionError", "NotAnArticle", "DEFAULT_PROFILE"]
