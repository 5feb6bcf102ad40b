"""Reading a page: bytes or text to an lxml tree, and finding its parts.

The tree is plain `lxml.etree` (no lxml.html element classes: they cost time
and nothing here needs them). CSS selectors from the site profile are
compiled once (css.py). The exact source of the body element is cut out of
the page text, for the archive's `body_html`.
"""

from __future__ import annotations

import codecs
import html as html_entities
import re
import unicodedata
from functools import lru_cache

from lxml import etree

from ..profiles import SiteProfile
from .css import compiled

_PARSER = etree.HTMLParser(remove_blank_text=False, remove_comments=False, recover=True)
_UTF8_PARSER = etree.HTMLParser(remove_blank_text=False, remove_comments=False, recover=True, encoding="utf-8")

# Charset sniffing on the first bytes of a page, as browsers do.
_CHARSET_VALUE = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# WHATWG: a page labelled Latin-1 or ASCII is decoded as windows-1252.
_ENCODING_ALIASES = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1258": "cp1258",
}


def clean_text(text: str | None) -> str:
    """normalize.clean_text (NFC, white space runs as one space, trimmed), fast.

    Most text is already clean: a single isprintable() scan proves it (every
    white space character but the plain space is "not printable"). Common
    offenders (nbsp, newline, tab) are replaced in C; anything else falls
    back to split/join, which splits on exactly the characters regex `\\s`
    matches. A test holds the two functions equal.
    """
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        for char in "\xa0\n\t\r":
            if char in text:
                text = text.replace(char, " ")
        if not text.isprintable():  # rare white space, or invisible characters
            return " ".join(text.split())
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def select(root, css: str) -> list:
    """Elements under (and including) `root` matching a CSS selector group."""
    return compiled(css).select(root) if css else []


def select_any(root, css_list: tuple[str, ...] | str) -> list:
    """Elements matching any of the selectors, in document order (one pass)."""
    if isinstance(css_list, str):
        return select(root, css_list)
    return _group(css_list).select(root) if css_list else []


@lru_cache(maxsize=64)
def _group(css_list: tuple[str, ...]):
    return compiled(", ".join(css_list))


def select_first(root, css_list):
    """The first element matching the first selector (of a list) that matches."""
    if isinstance(css_list, str):
        css_list = (css_list,)
    for css in css_list:
        found = compiled(css).first(root)
        if found is not None:
            return found
    return None


def head_of(root):
    """The <head> (small: selectors for link/meta elements run there)."""
    for child in root:
        if child.tag == "head":
            return child
    return root


def html_body(root):
    """The <body> element of the page (None if the parser made none)."""
    for child in root:
        if child.tag == "body":
            return child
    return None


# Text and tree --------------------------------------------------------------

def read_page(html: str | bytes, profile: SiteProfile):
    """(the page as text, its root element or None when there is no markup).

    Bytes are decoded by BOM, then <meta charset> / XML declaration, then
    UTF-8, then the profile's fallback encoding. UTF-8 bytes are parsed as
    they are (libxml2 reads bytes faster than a Python string); the text is
    kept for the exact source of the body.
    """
    if isinstance(html, str):
        return html, parse(html)
    text, encoding = decode_bytes(html, profile)
    if encoding == "utf-8" and b"\x00" not in html and text and not text.isspace():
        return text, etree.fromstring(html, _UTF8_PARSER)
    return text, parse(text)


def decode(html: str | bytes, profile: SiteProfile) -> str:
    """The page as text (see read_page)."""
    return html if isinstance(html, str) else decode_bytes(html, profile)[0]


def decode_bytes(html: bytes, profile: SiteProfile) -> tuple[str, str]:
    if html.startswith(codecs.BOM_UTF8):
        return html[3:].decode("utf-8", "replace"), "utf-8-sig"
    if html.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return html.decode("utf-16", "replace"), "utf-16"
    label = _declared_charset(html[:4096])
    if label and label not in ("utf-8", "utf8"):
        encoding = _ENCODING_ALIASES.get(label, label)
        try:
            text = html.decode(encoding)
            return text, "utf-8" if codecs.lookup(encoding).name == "utf-8" else encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong label: sniff as if there were none
    try:
        return html.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return html.decode(profile.fallback_encoding, "replace"), profile.fallback_encoding


