"""The body as a flat sequence of blocks: text paragraphs and images.

One pass over the body tree (lxml iterwalk, in C) turns any editor's markup
into the same thing: an ordered list of `Block`s, each a text paragraph or
an image, carrying the style facts the later steps decide on (italic, bold,
centred or right-aligned, heading, list item, inside a figure, figcaption,
table cell or caption-classed element, share of link text) and the element
that holds it (`para`), so that "the image's own paragraph" and "the same
table cell" are identity checks.

Paragraph rules: block-level elements (`p`, `div`, `li`, headings, cells...)
delimit paragraphs; `<br><br>` splits one; a single `<br>` separates lines
of the same paragraph (a space in the text, but the credit finder looks at
lines); an image splits the text around it. Empty and whitespace-only
paragraphs are dropped here.

Speed: this is the hot loop of extraction. Inline facts (italic, bold, link,
caption class) are bits of an int, block facts live in a `Frame` made only
for block-level elements, and style/class attributes are interpreted once
per distinct string (editors repeat the same ones on every element).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from lxml import etree

from ..profiles import SiteProfile
from .document import clean_text, inline_text
from .metadata import absolute_url, is_web_url
from .sanitize import DANGEROUS_TAGS, style_is_suspect

BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
))
# Elements whose content is never article text. (Not `embed`, `source`,
# `wbr`...: void in HTML, but libxml2 makes the following content their
# children, so they are read through like a span.)
SKIP_TAGS = frozenset((
    "script", "style", "noscript", "template", "iframe", "object", "applet", "select",
    "option", "button", "input", "textarea", "svg", "math", "xml", "head", "title", "meta",
    "link", "map", "audio", "video", "canvas", "form", "frameset", "frame",
))
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
ITALIC_TAGS = frozenset(("em", "i", "cite", "dfn", "var"))
BOLD_TAGS = frozenset(("strong", "b"))
# Characters that make a paragraph look non-empty but show nothing.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Inline facts, as bits.
ITALIC, BOLD, LINK, CAPTION = 1, 2, 4, 8
_STYLE_BITS = (ITALIC, BOLD, LINK, CAPTION)

# What a tag is to the reader (one dict lookup per element).
_INLINE, _BLOCK, _SKIP, _BREAK, _IMAGE, _ITALIC, _BOLD, _LINK, _ACTIVE_VOID = (
    "inline", "block", "skip", "break", "image", "italic", "bold", "link", "active void")
_TAG_KIND = {
    # active elements read through here (embed, base...) are shown to the sanitiser
    **{tag: _ACTIVE_VOID for tag in DANGEROUS_TAGS - SKIP_TAGS - BLOCK_TAGS},
    **{tag: _BLOCK for tag in BLOCK_TAGS}, **{tag: _SKIP for tag in SKIP_TAGS},
    **{tag: _ITALIC for tag in ITALIC_TAGS}, **{tag: _BOLD for tag in BOLD_TAGS},
    "br": _BREAK, "img": _IMAGE, "a": _LINK,
}

_STYLE_PROPERTY = re.compile(
    r"(font-style|font-weight|text-align|display|float|visibility)\s*:\s*([\w-]+)", re.IGNORECASE
)
_BOLD_WEIGHTS = frozenset(("bold", "bolder", "600", "700", "800", "900"))
_ALIGNMENTS = {"center": "center", "middle": "center", "right": "right", "end": "right",
               "left": "left", "start": "left", "justify": "justify"}
_LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-url")


class Frame:
    """Facts of the nearest block-level element (inherited by its content)."""

    __slots__ = ("para", "align", "cell", "figure", "figcaption", "heading", "list_item")

    def child(self, para) -> "Frame":
        frame = Frame.__new__(Frame)
        frame.para = para
        frame.align, frame.cell, frame.figure = self.align, self.cell, self.figure
        frame.figcaption, frame.heading, frame.list_item = self.figcaption, self.heading, self.list_item
        return frame


class Block:
    """A text paragraph (`kind == "text"`) or an image (`kind == "image"`).

    `role` is decided later: None (body text / article image), "caption",
    "credit", "related" or "title".
    """

    __slots__ = ("kind", "frame", "text", "lines", "italic", "bold", "caption_class", "chars",
                 "link_chars", "src", "alt", "floated", "caption", "role")

    def __init__(self, kind: str, frame: Frame):
        self.kind = kind
        self.frame = frame
        self.text = ""
        self.lines: list[str] = []
        self.italic = self.bold = self.caption_class = self.floated = False
        self.chars = self.link_chars = 0
        self.src = self.alt = self.caption = None
        self.role: str | None = None

    # facts of the enclosing block element
    para = property(lambda self: self.frame.para)
    align = property(lambda self: self.frame.align)
    cell = property(lambda self: self.frame.cell)
    figure = property(lambda self: self.frame.figure)
    figcaption = property(lambda self: self.frame.figcaption)
    heading = property(lambda self: self.frame.heading)
    list_item = property(lambda self: self.frame.list_item)

    @property
    def centred(self) -> bool:
        return self.frame.align == "center"

    @property
    def mostly_links(self) -> bool:
        return self.chars > 0 and self.link_chars >= 0.6 * self.chars

    def __repr__(self) -> str:  # for test failures and debugging
        what = self.src if self.kind == "image" else self.text[:60]
        return f"<Block {self.kind} {self.role or ''} {what!r}>"


class _Style:
    """What one style attribute says (parsed once per distinct string)."""

    __slots__ = ("hidden", "italic", "bold", "align", "floated", "suspect")

    def __init__(self, style: str):
        self.suspect = style_is_suspect(style)  # for the sanitiser
        props = {name.lower(): value.lower() for name, value in _STYLE_PROPERTY.findall(style)}
        self.hidden = props.get("display") == "none" or props.get("visibility") == "hidden"
        italic, weight = props.get("font-style"), props.get("font-weight")
        self.italic = None if italic is None else italic in ("italic", "oblique")
        self.bold = None if weight is None else weight in _BOLD_WEIGHTS
        self.align = _ALIGNMENTS.get(props.get("text-align", ""))
        self.floated = props.get("float") in ("left", "right")


_STYLES: dict[str, _Style] = {}


def _style(style: str) -> _Style:
    found = _STYLES.get(style)
    if found is None:
        if len(_STYLES) > 4096:
            _STYLES.clear()
        found = _STYLES[style] = _Style(style)
    return found


@lru_cache(maxsize=16)
def _class_facts_cache(skip_re: re.Pattern, caption_re: re.Pattern) -> dict[str, tuple[bool, bool]]:
    """The class attribute → facts cache of one pair of class matchers."""
    return {}


@lru_cache(maxsize=16)
def _extensions(extensions: tuple[str, ...]) -> frozenset:
    return frozenset(e.lower() for e in extensions)


@lru_cache(maxsize=16)
def _class_matchers(skip: tuple[str, ...], caption: tuple[str, ...]):
    skip_re = re.compile(r"(?:^|\s)(?:%s)(?:\s|$)" % "|".join(map(re.escape, skip)), re.IGNORECASE)
    caption_re = re.compile("|".join(map(re.escape, caption)), re.IGNORECASE)
    return skip_re, caption_re


class BlockReader:
    """Walks one body element and collects its blocks and document links."""

    def __init__(self, body, url: str, profile: SiteProfile):
        self.body = body
        self.url = url
        self.skip_re, self.caption_re = _class_matchers(profile.body_skip_classes, profile.caption_classes)
        self.class_facts = _class_facts_cache(self.skip_re, self.caption_re)
        self.attachment_exts = _extensions(profile.attachment_extensions)
        self.blocks: list[Block] = []
        self.attachments: list[tuple[str, str, str]] = []  # href, link text, title or file name
        self.runs: list = []          # (text, flags) and None for a <br>
        # For the sanitiser, so that it need not walk the body again:
        # elements with attributes other than plain ones, subtrees not read
        # here (skipped or hidden), comments and processing instructions.
        self.attributed: list = []
        self.unread: list = []
        self.comments: list = []
        self.run_frame: Frame | None = None

    # the walk ---------------------------------------------------------------

    def read(self) -> list[Block]:
        body = self.body
        root = Frame.__new__(Frame)
        root.para, root.align, root.cell, root.figure = body, None, None, None
        root.figcaption = root.heading = root.list_item = False
        state = self._enter(body, (0, root, True)) or (0, root, True)  # the body's own style
        stack = [state]  # (flags, frame, ends a paragraph) inside each open element
        runs = self.runs
        if body.text:
            self._append_text(body.text, state)
        walker = etree.iterwalk(body, events=("start", "end", "comment", "pi"))
        next(walker)  # the body's own start, handled above
        # The loop is the hot path: text runs are appended inline (a run is
        # (text, flags); the first run of a paragraph also fixes its frame),
        # and so is a <br>, the most frequent void element.
        enter, flush, kind_of = self._enter, self._flush, _TAG_KIND.get
        push, pop, attributed = stack.append, stack.pop, self.attributed
        for event, el in walker:
            if event == "start":
                kind = kind_of(el.tag, _INLINE)
                if kind is _BREAK:
                    if runs:
                        runs.append(None)
                    if el.keys():
                        attributed.append(el)
                    state = None
                else:
                    state = enter(el, stack[-1], kind)
                if state is None:  # skipped content; its end still comes
                    walker.skip_subtree()
                    push(_SKIPPED)
                    continue
                push(state)
                text = el.text
            else:
                if event == "end":
                    if pop()[2] and runs:
                        flush()
                else:
                    self.comments.append(el)
                if not stack:
                    break  # the body's end (its tail is outside the article)
                state = stack[-1]
                text = el.tail
            if text:
                if runs:
                    runs.append((text, state[0]))
                elif not text.isspace():
                    self.run_frame = state[1]
                    runs.append((text, state[0]))
        flush()
        return self.blocks

    def _enter(self, el, parent: tuple, kind=None):
        """The state inside `el`, or None when its content is not article text."""
        tag = el.tag
        if kind is None:
            kind = _TAG_KIND.get(tag, _INLINE)
        if kind is _BLOCK:
            if self.runs:
                self._flush()
        elif kind is _SKIP:
            self.unread.append(el)
            return None
        elif kind is _BREAK:
            if self.runs:
                self.runs.append(None)
            if el.keys():
                self.attributed.append(el)
            return None
        elif kind is _IMAGE:
            self._add_image(el, parent[1])
            self.attributed.append(el)
            return None
        elif kind is _ACTIVE_VOID:
            self.unread.append(el)  # read through here, but the sanitiser must see it
        names = el.keys()  # cheaper than asking for each attribute
        flags, frame, ends = parent
        if not names:  # the common case: a bare <p>, <em>, <span>...
            if kind is _INLINE or kind is _LINK or kind is _ACTIVE_VOID:
                return (flags, frame, False) if ends else parent
            if kind is _BLOCK:
                return (flags | BOLD if tag in HEADINGS else flags,
                        self._block_frame(el, tag, frame, None, names), True)
            return (flags | ITALIC if kind is _ITALIC else flags | BOLD, frame, False)
        style = None
        if not _PLAIN_ATTRIBUTES.issuperset(names):
            self.attributed.append(el)
        if "class" in names:
            skip, caption = self._class_facts(el.get("class"))
            if skip:
                self.unread.append(el)
                return None
            if caption:
                flags |= CAPTION
        if "style" in names:
            style = _style(el.get("style"))
            if style.suspect:
                self.attributed.append(el)
            if style.hidden:
                self.unread.append(el)
                return None
            if style.italic is not None:
                flags = flags | ITALIC if style.italic else flags & ~ITALIC
            if style.bold is not None:
                flags = flags | BOLD if style.bold else flags & ~BOLD
        if "hidden" in names:
            self.unread.append(el)
            return None
        if kind is _LINK and "href" in names:
            flags |= LINK
            self._note_link(el, el.get("href"))
        if kind is _BLOCK:
            frame = self._block_frame(el, tag, frame, style, names)
            if tag in HEADINGS:
                flags |= BOLD
            return flags, frame, True
        if kind is _ITALIC:
            flags |= ITALIC
        elif kind is _BOLD:
            flags |= BOLD
        return flags, frame, False

    @staticmethod
    def _block_frame(el, tag: str, parent: Frame, style: _Style | None, names: list) -> Frame:
        frame = Frame.__new__(Frame)
        frame.para = el
        frame.align, frame.cell, frame.figure = parent.align, parent.cell, parent.figure
        frame.figcaption, frame.heading, frame.list_item = parent.figcaption, parent.heading, parent.list_item
        if names:
            align = style.align if style is not None else None
            if align is None and "align" in names:
                align = _ALIGNMENTS.get(el.get("align").strip().lower())
            if align is not None:
                frame.align = align
            elif tag == "center":
                frame.align = "center"
        elif tag == "center":
            frame.align = "center"
        if tag == "p" or tag == "div":
            return frame
        if tag in HEADINGS:
            frame.heading = True
        elif tag == "li":
            frame.list_item = True
        elif tag == "td" or tag == "th":
            frame.cell = el
        elif tag == "figure":
            frame.figure = el
        elif tag == "figcaption" or tag == "caption":
            frame.figcaption = True
        return frame

    def _class_facts(self, cls: str) -> tuple[bool, bool]:
        """(skip the element, it marks a caption) for a class attribute, cached."""
        cache = self.class_facts
        facts = cache.get(cls)
        if facts is None:
            if len(cache) > 4096:
                cache.clear()
            facts = cache[cls] = (bool(self.skip_re.search(cls)), bool(self.caption_re.search(cls)))
        return facts

    # text runs and paragraphs ---------------------------------------------------------

    def _append_text(self, text: str, state: tuple) -> None:
        if not self.runs:
            if text.isspace():
                return
            self.run_frame = state[1]
        self.runs.append((text, state[0]))

    def _flush(self) -> None:
        """Turn the pending runs into paragraph blocks (`<br><br>` splits one)."""
        runs = self.runs
        if not runs:
            return
        frame = self.run_frame
        if len(runs) == 1:  # the common paragraph: one text node, one style
            text, flags = runs[0]
            runs.clear()  # the same list: the walk holds it
            if flags:
                size = len(text.strip())
                styled = [size if flags & ITALIC else 0, size if flags & BOLD else 0,
                          size if flags & LINK else 0, size if flags & CAPTION else 0]
            else:
                styled = _UNSTYLED
            text = clean_text(text)
            if text and text.strip(INVISIBLE):
                self._text_block([text], text, styled, frame)
            return
        runs = runs.copy()
        self.runs.clear()
        lines: list[str] = []
        line: list[str] = []
        styled = [0, 0, 0, 0]  # characters that are italic, bold, link, caption-classed
        breaks = 0
        for run in runs:
            if run is None:
                breaks += 1
                continue
            text, flags = run
            if breaks:
                if text.isspace():
                    continue
                if line:
                    lines.append("".join(line))
                    line = []
                if breaks >= 2 and lines:
                    self._paragraph(lines, styled, frame)
                    lines, styled = [], [0, 0, 0, 0]
                breaks = 0
            line.append(text)
            if flags:
                size = len(text.strip())
                if flags & ITALIC:
                    styled[0] += size
                if flags & BOLD:
                    styled[1] += size
                if flags & LINK:
                    styled[2] += size
                if flags & CAPTION:
                    styled[3] += size
        if line:
            lines.append("".join(line))
        if lines:
            self._paragraph(lines, styled, frame)

    def _paragraph(self, raw_lines: list[str], styled: list[int], frame: Frame) -> None:
        if len(raw_lines) == 1:
            text = clean_text(raw_lines[0])
            if not text or not text.strip(INVISIBLE):
                return
            self._text_block([text], text, styled, frame)
            return
        lines = [text for text in map(clean_text, raw_lines) if text.strip(INVISIBLE)]
        if lines:
            self._text_block(lines, lines[0] if len(lines) == 1 else " ".join(lines), styled, frame)

    def _text_block(self, lines: list[str], text: str, styled: list[int], frame: Frame) -> None:
        block = Block.__new__(Block)
        block.kind = "text"
        block.frame = frame
        block.lines = lines
        block.text = text
        block.floated = False
        block.src = block.alt = block.caption = block.role = None
        chars = block.chars = len(text) - text.count(" ")
        if chars:
            # a stray unstyled space or full stop does not unmake an italic line
            block.italic = styled[0] >= 0.8 * chars
            block.bold = styled[1] >= 0.8 * chars
            block.link_chars = styled[2]
            block.caption_class = styled[3] >= 0.8 * chars
        else:
            block.italic = block.bold = block.caption_class = False
            block.link_chars = 0
        self.blocks.append(block)

    # images and links -------------------------------------------------------------------

    def _add_image(self, el, frame: Frame) -> None:
        src = _image_source(el)
        if not src:
            return
        self._flush()
        block = Block("image", frame)
        block.src = absolute_url(self.url, src)
        block.alt = clean_text(el.get("alt")) or None
        style = el.get("style")
        block.floated = (el.get("align") or "").lower() in ("left", "right") or (
            style is not None and _style(style).floated)
        self.blocks.append(block)

    def _note_link(self, el, href: str) -> None:
        path = href.strip().split("#", 1)[0].split("?", 1)[0]
        dot = path.rfind(".")
        if dot < 0 or path[dot + 1:].lower() not in self.attachment_exts:
            return
        target = absolute_url(self.url, href.strip())
        if not is_web_url(target):
            return  # javascript:…//x.pdf is no document: its text stays in the body
        fallback = clean_text(el.get("title")) or clean_text(unquote(path.rsplit("/", 1)[-1]))
        self.attachments.append((target, inline_text(el), fallback))


_SKIPPED = (0, None, False)
_UNSTYLED = (0, 0, 0, 0)
# Attributes that never carry script or a URL; any other makes an element
# one the sanitiser looks at (names are lower case: the HTML parser folds them).
_PLAIN_ATTRIBUTES = frozenset((
    "class", "id", "title", "alt", "width", "height", "align", "valign", "dir", "lang",
    "colspan", "rowspan", "border", "cellpadding", "cellspacing", "bgcolor", "color", "face",
    "size", "name", "rel", "target", "type", "start", "scope", "headers", "summary", "abbr",
    "style",  # looked at when the style itself is suspect (see _Style.suspect)
))


def _image_source(el) -> str:
    """The image's URL; lazy-loading pages keep it in data-src and friends."""
    src = (el.get("src") or "").strip()
    if not src or src.startswith("data:") and not src.startswith(("data:image/png", "data:image/jp")):
        for name in _LAZY_SOURCES:
            lazy = (el.get(name) or "").strip()
            if lazy:
                return lazy
    return src


def read_blocks(body, url: str, profile: SiteProfile) -> BlockReader:
    """The reader after its walk: blocks, attachments and the sanitiser's notes."""
    reader = BlockReader(body, url, profile)
    reader.read()
    return reader
