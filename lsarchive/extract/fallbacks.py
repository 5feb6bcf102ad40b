"""Rules that hold on any news page, for when the profile's selectors miss.

A theme no profile describes (a sub-site nobody here has seen, a redesign)
still has a title, a date line and a main text block. These functions find
them the way trafilatura and htmldate do, one function per field, and only
run when the profile's own selectors found nothing (extract/__init__.py
notes which fields fell back):

    title       og:title, else the page's h1, else <title> minus the site suffix
    published   a machine timestamp anywhere outside the page's boilerplate,
                else a visible date line in the text nearest the title
    body        the block container holding most of the page's own text
                (paragraph text scored on its container, links discounted),
                preferring one after the title

Captions and credits need no rules of their own: they are read from the
body's blocks by captions.py and credits.py, whatever found the body.
"""

from __future__ import annotations

import re

from lxml import etree

from ..normalize import clean_text
from ..profiles import SiteProfile
from .dates import parse_machine_date, parse_visible_date
from .document import head_of, html_body, inline_text, select
from .metadata import page_title, pattern

_OG_TITLE = etree.XPath("descendant-or-self::meta[@property='og:title'][@content]/@content")
_DAY = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
_HEADINGS = ("h1", "h2", "h3")
# Machine timestamps of the article: in <head> (meta), and in the page
# (microdata, RDFa, <time>), any theme.
_HEAD_DATES = etree.XPath(
    "descendant-or-self::meta[@property='article:published_time' or @property='og:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate' or @name='date'"
    " or @name='dcterms.created' or @name='DC.date.created' or @name='DC.date'"
    " or @property='dc:date' or @property='dc:created'][@content]"
)
_PAGE_DATES = etree.XPath(
    "//*[@itemprop='datePublished'][@content or @datetime]"
    " | //*[contains(@property, 'dc:date') or contains(@property, 'dc:created')][@content]"
    " | //time[@datetime]"
)
_SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template", "select", "option", "button",
                           "iframe", "textarea"))
_INLINE_TAGS = frozenset(("a", "span", "b", "strong", "i", "em", "u", "font", "small", "big", "sup", "sub",
                          "abbr", "cite", "code", "mark", "s", "strike", "time", "label", "img", "br"))
_CONTAINER_TAGS = frozenset(("div", "article", "section", "main", "td", "center", "font", "blockquote"))
_BLOCK_TAGS = _CONTAINER_TAGS | frozenset(("p", "table", "ul", "ol", "dl", "figure", "h1", "h2", "h3", "h4",
                                           "h5", "h6", "pre", "hr", "form"))
_DATE_AFTER_TITLE_CHARS = 400
_DATE_BEFORE_TITLE_CHARS = 200
_DATE_LINE_MAX_CHARS = 160
_MIN_PARAGRAPH_CHARS = 25
_MIN_BODY_CHARS = 80
_BEFORE_TITLE_WEIGHT = 0.3


# boilerplate ----------------------------------------------------------------------

def boilerplate(root, profile: SiteProfile) -> set:
    """Every element inside the page's menus, sidebars, footers and comments."""
    inside: set = set()
    for region in select(root, profile.boilerplate_css):
        if region not in inside:
            inside.update(region.iter())
    return inside


# title ----------------------------------------------------------------------------

def title(root, profile: SiteProfile, excluded: set) -> tuple[str | None, object]:
    """(title, the heading element showing it or None): og:title, else the
    page's main h1, else <title> minus the site suffix."""
    headings = [el for el in _heading_elements(root, "h1") if el not in excluded]
    for value in _OG_TITLE(head_of(root)):
        text = clean_text(value)
        if text:
            return text, heading_showing(root, text, excluded)
    site_name = clean_text(profile.site_name).casefold()
    page = page_title(root).casefold()
    named = [(el, inline_text(el)) for el in headings]
    named = [(el, text) for el, text in named if text and text.casefold() != site_name]
    # The article's h1 is the one its <title> repeats (the site's logo h1 is not).
    for el, text in named:
        if text.casefold() in page:
            return text, el
    if named:
        return named[0][1], named[0][0]
    text = clean_text(pattern(profile.site_title_suffix_re).sub("", page_title(root)))
    return (text or None), None


def _heading_elements(root, tag: str) -> list:
    body = html_body(root)
    return list(body.iter(tag)) if body is not None else []


def heading_showing(root, text: str, excluded: set):
    """The h1-h3 whose text is `text` (where a date line is looked for)."""
    wanted = text.casefold()
    for tag in _HEADINGS:
        for el in _heading_elements(root, tag):
            if el not in excluded and inline_text(el).casefold() == wanted:
                return el
    return None


# published ------------------------------------------------------------------------

