"""Pages that are not articles: error pages (a "page not found" served with
status 200 too), search pages and listings. Each check raises NotAnArticle
with a one-line reason; the platform's conventions (body classes, teaser
classes) come from the profile.
"""

from __future__ import annotations

from functools import lru_cache

from ..profiles import SiteProfile
from ..record import NotAnArticle
from . import document, metadata
from .fallbacks import listing_teasers

_LISTING_TEASERS = 3
_NOT_FOUND_BODY_CHARS = 400


def reject_by_page(root, profile: SiteProfile) -> None:
    """What the page's <body> classes, <title> and nodes say, before anything is read."""
    classes = metadata.body_classes(root)
    class_names = set(classes.split())
    page_title = metadata.page_title(root)
    bare_title = page_title.split("|")[0].strip().casefold()
    if class_names.intersection(profile.error_body_classes) or bare_title in _folded(profile.not_found_titles):
        raise NotAnArticle(f"error page: {page_title or classes}", "metadata")
    if class_names.intersection(profile.search_body_classes) or _is_search_title(bare_title, profile):
        raise NotAnArticle(f"search page: {page_title or classes}", "metadata")
    if metadata.pattern(profile.node_page_body_class_re).search(classes):
        return  # the platform says this page shows one node
    if document.select(root, profile.search_page_css):
        raise NotAnArticle(f"search page: {page_title or 'a list of search results'}", "metadata")
    full_nodes = [el for el in document.select(root, profile.node_css) if not document.is_teaser(el, profile)]
    outermost = [el for el in full_nodes if not any(a in full_nodes for a in el.iterancestors())]
    if len(outermost) >= 2:
        raise NotAnArticle(f"listing page: {len(outermost)} nodes", "metadata")
    if not outermost:
        teasers = document.count_teasers(root, profile)
        if teasers >= 2:
            raise NotAnArticle(f"listing page: {teasers} teasers and no full node", "metadata")


def reject_by_title(title: str, profile: SiteProfile) -> None:
    """An error page whose <title> is the site's but whose heading says it."""
    folded = title.casefold().strip(" .!:")
    if folded in _folded(profile.not_found_titles) or any(
            phrase in folded for phrase in profile.not_found_phrases):
        raise NotAnArticle(f"error page: {title}", "title")
    if _is_search_title(folded, profile):
        raise NotAnArticle(f"search page: {title}", "title")


def reject_by_body(paragraphs: list[str], profile: SiteProfile) -> None:
    """A soft 404: a short body saying that the page does not exist."""
    text = " ".join(paragraphs)
    if len(text) > _NOT_FOUND_BODY_CHARS:
        return
    folded = text.casefold()
    for phrase in profile.not_found_phrases:
        if phrase in folded:
            raise NotAnArticle(f"error page: the body says {phrase!r}", "body")


def reject_listing(root, body_element, excluded: set, profile: SiteProfile) -> None:
    """A block found by density that is, holds or sits in one of the profile's
    teasers (a listing of one), or that is a list of linked headings, is a listing."""
    marked = set(document.select(root, profile.teaser_css))
    if marked and (body_element in marked or any(el in marked for el in body_element.iterancestors())
                   or any(el in marked for el in body_element.iter())):
        raise NotAnArticle("listing page: teasers and no article body", "body")
    teasers = listing_teasers(body_element, excluded)
    if teasers >= _LISTING_TEASERS:
        raise NotAnArticle(f"listing page: {teasers} linked headings and no article body", "body")


def _is_search_title(folded: str, profile: SiteProfile) -> bool:
    return any(folded == name or folded.startswith(name + ":") for name in profile.search_page_titles)


@lru_cache(maxsize=8)
def _folded(texts: tuple[str, ...]) -> frozenset:
    return frozenset(t.casefold() for t in texts)
