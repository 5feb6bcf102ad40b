"""Render an article body as the HTML an editor left in Drupal's body field.

Editors of Vietnamese government sites write in CKEditor or paste from Word,
over many years, so one site holds many styles at once. One `ArticleModel`
is rendered along independent axes chosen per article (see content.py):

- structure: clean CKEditor `<p>`, Word paste (`p.MsoNormal`, Times New Roman
  spans, `<o:p>`), paragraphs as `<div>`, or paragraphs split by `<br><br>`
  inside one block;
- text encoding: UTF-8, named entities (`Th&agrave;nh`), numeric entities,
  Unikey "tổ hợp" decomposition (precomposed base + combining tone mark),
  full NFD, or decomposition mixed with entities (`t&ocirc;̀n`);
- indentation with `&nbsp;` or CKEditor's `&nbsp; &nbsp;` runs;
- caption placement (after the image paragraph, italic and/or centred, after
  an empty paragraph, in the image's paragraph, in a layout table, in a
  `<figure>`, in a small italic span);
- credit line styles, related-links blocks, document links.

Whatever the style, the text an ideal extractor reads back (NFC, white space
collapsed) is exactly the model's text: `truth.py` relies on that.
The small cosmetic choices (attribute order, `<br>` spelling) come from a
random stream of the node id, so a page is the same on every request.
"""

from __future__ import annotations

import html
import random
import unicodedata
from html.entities import codepoint2name

from .content import mix
from .model import ArticleModel, Block, CreditLine, Picture

# --------------------------------------------------------------------------
# Text encodings
# --------------------------------------------------------------------------

_NAMED = {code: f"&{name};" for code, name in codepoint2name.items() if code > 127}
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _tohop(char: str) -> str:
    """Unikey's "Unicode tổ hợp": base letter precomposed, tone mark combining."""
    decomposed = unicodedata.normalize("NFD", char)
    tones = "".join(c for c in decomposed if c in _TONE_MARKS)
    if not tones:
        return char
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return base + tones


_VIETNAMESE_LETTERS = [chr(c) for c in range(0xC0, 0x1EFF) if unicodedata.category(chr(c)).startswith("L")]
_TOHOP = {ord(c): _tohop(c) for c in _VIETNAMESE_LETTERS if _tohop(c) != c}
_NFD = {ord(c): unicodedata.normalize("NFD", c) for c in _VIETNAMESE_LETTERS
        if unicodedata.normalize("NFD", c) != c}
_NUMERIC = {c: f"&#{c};" for c in range(0xA0, 0x2100)}


def _escape(text: str, quote: bool) -> str:
    return html.escape(text, quote=quote).replace("\xa0", "&nbsp;")


def encode(text: str, encoding: str, quote: bool = False) -> str:
    """Text as an editor's HTML stores it, in one of the encodings."""
    if encoding == "plain":
        return _escape(text, quote)
    if encoding == "entities":
        return html.escape(text, quote=quote).translate(_NAMED)
    if encoding == "numeric_entities":
        return html.escape(text, quote=quote).translate(_NUMERIC).replace("&#160;", "&nbsp;")
    if encoding == "decomposed":
        return _escape(text.translate(_TOHOP), quote)
    if encoding == "nfd":
        return _escape(text.translate(_NFD), quote)
    if encoding == "decomposed_entities":
        return html.escape(text.translate(_TOHOP), quote=quote).translate(_NAMED)
    raise ValueError(f"unknown text encoding {encoding!r}")


# --------------------------------------------------------------------------
# Dialects: how one structure writes each kind of block
# --------------------------------------------------------------------------

_WORD_FONT = "font-size:14.0pt;line-height:150%;font-family:&quot;Times New Roman&quot;,&quot;serif&quot;"
_WORD_SPAN = f'<span lang="VI" style="{_WORD_FONT}">'
_WORD_SPAN_EN = f'<span lang="EN-US" style="{_WORD_FONT}">'
_CENTER = ' style="text-align: center;"'
_RIGHT = ' style="text-align: right;"'


