"""A copy of the body HTML that is safe to display.

Whitelist-free but strict: formatting, images, links and tables stay;
active content goes. Removed with their content: script, style, iframe,
object, embed, applet, form and its controls, svg/math, meta/link/base,
frames; comments and processing instructions. Removed attributes: event
handlers (`on*`), every URL that is not http(s) once resolved (an
allowlist; an inline `data:image/...` picture may stay in `src`), `style` with script-like
content (`expression(`, `url(javascript:`...), `srcdoc`, `formaction`.
Relative URLs become absolute against the page URL. Then ammonia (nh3)
passes over the result with its allowlist, independently of the rules above.
"""

from __future__ import annotations

import copy
import re

import nh3
from lxml import etree

from .metadata import absolute_url, is_web_url

DANGEROUS_TAGS = frozenset((
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "option", "svg", "math", "meta", "link", "base", "noscript",
    "template", "xml", "param", "portal", "keygen", "bgsound",
))
# Void in HTML, but libxml2 nests the following content inside them: drop
# the element, keep what the parser put in it.
_UNWRAP_TAGS = frozenset(("embed", "keygen", "bgsound"))
URL_ATTRIBUTES = frozenset((
    "href", "src", "action", "background", "poster", "cite", "longdesc", "lowsrc", "dynsrc",
    "data", "codebase", "usemap", "xlink:href", "formaction", "ping",
))
_DROPPED_ATTRIBUTES = frozenset(("srcdoc", "formaction", "ping"))
# Browsers ignore control characters and white space inside a URL scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|mocha|data):", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpe?g|gif|webp|bmp);", re.IGNORECASE)
_BAD_STYLE = re.compile(
    r"expression\s*\(|javascript:|vbscript:|behaviou?r\s*:|-moz-binding|@import|url\s*\(\s*['\"]?\s*(?:javascript|vbscript|data):",
    re.IGNORECASE,
)


_STYLE_VERDICTS: dict[str, bool] = {}

# Ammonia's defaults, plus what the portal's editors write (font, big; style,
# class and alignment on any element; table layout). No id (DOM clobbering).
_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "big"}
_ALLOWED_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ALLOWED_ATTRIBUTES["*"] = {"class", "style", "title", "lang", "dir", "align", "width", "height"}
for _tag, _names in {"a": {"target", "name"}, "img": {"srcset", "sizes", "border", "hspace", "vspace"},
                     "font": {"color", "face", "size"},
                     "table": {"border", "cellpadding", "cellspacing", "bgcolor"},
                     "td": {"valign", "bgcolor", "nowrap"}, "th": {"valign", "bgcolor"},
                     "tr": {"valign", "bgcolor"}, "ul": {"type"}, "ol": {"type"}}.items():
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).update(_names)
# data: only reaches here as an inline picture in src (the first pass drops the rest).
_URL_SCHEMES = {"http", "https", "data"}


def sanitize_body(body, base_url: str, in_place: bool = False, notes=None) -> str:
    """Safe inner HTML of the body element.

    The page tree is left alone unless `in_place` (extraction's last step
    uses it: the tree is not needed any more and a copy costs time).
    `notes` (a BlockReader after its walk, on this same tree) says which
    elements need a look, so the body is not walked a second time.
    """
    if notes is not None and in_place:
        doomed = list(notes.comments)
        attributed = notes.attributed
        subtrees = notes.unread
        clean = body
    else:
        clean = body if in_place else copy.deepcopy(body)
        doomed, attributed, subtrees = [], [], [clean]
    for subtree in subtrees:
        for el in subtree.iter():
            tag = el.tag
            if tag.__class__ is not str or tag in DANGEROUS_TAGS:  # comments, PIs, active elements
                doomed.append(el)
            elif el.keys():
                attributed.append(el)
    for el in attributed:
        _clean_attributes(el, base_url)
    for el in doomed:
        _remove_keeping_tail(el)
    clean.tail = None
    clean.attrib.clear()
    clean.tag = "div"
    html = etree.tostring(clean, encoding="unicode", method="html")
    return allowlisted(html[len("<div>"):-len("</div>")])


def allowlisted(html: str) -> str:
    """A second, independent pass: ammonia (Rust, html5ever's parser, through
    nh3) keeps only allowlisted tags, attributes and URL schemes. The pass
    above does the page-specific work (absolute URLs, suspect styles, inline
    images only in src); this one holds if a browser parses something
    differently from libxml2. About 60 µs a page."""
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def style_is_suspect(style: str) -> bool:
    """Whether a style attribute could run script (`expression(`, `url(javascript:` ...)."""
    return bool(_BAD_STYLE.search(style))


def _bad_style(style: str) -> bool:
    verdict = _STYLE_VERDICTS.get(style)
    if verdict is None:
        if len(_STYLE_VERDICTS) > 4096:
            _STYLE_VERDICTS.clear()
        verdict = _STYLE_VERDICTS[style] = bool(_BAD_STYLE.search(style))
    return verdict


def _clean_attributes(el, base_url: str) -> None:
    attrib = el.attrib
    for name, value in attrib.items():
        lowered = name.lower()
        if lowered.startswith("on") or lowered in _DROPPED_ATTRIBUTES:
            del attrib[name]
        elif lowered in URL_ATTRIBUTES:
            safe = _safe_url(value, base_url, allow_data_image=(lowered == "src"))
            if safe is None:
                del attrib[name]
            elif safe != value:
                attrib[name] = safe
        elif lowered == "srcset":
            safe = _safe_srcset(value, base_url)
            if safe:
                attrib[name] = safe
            else:
                del attrib[name]
        elif lowered == "style" and _bad_style(value):
            del attrib[name]


def _safe_url(value: str, base_url: str, allow_data_image: bool) -> str | None:
    """The URL if it is http(s) once resolved (an allowlist: any other
    scheme is dropped), or an inline raster image in `src`."""
    if value.startswith(("http://", "https://")) and value.isprintable():
        return value  # the common case: already absolute, and a safe scheme
    probe = _URL_NOISE.sub("", value)
    if _BAD_SCHEME.match(probe):
        if allow_data_image and _SAFE_DATA_IMAGE.match(probe):
            return probe
        return None
    if not value.strip():
        return value
    url = absolute_url(base_url, value)
    return url if is_web_url(url) and url.isprintable() else None


def _safe_srcset(value: str, base_url: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if not parts:
            continue
        url = _safe_url(parts[0], base_url, allow_data_image=False)
        if url:
            candidates.append(" ".join([url] + parts[1:]))
    return ", ".join(candidates)


def _remove_keeping_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tag in _UNWRAP_TAGS and (len(el) or el.text):
        _unwrap(el, parent)
        return
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _unwrap(el, parent) -> None:
    """Replace `el` by its content (text, children, tail)."""
    position = parent.index(el)
    previous = el.getprevious()
    lead = (el.text or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(position + offset, child)  # moves the child (and its tail)
    last = children[-1] if children else previous
    tail = el.tail or ""
    parent.remove(el)
    if tail:
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
