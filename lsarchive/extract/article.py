"""One page to one article record: the steps of the package in order, the
profile's selectors first and the fallback rules where they miss."""

from __future__ import annotations

from .. import __version__
from ..profiles import DEFAULT_PROFILE, SiteProfile
from ..record import Article, ExtractionError, NotAnArticle
from . import document, fallbacks, metadata, pages
from .attachments import attachments_of
from .blocks import read_blocks
from .body import assemble_body
from .sanitize import sanitize_body


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

    The profile's selectors are tried first; a field they miss (title, date,
    body) is found by the rules of fallbacks.py, and `Article.extraction`
    names it (with the profile, its version and lsarchive's version).

    Raises NotAnArticle for pages that are not articles (listings, error
    pages, search pages, empty bodies) and ExtractionError when a page cannot
    be read (`stage` says which step failed; "date" when an article shows no date).
    """
    profile = profile or DEFAULT_PROFILE
    fell_back: list[str] = []
    excluded = None  # the page's boilerplate, found once if a fallback needs it
    with _Stage("parse"):
        source, root = document.read_page(html, profile, content_type)
        if root is None:
            raise NotAnArticle("empty page: no HTML", "parse")
    with _Stage("metadata"):
        node_id = metadata.node_id(root, profile)
        pages.reject_by_page(root, profile)
        canonical = metadata.canonical_url(root, url, profile)
        node = document.find_node(root, node_id, profile)
    with _Stage("title"):
        title, title_element = metadata.title(root, profile, node_id is not None or node is not None)
        if not title:
            excluded = fallbacks.boilerplate(root, profile)
            title, title_element = fallbacks.title(root, profile, excluded)
            fell_back.append("title")
        if not title:
            raise NotAnArticle("no title: not an article page", "title")
        pages.reject_by_title(title, profile)
    with _Stage("body"):
        body = document.find_body(root, node, profile)
        if body is None:
            excluded = excluded if excluded is not None else fallbacks.boilerplate(root, profile)
            body = fallbacks.body(root, node, title_element, excluded)
            if body is None:
                raise NotAnArticle("no article body on the page", "body")
            pages.reject_listing(root, body, excluded, profile)
            fell_back.append("body")
    with _Stage("date"):
        # Without the node, the profile's date selectors would read the whole
        # page (sidebars too): only the fallback's rules know where to look.
        published_at, published_text = (metadata.published(root, node, profile, body)
                                        if node is not None else (None, None))
        date_element = None
        if published_at is None:
            excluded = excluded if excluded is not None else fallbacks.boilerplate(root, profile)
            if title_element is None:
                title_element = fallbacks.heading_showing(root, title, excluded)
            published_at, published_text, date_element = fallbacks.published(
                root, title_element, profile, excluded)
            if published_at is not None:
                fell_back.append("date")
    with _Stage("body"):
        if "body" in fell_back:
            fallbacks.trim_head(body, title_element, date_element, excluded)
        reader = read_blocks(body, url, profile)
        blocks = reader.blocks
        if not blocks:
            raise NotAnArticle("the article body is empty", "body")
        parts = assemble_body(blocks, title, profile)
        if not parts.paragraphs and not parts.images:
            raise NotAnArticle("the article body has no text of its own", "body")
        pages.reject_by_body(parts.paragraphs, profile)
    if published_at is None:
        if "body" in fell_back:  # no node body, no date: a static page (contact, about), no news
            raise NotAnArticle("no publication date and no article body the profile knows "
                               "(a static page)", "date")
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
        extraction=provenance(profile, [field for field in FALLBACK_FIELDS if field in fell_back]),
    )


FALLBACK_FIELDS = ("title", "date", "body")
"""The fields that fall back when the profile's selectors miss, in the order
`Article.extraction["fallbacks"]` lists them."""


def provenance(profile: SiteProfile, fell_back: list[str]) -> dict:
    """How a record was made: `Article.extraction`."""
    return {"profile": profile.name, "profile_version": profile.version,
            "fallbacks": fell_back, "lsarchive_version": __version__}
