"""The record's metadata: url, node_id, section, title, published_at/_text.

One function per field, each reading the page tree through the profile's
selectors (Drupal 7 defaults in profiles/base.py). Link and meta elements
are looked up in <head> only, and dates in the node minus its body text:
small trees, so the profile's CSS selectors stay cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..profiles import SiteProfile
from .dates import parse_machine_date, parse_visible_date
from .css import compiled
from .document import clean_text, head_of, html_body, inline_text, node_elements_by_id, select, select_any

_TITLE = etree.XPath("descendant-or-self::title")
_RDFA_TITLE = etree.XPath("//*[@property=$property][@content]/@content")
_META_TITLE = etree.XPath("descendant-or-self::meta[@property=$property][@content]/@content")
_META_PUBLISHED = etree.XPath(
    "descendant-or-self::meta[@property='article:published_time' or @itemprop='datePublished'"
    " or @name='dcterms.created' or @name='DC.date.created'][@content]/@content"
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ORIGIN = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)")
_WEB_URL = re.compile(r"^https?://", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")


def is_web_url(url: str | None) -> bool:
    """Whether a URL may become a link or an attachment: http(s) only
    (a javascript:, data: or vbscript: URL would run in the reader's page)."""
    return bool(url) and bool(_WEB_URL.match(url))


def _without_controls(href: str) -> str:
    """As browsers read a URL (WHATWG): tabs and newlines dropped, other
    control characters percent-encoded (lxml and SQLite text keep them out)."""
    href = _TAB_NEWLINE.sub("", href).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                           "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
                                           "\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    return _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", href)


def absolute_url(base: str, href: str) -> str:
    """`href` resolved against `base`; an absolute URL is kept exactly as
    written (spaces, `//` in paths: the archive keeps what the page says),
    but for control characters, which no URL may hold."""
    href = href.strip()
    if _CONTROL.search(href):
        href = _without_controls(href)
    if _SCHEME.match(href):
        return href
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        origin = _origin(base)  # the common site-absolute path, without urljoin's cost
        if origin:
            return origin + href
    try:
        return urljoin(base, href)
    except ValueError:  # e.g. an invalid IPv6 host in either URL
        return href


@lru_cache(maxsize=256)
def _origin(url: str) -> str | None:
    match = _ORIGIN.match(url)
    return match.group(1) if match else None


# url, node_id, section ----------------------------------------------------------

def canonical_url(root, url: str, profile: SiteProfile) -> str:
    for link in select(head_of(root), profile.canonical_css):
        href = (link.get("href") or "").strip()
        if href:
            canonical = absolute_url(url, href)
            # A javascript: or data: canonical would become the reader's
            # "Original" link: the page's own URL stands in.
            return canonical if is_web_url(canonical) else url
    return url


def body_classes(root) -> str:
    body = html_body(root)
    return (body.get("class") or "") if body is not None else ""


def node_id(root, profile: SiteProfile) -> int | None:
    """From the shortlink `/node/N`, else the body class `page-node-N`, else
    the wrapper `#node-N` (the profile's patterns; Drupal 7's here)."""
    node_path = pattern(profile.node_path_re)
    for link in select(head_of(root), profile.shortlink_css):
        match = node_path.search(link.get("href") or "")
        if match:
            return int(match.group(1))
    match = pattern(profile.node_page_body_class_re).search(body_classes(root))
    if match:
        return int(match.group(1))
    nodes = node_elements_by_id(root, profile)
    if nodes:
        return int(nodes[0].get("id")[len(profile.node_element_id_prefix):])
    return None


def section(root, title: str | None, url: str, profile: SiteProfile) -> str | None:
    """The last breadcrumb link that is neither home nor the article itself."""
    home_texts, home_paths = _home(profile.base_url, profile.home_path, profile.home_link_texts)
    article_title = (title or "").casefold()
    found = None
    for link in _breadcrumb_links(root, profile):
        text = inline_text(link)
        folded = text.casefold()
        if not text or folded in home_texts or folded == article_title:
            continue
        href = (link.get("href") or "").strip()
        if href and "?" not in href and _path_of(href) in home_paths:
            continue
        found = text
    return found


def _breadcrumb_links(root, profile: SiteProfile) -> list:
    for css in profile.breadcrumb_css or (profile.breadcrumb_link_css,):
        links = select(root, css)
        if links:
            return links
    return []


def _path_of(href: str) -> str:
    """The path of a link (site-relative links are most breadcrumbs: no URL parsing)."""
    if href.startswith("/") and not href.startswith("//"):
        return href.split("#", 1)[0]
    return urlsplit(href).path


@lru_cache(maxsize=8)
def _home(base_url: str, home_path: str, texts: tuple[str, ...]) -> tuple[frozenset, frozenset]:
    base_path = urlsplit(base_url).path
    paths = {"", "/", base_path, base_path.rstrip("/"), base_path + home_path}
    return frozenset(t.casefold() for t in texts), frozenset(paths)


# title ------------------------------------------------------------------------------