def _declared_charset(head: bytes) -> str | None:
    """The charset named in a <meta> or the XML declaration of the page's start."""
    lowered = head.lower()
    position = lowered.find(b"charset")
    while position >= 0:
        match = _CHARSET_VALUE.match(lowered, position)
        if match:
            return match.group(1).decode("ascii")
        position = lowered.find(b"charset", position + 7)
    match = _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "replace").lower() if match else None


def parse(text: str):
    """The root element of the page, or None for a page without any markup."""
    if text.startswith(("<?", "\ufeff", " ", "\n", "\r", "\t")):
        text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text or text.isspace():
        return None
    return etree.fromstring(text, _PARSER)


# Node, body -------------------------------------------------------------------

_NODE_ID_ATTR = re.compile(r"^node-(\d+)$")
_NODE_ELEMENTS = etree.XPath("//*[starts-with(@id, 'node-')]")
# libxml2 indexes HTML id attributes: id() is a hash lookup, not a tree scan.
_BY_ID = etree.XPath("id($id)")


def node_elements_by_id(root) -> list:
    """Elements whose id is `node-N` (the Drupal node wrapper), in order."""
    return [el for el in _NODE_ELEMENTS(root) if _NODE_ID_ATTR.match(el.get("id", ""))]


def find_node(root, node_id: int | None, profile: SiteProfile):
    """The article's node element: `#node-N` for the page's node, else the
    first node that is not a teaser."""
    if node_id is not None:
        found = _BY_ID(root, id=f"node-{node_id}")
        if found:
            return found[0]
    for el in select(root, profile.node_css):
        if "node-teaser" not in (el.get("class") or ""):
            return el
    return None


def find_body(root, node, profile: SiteProfile):
    """The element holding the article text, searched in the node first."""
    for scope in ((node, root) if node is not None else (root,)):
        found = select_first(scope, profile.body_css)
        if found is not None:
            return found
    return None


def count_teasers(root, profile: SiteProfile) -> int:
    return len(select(root, profile.teaser_css))


_SPACE_TAGS = frozenset(("br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6"))


def inline_text(el) -> str:
    """The normalised text of an element, with `<br>` and block ends as spaces
    (itertext() would glue "Tin tức<br>Sự kiện" into one word)."""
    if not len(el):  # the common title, link or date line: its own text only
        return clean_text(el.text)
    parts: list[str] = []
    _collect(el, parts)
    return clean_text("".join(parts))


def _collect(el, parts: list[str]) -> None:
    tag = el.tag
    if not isinstance(tag, str) or tag in ("script", "style"):
        return
    spaced = tag in _SPACE_TAGS
    if spaced:
        parts.append(" ")
    if el.text:
        parts.append(el.text)
    for child in el:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if spaced:
        parts.append(" ")


# The exact source of the body ----------------------------------------------------

