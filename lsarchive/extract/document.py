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
from functools import lru_cache

from lxml import etree
from w3lib.encoding import html_to_unicode

from ..normalize import clean_text
from ..profiles import SiteProfile
from ..record import ExtractionError
from .css import compiled

# huge_tree: libxml2 otherwise stops at 256 nested elements and drops text
# nodes over 10 MB, silently, leaving an empty body. Its ceiling with it is
# 2048 levels, which read_page reports as an ExtractionError.
_PARSER = etree.HTMLParser(remove_blank_text=False, remove_comments=False, recover=True, huge_tree=True)
_UTF8_PARSER = etree.HTMLParser(remove_blank_text=False, remove_comments=False, recover=True,
                                encoding="utf-8", huge_tree=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TOO_DEEP = "Excessive depth in document"
# Single-byte charsets a server or a <meta> may wrongly claim for a UTF-8 page.
_SINGLE_BYTE = frozenset(("cp1252", "cp1258", "latin-1", "iso8859-1", "iso8859-15", "ascii", "cp1251"))


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

def read_page(html: str | bytes, profile: SiteProfile, content_type: str | None = None):
    """(the page as text, its root element or None when there is no markup).

    Bytes are decoded as decode_bytes says. Valid UTF-8 bytes are parsed as
    they are (libxml2 reads bytes faster than a Python string); the text is
    kept for the exact source of the body.
    """
    if isinstance(html, str):
        return html, parse(html)
    text, encoding = decode_bytes(html, profile, content_type)
    if (encoding == "utf-8" and "\ufffd" not in text and b"\x00" not in html
            and not html.startswith(codecs.BOM_UTF8) and text and not text.isspace()):
        return text, _checked(etree.fromstring(html, _UTF8_PARSER), _UTF8_PARSER)
    return text, parse(text)


def decode_bytes(html: bytes, profile: SiteProfile, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding): BOM, then the HTTP header's charset, then <meta>, then sniffing.

    w3lib (Scrapy's own decoder) reads the BOM, the header and the <meta>;
    invalid bytes become U+FFFD, one character each, so a stray byte never
    sends the whole page through another codec. Sniffing, when nothing is
    declared: UTF-8 if the bytes are (almost all) UTF-8, else the profile's
    fallback (the portal's old pages are windows-1258). A single-byte charset
    declared for bytes that are plainly UTF-8 is a wrong label: UTF-8 wins.
    UTF-16/32 declared without a BOM: the byte order is read off the zeros.
    """
    encoding, text = html_to_unicode(content_type, html, default_encoding=profile.fallback_encoding,
                                     auto_detect_fun=lambda body: _sniff(body, profile))
    name = _codec_name(encoding)
    if name in ("utf-16-be", "utf-32-be") and not html.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        name = _byte_order(html, name[:6])
        text = html.decode(name, "replace")
    elif name in _SINGLE_BYTE and b"\x00" not in html and _mostly_utf8(html):
        name, text = "utf-8", html.decode("utf-8", "replace")
    return text, name


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _sniff(body: bytes, profile: SiteProfile) -> str:
    return "utf-8" if _mostly_utf8(body) else profile.fallback_encoding


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8 with non-ASCII text, or nearly so (a few stray bytes among many
    well-formed multi-byte characters: a UTF-8 page with damage, not another charset)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", "replace")
    invalid = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore").decode("ascii")) - invalid
    return non_ascii >= 8 * invalid


def _byte_order(body: bytes, family: str) -> str:
    """utf-16-le or -be (utf-32 likewise): markup is mostly ASCII, so the zero
    bytes sit in the high half of each code unit."""
    sample = body[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return f"{family}-le" if odd >= even else f"{family}-be"


def _checked(root, parser):
    """The root, unless libxml2 gave up on a page nested beyond its limit
    (it then drops the rest of the page: no article can come out whole)."""
    for entry in parser.error_log:
        if _TOO_DEEP in entry.message:
            raise ExtractionError("the page nests its tags deeper than the HTML parser's limit "
                                  "(2048 levels): not read, rather than read in part", "parse")
    return root


def parse(text: str):
    """The root element of the page, or None for a page without any markup."""
    if text.startswith(("<?", "\ufeff", " ", "\n", "\r", "\t")):
        text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text or text.isspace():
        return None
    return _checked(etree.fromstring(text, _PARSER), _PARSER)


# Node, body -------------------------------------------------------------------

_NODE_ELEMENTS = etree.XPath("//*[starts-with(@id, $prefix)]")
# libxml2 indexes HTML id attributes: id() is a hash lookup, not a tree scan.
_BY_ID = etree.XPath("id($id)")


def node_elements_by_id(root, profile: SiteProfile) -> list:
    """Elements whose id is the node wrapper's (`node-N` on Drupal), in order."""
    prefix = profile.node_element_id_prefix
    return [el for el in _NODE_ELEMENTS(root, prefix=prefix) if el.get("id", "")[len(prefix):].isdigit()]


def is_teaser(el, profile: SiteProfile) -> bool:
    return profile.teaser_class in (el.get("class") or "")


def find_node(root, node_id: int | None, profile: SiteProfile):
    """The article's node element: the wrapper of the page's node, else the
    first node that is not a teaser."""
    if node_id is not None:
        found = _BY_ID(root, id=f"{profile.node_element_id_prefix}{node_id}")
        if found:
            return found[0]
    for el in select(root, profile.node_css):
        if not is_teaser(el, profile):
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
    """Teasers outside the page's sidebars and menus (a sidebar's list of
    recent news is no listing: the page may still be an article)."""
    teasers = select(root, profile.teaser_css)
    if not teasers or not profile.boilerplate_css:
        return len(teasers)
    boilerplate = compiled(profile.boilerplate_css)
    return sum(1 for el in teasers if not any(boilerplate.matches(a) for a in el.iterancestors()
                                              if isinstance(a.tag, str)))


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
#
# Why regexes over the source rather than offsets from the parser: lxml gives an
# element its `sourceline` and nothing finer (no column, no byte offset; libxml2
# stops counting lines at 65535), and neither its parse events nor a parser target
# carry a position. The standard library's html.parser knows every tag's position,
# but tokenises the whole page in Python: on the mirror's article pages (10 kB)
# 3 ms a page, as much as the whole extraction takes, against 0.02 ms for the
# search below, which looks only at tags of the body's name. Storing lxml's
# serialisation instead would give up what body_html promises (the source exactly,
# test_body_html_is_the_source_exactly), though the WARC keeps the bytes too.

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


def _tags(source: str, pattern: re.Pattern, position: int):
    """Every tag `pattern` names from `position` on, as _next_tag gives each
    (is_end, raw attributes, where the tag starts, where it ends)."""
    while (found := _next_tag(source, pattern, position)) is not None:
        yield found
        position = found[3]


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
    for is_end, attributes, tag_start, _ in _tags(source, pattern, start):
        if is_end:
            depth -= 1
            if depth == 0:
                return source[start:tag_start]
        elif not attributes.rstrip().endswith("/"):
            depth += 1
    return None


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
    for is_end, attributes, tag_start, end in _tags(source, pattern, offset):
        if tag_start > limit:
            return None
        if not is_end and _same_attributes(attributes, element):
            return end
    return None


def _start_by_count(source: str, pattern: re.Pattern, root, element) -> int | None:
    index = _document_index(root, element)
    start_tags = (found for found in _tags(source, pattern, 0) if not found[0])
    for seen, (_, attributes, _, end) in enumerate(start_tags):
        if seen == index:
            return end if _same_attributes(attributes, element) else None
    return None


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