class BodyWriter:
    """Writes one article's body field."""

    def __init__(self, model: ArticleModel):
        self.model = model
        self.style = model.style
        self.features = model.features
        self.structure = model.style["structure"]
        self.rng = random.Random(mix(model.node_id, 0x6D61726B))  # cosmetic choices only
        self.justify = self.rng.random() < 0.6
        self.br = self.rng.choice(("<br />", "<br>", "<br/>"))
        self.newline = "\r\n" if "crlf" in self.features else "\n"

    # -- text ------------------------------------------------------------
    def text(self, text: str) -> str:
        if "inner_spaces" in self.features:
            text = self._double_some_spaces(text)
        return encode(text, self.style["text"])

    def attr(self, text: str) -> str:
        return encode(text, self.style["text"], quote=True)

    def _double_some_spaces(self, text: str) -> str:
        """Runs of spaces and no-break spaces inside a line (they collapse to one)."""
        words = text.split(" ")
        for _ in range(min(3, len(words) // 8)):
            at = self.rng.randrange(1, len(words))
            words[at] = self.rng.choice((" ", "\xa0 ", "\xa0")) + words[at]
        return " ".join(words)

    def indent(self) -> str:
        kind = self.style["indent"]
        if kind == "nbsp":
            return "&nbsp;" * self.rng.randint(4, 8)
        if kind == "nbsp_runs":
            return "&nbsp; " * self.rng.randint(3, 6)
        return ""

    # -- generic paragraphs ----------------------------------------------
    def paragraph(self, inner: str, align: str = "", bold: bool = False, italic: bool = False) -> str:
        """One paragraph in the article's dialect. align: "", "center", "right"."""
        if self.structure == "word":
            return self._word_paragraph(inner, align, bold, italic)
        if bold:
            inner = f"<strong>{inner}</strong>"
        if italic:
            inner = f"<em>{inner}</em>"
        tag = "div" if self.structure == "div" else "p"
        style = {"center": _CENTER, "right": _RIGHT}.get(align, "")
        if not align and self.justify:
            style = ' style="text-align: justify;"'
        return f"<{tag}{style}>{inner}</{tag}>"

    def _word_paragraph(self, inner: str, align: str, bold: bool, italic: bool) -> str:
        span = f"{_WORD_SPAN}{inner}</span>" if "<span" not in inner else inner
        if bold:
            span = f"<b>{span}</b>"
        if italic:
            span = f"<i>{span}</i>"
        if align:
            attrs = f' align="{align}" style="text-align:{align}"'
        else:
            attrs = ' style="margin-bottom:6.0pt;text-align:justify;text-indent:36.0pt;line-height:150%"'
        return f'<p class="MsoNormal"{attrs}>{span}<o:p></o:p></p>'

    def word_text(self, text: str) -> str:
        """Word's runs: the text split in two spans of different languages, maybe a SpellE span."""
        if "word_split" not in self.features or " " not in text:
            return f"{_WORD_SPAN}{self.text(text)}</span>"
        spaces = [i for i, c in enumerate(text) if c == " "]
        cut = self.rng.choice(spaces) + 1
        head, tail = text[:cut], text[cut:]
        return f"{_WORD_SPAN}{self.text(head)}</span>{_WORD_SPAN_EN}{self.text(tail)}</span>"

    def inline(self, text: str) -> str:
        return self.word_text(text) if self.structure == "word" else self.text(text)

    def empty(self) -> str:
        if self.structure == "word":
            return '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        return "<div>&nbsp;</div>" if self.structure == "div" else "<p>&nbsp;</p>"

    # -- blocks ----------------------------------------------------------
    def block(self, block: Block) -> str:
        kind = block.kind
        if kind == "title":
            return self.paragraph(self.inline(block.text), align="center", bold=True)
        if kind == "lead":
            return self.paragraph(self.inline(block.text), bold=True)
        if kind == "para":
            return self.paragraph(self.indent() + self.inline(block.text))
        if kind == "heading":
            if self.style["heading"] == "h3":
                return f"<h3>{self.text(block.text)}</h3>"
            return self.paragraph(self.inline(block.text), bold=True)
        if kind == "list":
            return self.list(block.items, block.ordered)
        if kind == "picture":
            return self.picture(block.picture)
        if kind == "documents":
            return self.documents(block)
        raise ValueError(kind)

    def list(self, items: tuple[str, ...], ordered: bool) -> str:
        tag = "ol" if ordered else "ul"
        nl = self.newline
        if self.structure == "word":
            rows = "".join(f'{nl}<li class="MsoNormal" style="text-align:justify">{self.word_text(i)}</li>' for i in items)
            return f'<{tag} style="margin-top:0cm" type="{"1" if ordered else "disc"}">{rows}{nl}</{tag}>'
        rows = "".join(f"{nl}\t<li>{self.text(item)}</li>" for item in items)
        return f"<{tag}>{rows}{nl}</{tag}>"

    def documents(self, block: Block) -> str:
        style = self.style["attachment"]
        nl = self.newline
        links = [f'<a href="{d.href}">{self.text(d.text)}</a>' for d in block.documents]
        if style == "list":
            rows = "".join(f"{nl}\t<li>{link}</li>" for link in links)
            return self.paragraph(self.text(block.label)) + f"{nl}<ul>{rows}{nl}</ul>"
        if style == "bold_label":
            label = f"<strong>{self.text(block.label.strip())}</strong> "
        else:
            label = self.text(block.label)
        return nl.join(self.paragraph(label + link) for link in links)

    # -- pictures --------------------------------------------------------
    def img(self, picture: Picture) -> str:
        alt = "" if picture.alt is None else f'alt="{self.attr(picture.alt)}" '
        if self.rng.random() < 0.5:
            return (f'<img {alt}src="{picture.src}" '
                    f'style="width: {picture.width}px; height: {picture.height}px;" />')
        return f'<img src="{picture.src}" width="{picture.width}" height="{picture.height}" {alt}/>'

    def image_paragraph(self, picture: Picture) -> str:
        if self.structure == "word":
            return (f'<p class="MsoNormal" align="center" style="text-align:center">'
                    f"<span style=\"{_WORD_FONT}\">{self.img(picture)}</span><o:p></o:p></p>")
        return self.paragraph(self.img(picture), align="center")

    def picture(self, picture: Picture) -> str:
        kind = self.style["caption"]
        caption = picture.caption
        nl = self.newline
        if kind == "table":
            return self.table([picture])
        if kind == "figure":
            if caption is None:
                return self.image_paragraph(picture)
            return (f'<figure class="image">{self.img(picture)}{nl}'
                    f"<figcaption>{self.text(caption)}</figcaption></figure>")
        if kind == "same_paragraph":
            if caption is None:
                return self.image_paragraph(picture)
            text = self.inline(caption)
            inner = f"{self.img(picture)}{self.br}{nl}" + (f"<em>{text}</em>" if self.rng.random() < 0.7 else text)
            return self.paragraph(inner, align="center")
        if kind == "image_caption":  # the old theme's image module (themes/city2012.py)
            if caption is None:
                return self.image_paragraph(picture)
            return (f'<div class="image-wrap">{self.img(picture)}{nl}'
                    f'<p class="image-caption">{self.text(caption)}</p></div>')
        image = self.image_paragraph(picture)
        if caption is None:
            return image
        text = self.inline(caption)
        if kind == "after_italic_centered":
            line = self.paragraph(text, align="center", italic=True)
        elif kind == "after_italic":
            line = self.paragraph(self.indent() + text, italic=True)
        elif kind == "after_centered":
            line = self.paragraph(text, align="center")
        elif kind == "after_gap":
            line = self.empty() + nl + self.paragraph(text, align="center", italic=True)
        elif kind == "small_italic":
            size = self.rng.choice(("font-size:12px;", "font-size: 10pt;", "font-size:11px"))
            line = self.paragraph(f'<span style="{size}"><em>{self.text(caption)}</em></span>', align="center")
        else:
            raise ValueError(kind)
        return image + nl + line

    def table(self, pictures: list[Picture]) -> str:
        """A layout table: images in the first row, their captions in the cells below."""
        nl = self.newline
        classes = ' class="image"' if self.rng.random() < 0.5 else ""
        images = "".join(f"<td>{self.img(p)}</td>" for p in pictures)
        rows = [f"<tr>{images}</tr>"]
        if any(p.caption for p in pictures):
            cells = "".join(
                f'<td{_CENTER}><em>{self.text(p.caption)}</em></td>' if p.caption else "<td>&nbsp;</td>"
                for p in pictures
            )
            rows.append(f"<tr>{cells}</tr>")
        body = nl.join(rows)
        return (f'<table{classes} align="center" border="0" cellpadding="1" cellspacing="1" '
                f'style="width: 600px;">{nl}<tbody>{nl}{body}{nl}</tbody>{nl}</table>')

    # -- credits and related links ------------------------------------
    def credit_line(self, line: CreditLine) -> str:
        """The credit line's inner HTML (label in bold when it is a bold label)."""
        if line.label_end:
            label, rest = line.text[: line.label_end], line.text[line.label_end:]
            return f"<strong>{self.text(label)}</strong>{self.text(rest)}"
        return self.inline(line.text)

    def credits(self, lines: list[CreditLine]) -> list[str]:
        if not lines:
            return []
        style = self.style["credit_style"]
        inners = [self.credit_line(line) for line in lines]
        if "two_lines_br" in self.features and len(inners) == 2:
            inners = [f"{inners[0]}{self.br}{self.newline}{inners[1]}"]
        out = []
        for inner in inners:
            bold_label = "<strong>" in inner
            if style == "right_strong":
                out.append(self.paragraph(inner, align="right", bold=not bold_label))
            elif style == "right_plain":
                out.append(self.paragraph(inner, align="right"))
            elif style == "right_em":
                out.append(self.paragraph(inner, align="right", italic=True))
            elif style == "nbsp_runs":
                out.append(self.paragraph("&nbsp; " * 18 + inner))
            else:  # align_attr: the old HTML attribute, as in Word and early CKEditor
                inner = inner if bold_label else f"<b>{inner}</b>"
                tag = "div" if self.structure == "div" else "p"
                out.append(f'<{tag} align="right">{inner}</{tag}>')
        return out

    def related_inside(self) -> list[str]:
        model = self.model
        if not model.related or model.style["related"] != "inside":
            return []
        nl = self.newline
        heading = self.text(model.related_heading)
        head = f"<h3>{heading}</h3>" if self.rng.random() < 0.4 else f"<p><strong>{heading}:</strong></p>"
        rows = "".join(
            f'{nl}\t<li><a href="{link.href}">{self.text(link.title)}</a> <em>({link.date_text})</em></li>'
            for link in model.related
        )
        return [head, f"<ul>{rows}{nl}</ul>"]

    # -- the whole body ----------------------------------------------------
    def render(self) -> str:
        parts = self._blocks()
        parts += self.credits(self.model.credit_lines)
        parts += self.related_inside()
        return self.newline.join(parts)

    def _blocks(self) -> list[str]:
        blocks = self.model.blocks
        parts: list[str] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if self.structure == "br" and block.kind == "para":
                run = [block]
                while index + 1 < len(blocks) and blocks[index + 1].kind == "para":
                    index += 1
                    run.append(blocks[index])
                parts.append(self._br_paragraph(run))
            elif block.kind == "picture" and "table_pair" in self.features and index + 1 < len(blocks) \
                    and blocks[index + 1].kind == "picture":
                parts.append(self.table([block.picture, blocks[index + 1].picture]))
                index += 1
            else:
                parts.append(self.block(block))
            index += 1
        if "empty_paragraphs" in self.features:
            for _ in range(self.rng.randint(1, 3)):
                parts.insert(self.rng.randint(1, len(parts)), self.empty())
        return parts

    def _br_paragraph(self, run: list[Block]) -> str:
        """Several paragraphs in one <p>, separated by an empty line (<br><br>)."""
        separator = self.rng.choice((
            f"{self.br}{self.br}", f"{self.br}{self.newline}{self.br}", f"{self.br}&nbsp;{self.br}",
        ))
        inner = (separator + self.newline).join(self.indent() + self.text(b.text) for b in run)
        return self.paragraph(inner)


def render_body(model: ArticleModel) -> str:
    """The HTML inside `div.field-item` of the article's body field."""
    if model.raw_body is not None:
        return model.raw_body
    return BodyWriter(model).render()