_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# The rest of a start tag after its name: attributes (quoted values may hold '>') up to '>'.
_TAG_REST = re.compile(r"""((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_RAW_TEXT_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
                 for name in ("script", "style", "textarea", "title")}


@lru_cache(maxsize=64)
def _tokens(tag: str) -> re.Pattern:
    """Start/end tags named `tag`, and what must be stepped over: comments and
    raw-text elements (a `<div>` written in a script or comment is no tag)."""
    return re.compile(
        rf"<(?:(/?)({re.escape(tag)})(?=[\s/>])|(!--)|(script|style|textarea|title)(?=[\s/>]))",
        re.IGNORECASE,
    )


def _next_tag(source: str, pattern: re.Pattern, position: int):
    """(is_end, attributes, start, end) of the next `tag` tag from `position`."""
    while True:
        match = pattern.search(source, position)
        if match is None:
            return None
        if match.group(3):  # a comment
            close = source.find("-->", match.end())
            position = len(source) if close < 0 else close + 3
            continue
        rest = _TAG_REST.match(source, match.end())
        if rest is None:
            return None
        if match.group(4):  # a raw-text element: jump over its content
            close = _RAW_TEXT_END[match.group(4).lower()].search(source, rest.end())
            position = len(source) if close is None else close.end()
            continue
        return bool(match.group(1)), rest.group(1), match.start(), rest.end()


def raw_inner_html(source: str, root, element) -> str | None:
    """The inner HTML of `element` exactly as written in `source`.

    Its start tag is found by its class attribute, else from the element's
    source line, else as the k-th `<tag` of the page, and checked by its id
    and class; its end is the matching end tag by nesting depth. None when
    the source does not line up with the tree (the caller then serialises
    the tree instead).
    """
    tag = element.tag
    if not isinstance(tag, str):
        return None
    pattern = _tokens(tag)
    start = _start_by_class(source, pattern, root, element)
    if start is None and (element.get("class") or element.get("id")):
        start = _start_from_line(source, pattern, element)
    if start is None:
        start = _start_by_count(source, pattern, root, element)
    if start is None:
        return None
    depth = 1
    position = start
    while True:
        found = _next_tag(source, pattern, position)
        if found is None:
            return None
        is_end, attributes, tag_start, position = found
        if is_end:
            depth -= 1
            if depth == 0:
                return source[start:tag_start]
        elif not attributes.rstrip().endswith("/"):
            depth += 1


def _start_by_class(source: str, pattern: re.Pattern, root, element) -> int | None:
    """Find the start tag by its class value: the k-th occurrence of that
    text, k being how many elements with that tag and class come first."""
    cls = element.get("class")
    if not cls or len(cls) < 4:
        return None
    tag = element.tag
    position = source.find(cls)
    if position < 0:
        return None
    # Another occurrence (as str.count sees them: not overlapping) means
    # counting the elements before this one; with none, the first is the
    # only one (one scan of the page instead of a count and then a find).
    if source.find(cls, position + len(cls)) >= 0:
        earlier = 0
        for el in root.iter(tag):
            if el is element:
                break
            if el.get("class") == cls:
                earlier += 1
        for _ in range(earlier):
            position = source.find(cls, position + 1)
            if position < 0:
                return None
    opening = source.rfind("<", 0, position)
    match = pattern.match(source, opening) if opening >= 0 else None
    if match is None or match.group(2) is None or match.group(1):
        return None
    rest = _TAG_REST.match(source, match.end())
    if rest is None or rest.end() <= position or not _same_attributes(rest.group(1), element):
        return None
    return rest.end()


def _start_from_line(source: str, pattern: re.Pattern, element) -> int | None:
    line = element.sourceline
    if not line or line >= 65535:  # libxml2 stops counting lines there
        return None
    offset = 0
    for _ in range(line - 1):
        offset = source.find("\n", offset) + 1
        if offset == 0:
            return None
    limit = source.find("\n", offset)
    limit = len(source) if limit < 0 else limit
    position = offset
    while True:
        found = _next_tag(source, pattern, position)
        if found is None or found[2] > limit:
            return None
        is_end, attributes, _, position = found
        if not is_end and _same_attributes(attributes, element):
            return position


def _start_by_count(source: str, pattern: re.Pattern, root, element) -> int | None:
    index = _document_index(root, element)
    position = 0
    seen = -1
    while True:
        found = _next_tag(source, pattern, position)
        if found is None:
            return None
        is_end, attributes, _, position = found
        if is_end:
            continue
        seen += 1
        if seen == index:
            return position if _same_attributes(attributes, element) else None


def _document_index(root, element) -> int:
    """How many elements named like `element` come before it in the document."""
    for count, el in enumerate(root.iter(element.tag)):
        if el is element:
            return count
    return -1


def _same_attributes(raw_attributes: str, element) -> bool:
    """The raw start tag carries the element's id and class (what tells it apart)."""
    padded = " " + (raw_attributes or "")
    if all(value is None or f' {name}="{value}"' in padded or f"\t{name}=\"{value}\"" in padded
           for name, value in (("id", element.get("id")), ("class", element.get("class")))):
        return True  # written plainly: no need to parse the attributes
    attrs = {}
    for match in _ATTR.finditer(raw_attributes or ""):
        value = next((g for g in match.group(2, 3, 4) if g is not None), "")
        attrs[match.group(1).lower()] = value
    for name in ("id", "class"):
        expected = element.get(name)
        if expected is not None and clean_text(html_entities.unescape(attrs.get(name, ""))) != clean_text(expected):
            return False
    return True


def serialized_inner_html(element) -> str:
    """Inner HTML of an element as lxml writes it (when the source is unknown)."""
    parts = [escape_text(element.text)] if element.text else []
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