def published(root, title_element, profile: SiteProfile, excluded: set):
    """(published_at, published_text, element showing the date line or None).

    A timestamp in <head> wins; else, in the text right after the title and
    then right before it, a machine timestamp or a line the profile's visible
    date patterns read; else a machine timestamp anywhere outside the
    boilerplate. Sidebars and comments (`excluded`) are never read.
    (None, None, None) when nothing is found.
    """
    found = _machine_value(_HEAD_DATES(head_of(root)), profile)
    if found is not None:
        return found
    if title_element is not None:
        for runs in _text_around(root, title_element, excluded):
            found = _machine_value(_with_inline(runs), profile)
            if found is not None:
                return found
            visible = _visible_in("".join(text for text, _ in runs), profile)
            if visible is not None:
                return visible[0], visible[1], _owner_of(runs, visible[1])
    found = _machine_value([el for el in _PAGE_DATES(root) if el not in excluded], profile)
    return found if found is not None else (None, None, None)


def _with_inline(runs: list) -> list:
    """The elements the runs belong to, and the ones inside them (a <time> may be empty)."""
    seen: dict = {}
    for _, el in runs:
        for inner in el.iter():
            seen.setdefault(inner, None)
    return list(seen)


def _machine_value(elements, profile: SiteProfile):
    """(value, the visible line of a <time> or None, None) of the first element
    carrying a parsable timestamp, or None."""
    for el in elements:
        raw = el.get("content") or el.get("datetime")
        parsed = parse_machine_date(raw, profile.utc_offset) if raw else None
        if parsed is None:
            continue
        value, has_time = parsed
        shown = inline_text(el) if el.tag == "time" else ""
        visible = _visible_in(shown, profile) if shown else None
        if not has_time and visible is not None and visible[0][:10] == value[:10]:
            value = visible[0]
        return value, (visible[1] if visible else None), None
    return None


def _visible_in(text: str, profile: SiteProfile):
    patterns = tuple(pattern(p) for p in profile.date_visible_patterns)
    return parse_visible_date(clean_text(text), patterns, profile.utc_offset)


def _text_around(root, title_element, excluded: set) -> tuple[list, list]:
    """Text runs (text, owning element) after the title, nearest first, and
    before it, in document order, each within its character budget."""
    runs = list(_text_runs(html_body(root) if html_body(root) is not None else root, excluded))
    inside = set(title_element.iter())
    first = next((i for i, (_, el) in enumerate(runs) if el in inside), None)
    if first is None:
        return [], []
    last = max(i for i, (_, el) in enumerate(runs) if el in inside)
    after, size = [], 0
    for run in runs[last + 1:]:
        if size >= _DATE_AFTER_TITLE_CHARS:
            break
        after.append(run)
        size += len(run[0])
    before, size = [], 0
    for run in reversed(runs[:first]):
        if size >= _DATE_BEFORE_TITLE_CHARS:
            break
        before.insert(0, run)
        size += len(run[0])
    return after, before


def _text_runs(scope, excluded: set):
    """(text, element it belongs to) in document order, blocks spaced apart."""
    for el in scope.iter():
        if not isinstance(el.tag, str) or el in excluded or el.tag in _SKIPPED_TAGS:
            continue
        if el.text:
            yield (el.text if el.tag in _INLINE_TAGS else " " + el.text), el
        parent = el.getparent()
        if el.tail and parent is not None and parent.tag not in _SKIPPED_TAGS:
            yield (el.tail if el.tag in _INLINE_TAGS else " " + el.tail), parent


def _owner_of(runs: list, shown: str):
    """The block element whose text shows the date line `shown`."""
    day = _DAY.search(shown)
    needle = day.group(0) if day else shown
    for text, el in runs:
        if needle in text:
            while el.tag in _INLINE_TAGS and el.getparent() is not None:
                el = el.getparent()
            return el
    return None


# body -----------------------------------------------------------------------------

def body(root, node, title_element, excluded: set):
    """The element holding the article's text, by text density.

    Each paragraph (a block's own text, `_MIN_PARAGRAPH_CHARS` or more)
    scores its length less its link text on itself, its container and half
    on the container's parent; the container with the best score, less its
    link density, wins (the deeper one on a tie). Containers before the title
    count less: the article comes after its heading. Inside the profile's
    node element when there is one. None when no container holds
    `_MIN_BODY_CHARS` of text.
    """
    scope = node if node is not None else html_body(root)
    if scope is None:
        return None
    own, links = _own_text(scope, excluded)
    scores: dict = {}
    for el, chars in own.items():
        if chars < _MIN_PARAGRAPH_CHARS:
            continue
        score = chars - links.get(el, 0)
        container = el if _holds_blocks(el) else el.getparent()
        parent = container.getparent() if container is not None else None
        for target, share in ((container, 1.0), (parent, 0.5)):
            if target is not None and target is not scope.getparent():
                scores[target] = scores.get(target, 0.0) + share * score
    if not scores:
        return None
    totals, link_totals = _subtree_totals(scope, own, links)
    order = {el: i for i, el in enumerate(scope.iter())} if title_element is not None else {}
    title_at = order.get(title_element)
    best, best_key = None, None
    for el, score in scores.items():
        total = totals.get(el, 0)
        if total < _MIN_BODY_CHARS:
            continue
        score *= 1.0 - min(1.0, link_totals.get(el, 0) / total)
        if title_at is not None and order.get(el, 0) < title_at and title_element not in set(el.iter()):
            score *= _BEFORE_TITLE_WEIGHT
        key = (score, _depth(el))
        if best_key is None or key > best_key:
            best, best_key = el, key
    return best