def title(root, profile: SiteProfile, node_page: bool = True) -> tuple[str | None, object]:
    """(title, its element or None) by the profile: its title selectors
    (h1#page-title, h1.title...), else the platform's RDFa title; on a page
    the profile knows for a node page (`node_page`: it found the node's
    number or wrapper), also the platform's meta titles (og:title) and its
    <title> minus the site suffix (Drupal writes "node title | site name").
    (None, None) when these miss: fallbacks.title then reads the page."""
    for css in profile.title_css:
        for el in select(root, css):
            text = inline_text(el)
            if text:
                return text, el
    values = _RDFA_TITLE(root, property=profile.title_rdfa_property) if profile.title_rdfa_property else []
    if node_page:
        head = head_of(root)
        for name in profile.title_meta_properties:
            values += _META_TITLE(head, property=name)
    for value in values:
        text = clean_text(value)
        if text:
            return text, None
    if node_page and profile.title_from_head:
        text = clean_text(pattern(profile.site_title_suffix_re).sub("", page_title(root)))
        return (text or None), None  # "| Site name" alone is no article title
    return None, None


@lru_cache(maxsize=32)
def pattern(text: str) -> re.Pattern:
    """A profile's regular expression, compiled once."""
    return re.compile(text)


def page_title(root) -> str:
    """The <title> text (to recognise error pages)."""
    head = head_of(root)
    for child in head:
        if child.tag == "title":
            return inline_text(child)
    found = _TITLE(head)  # a <title> misplaced deeper
    return inline_text(found[0]) if found else ""


# published_at / published_text --------------------------------------------------------

@lru_cache(maxsize=8)
def _visible_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


def published(root, node, profile: SiteProfile, body=None) -> tuple[str | None, str | None]:
    """(published_at, published_text).

    A machine-readable timestamp of the article (in its submitted line, else
    elsewhere in the node but not in comments or the body text, else the
    page's meta) wins and keeps its seconds; the visible line gives
    published_text and, failing a timestamp, published_at. Without a node,
    the whole page (minus the body) is searched.
    """
    scope = node if node is not None else root
    branches = _branches_beside(scope, body)
    excluded_css = profile.date_excluded_css
    if node is None:  # the whole page is searched: not its sidebars and menus
        excluded_css = ", ".join(css for css in (excluded_css, profile.boilerplate_css) if css)
    excluded = compiled(excluded_css) if excluded_css else None
    submitted = _select_in(branches, profile.submitted_css, excluded, scope)
    visible = _visible_date(submitted, profile)
    machine = _machine_date(submitted, profile)
    if machine is None:
        stamps = _select_in(branches, profile.date_machine_css, excluded, scope)
        machine = _machine_date(stamps, profile, nested=False) or _meta_date(root, profile)
    if visible is None:
        visible = _visible_date(_select_in(branches, profile.date_visible_css, excluded, scope), profile)
    if machine is not None:
        value, has_time = machine
        if not has_time and visible is not None and visible[0][:10] == value[:10]:
            value = visible[0]  # a date-only stamp: the visible line knows the time
        return value, visible[1] if visible else None
    if visible is not None:
        return visible
    return None, None


def _branches_beside(scope, body) -> list:
    """The subtrees of `scope` that do not contain the body: the scope
    itself when the body is elsewhere, else every sibling of the path from
    the scope down to the body (the node's header, submitted line, fields)."""
    if body is None or body is scope:
        return [scope]
    path = []
    el = body
    while el is not None and el is not scope:
        path.append(el)
        el = el.getparent()
    if el is None:  # the body is not inside the scope
        return [scope]
    branches = []
    for parent in [scope] + path[:0:-1]:
        on_path = path[path.index(parent) - 1] if parent is not scope else path[-1]
        branches += [child for child in parent if child is not on_path and isinstance(child.tag, str)]
    return branches


def _select_in(branches: list, css: tuple[str, ...], excluded, scope) -> list:
    """Matches in the branches that are not inside an excluded element."""
    found = []
    for branch in branches:
        found += [el for el in select_any(branch, css) if not _inside(el, excluded, scope)]
    return found


def _inside(el, excluded, scope) -> bool:
    """Whether `el` or an ancestor below `scope` matches the excluded selector."""
    while excluded is not None and el is not None and el is not scope:
        if excluded.matches(el, scope):
            return True
        el = el.getparent()
    return False


def _machine_date(elements: list, profile: SiteProfile, nested: bool = True):
    """The first parsable timestamp carried by the elements (or, if `nested`,
    by timestamp elements inside them)."""
    for el in elements:
        candidates = [el] + (select_any(el, profile.date_machine_css) if nested else [])
        for candidate in candidates:
            value = candidate.get("content") or candidate.get("datetime")
            parsed = parse_machine_date(value, profile.utc_offset) if value else None
            if parsed is not None:
                return parsed
    return None


def _meta_date(root, profile: SiteProfile):
    for value in _META_PUBLISHED(head_of(root)):
        parsed = parse_machine_date(value, profile.utc_offset)
        if parsed is not None:
            return parsed
    return None


def _visible_date(elements: list, profile: SiteProfile):
    """The first date line shown in the elements."""
    patterns = _visible_patterns(profile.date_visible_patterns)
    for el in elements:
        text = inline_text(el)
        if text:
            found = parse_visible_date(text, patterns, profile.utc_offset)
            if found is not None:
                return found
    return None