def _holds_blocks(el) -> bool:
    """A container of blocks, not a paragraph: editors also write each
    paragraph as a <div> (or a <td>) of text alone, which is a paragraph of
    its parent's text, like a <p>."""
    return el.tag in _CONTAINER_TAGS and any(child.tag in _BLOCK_TAGS for child in el)


def _own_text(scope, excluded: set) -> tuple[dict, dict]:
    """Characters of text each block element holds itself (inline children
    included, block children not), and how many of them are link text."""
    own: dict = {}
    links: dict = {}
    for el in scope.iter():
        if not isinstance(el.tag, str) or el in excluded or el.tag in _SKIPPED_TAGS:
            continue
        if el.tag in _INLINE_TAGS:
            continue
        chars, link_chars = _block_text(el, excluded)
        if chars:
            own[el] = chars
            if link_chars:
                links[el] = link_chars
    return own, links


def _block_text(el, excluded: set, in_link: bool = False) -> tuple[int, int]:
    chars = link_chars = 0
    if el.text and not el.text.isspace():
        size = len(el.text.strip())
        chars += size
        link_chars += size if in_link else 0
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag in _INLINE_TAGS and child not in excluded:
            inner, inner_links = _block_text(child, excluded, in_link or tag == "a")
            chars += inner
            link_chars += inner_links
        if child.tail and not child.tail.isspace():
            size = len(child.tail.strip())
            chars += size
            link_chars += size if in_link else 0
    return chars, link_chars


def _subtree_totals(scope, own: dict, links: dict) -> tuple[dict, dict]:
    totals: dict = {}
    link_totals: dict = {}
    for el in reversed(list(scope.iter())):
        if not isinstance(el.tag, str):
            continue
        total, linked = own.get(el, 0), links.get(el, 0)
        for child in el:
            total += totals.get(child, 0)
            linked += link_totals.get(child, 0)
        if total:
            totals[el] = total
            link_totals[el] = linked
    return totals, link_totals


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


def trim_head(body_element, title_element, date_element, excluded: set) -> None:
    """A body found by density may begin with the article's heading and date
    line (they are the record's title and date, not paragraphs) and hold a
    menu or a share bar (not article text): they are cut from the tree."""
    if title_element is not None and title_element in set(body_element.iter()):
        el = title_element
        while el is not None and el is not body_element:
            parent = el.getparent()
            for sibling in list(el.itersiblings(preceding=True)):
                _remove(sibling)
            if el is title_element:
                _remove(el)
            el = parent
    if (date_element is not None and date_element is not body_element
            and date_element in set(body_element.iter())
            and len(inline_text(date_element)) <= _DATE_LINE_MAX_CHARS):
        _remove(date_element)
    for region in [el for el in body_element.iter() if el in excluded and el.getparent() not in excluded]:
        if region is not body_element:
            _remove(region)


def _remove(el) -> None:
    """Remove an element, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def listing_teasers(body_element, excluded: set) -> int:
    """Teasers in a block found by density (a listing, a search result page):
    headings that are links, or repeated items that open with a link and go on
    with a summary. An article's subheadings are no links, and a list of
    related links has no summaries."""
    headings = 0
    for tag in ("h2", "h3", "h4"):
        for heading in body_element.iter(tag):
            if heading not in excluded and _opens_with_link(heading, 0.8):
                headings += 1
    items = 0
    for parent in body_element.iter():
        if parent in excluded or not isinstance(parent.tag, str):
            continue
        teasers = sum(1 for child in parent if isinstance(child.tag, str) and child.tag in _ITEM_TAGS
                      and _opens_with_link(child, 0.0) and _summary_chars(child) >= _TEASER_SUMMARY_CHARS)
        items = max(items, teasers)
    return max(headings, items)


_ITEM_TAGS = frozenset(("li", "div", "article", "section", "tr", "dl"))
_TEASER_SUMMARY_CHARS = 40


def _opens_with_link(el, share: float) -> bool:
    """The element's text starts with a link's (of at least `share` of its text)."""
    text = inline_text(el)
    link = next((a for a in el.iter("a") if inline_text(a)), None)
    if not text or link is None:
        return False
    link_text = inline_text(link)
    return text.startswith(link_text) and len(link_text) >= max(15.0, share * len(text))


def _summary_chars(el) -> int:
    linked = sum(len(inline_text(a)) for a in el.iter("a"))
    return len(inline_text(el)) - linked
