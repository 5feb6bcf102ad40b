"""The abstract article the mirror renders and checks against.

`content.py` builds an `ArticleModel`; `markup.py` renders it as editor HTML
in one of many styles; `truth.py` derives the CONTRACT.md record from it.
Both read the same model, so the truth is exact by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
UTC_OFFSET = "+07:00"


@dataclass(frozen=True)
class Picture:
    src: str
    """As written in the page: root-relative, percent-encoded."""
    alt: str | None
    """Text of the alt attribute; "" = empty attribute; None = no attribute."""
    caption: str | None
    width: int = 600
    height: int = 400


@dataclass(frozen=True)
class Document:
    href: str
    """Root-relative, percent-encoded."""
    text: str
    """The link text."""


@dataclass(frozen=True)
class Block:
    """One unit of the body.

    kind: "title" (the title repeated), "lead" (bold first paragraph), "para",
    "heading", "list", "picture", "documents".
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    ordered: bool = False
    picture: Picture | None = None
    documents: tuple[Document, ...] = ()
    label: str = ""
    """documents: the label before the links ("Tải về: "), or the list intro."""


@dataclass(frozen=True)
class CreditLine:
    text: str
    credits: tuple[tuple[str, tuple[str, ...]], ...]
    """(name, roles) as in CONTRACT.md's credits."""
    label_end: int = 0
    """For bold labels: the label is text[:label_end] (0 = no bold label)."""


@dataclass(frozen=True)
class RelatedLink:
    href: str
    title: str
    date_text: str


@dataclass
class ArticleModel:
    index: int
    node_id: int
    section_name: str
    section_path: str
    topic: str
    title: str
    alias: str
    published: datetime
    changed: datetime
    blocks: list[Block] = field(default_factory=list)
    credit_lines: list[CreditLine] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    related_heading: str = ""
    style: dict[str, str] = field(default_factory=dict)
    """One value per axis: structure, text, indent, heading, caption, credit,
    credit_style, date, breadcrumb, related, attachment."""
    features: frozenset[str] = frozenset()
    """On/off variations: bold_lead, list, title_repeat, inner_spaces, crlf,
    empty_paragraphs, word_split, table_pair, unit_line, two_lines_br."""
    edited: bool = False
    is_seed: bool = False
    raw_body: str | None = None
    """The seed article's hand-written body HTML (None for generated ones)."""

    @property
    def pictures(self) -> list[Picture]:
        return [b.picture for b in self.blocks if b.kind == "picture"]

    @property
    def documents(self) -> list[Document]:
        return [d for b in self.blocks if b.kind == "documents" for d in b.documents]

    def kinds(self) -> frozenset[str]:
        """The markup kinds this article really shows, as "axis:value" strings.

        A kind is listed only when the page contains it (a caption style
        needs a captioned picture, a credit style needs a credit line...).
        """
        style = self.style
        found = {f"{axis}:{style[axis]}" for axis in ("structure", "text", "indent", "date", "breadcrumb")}
        if style["heading"] != "none":
            found.add(f"heading:{style['heading']}")
        for picture in self.pictures:
            found.add("caption:none" if picture.caption is None else f"caption:{style['caption']}")
            found.add("alt:" + alt_kind(picture))
        found.add(f"credit:{style['credit']}" if self.credit_lines else "credit:none")
        if self.credit_lines:
            found.add(f"credit_style:{style['credit_style']}")
        if self.related:
            found.add(f"related:{style['related']}")
        if self.documents:
            found.add(f"attachment:{style['attachment']}")
            found |= {"document:" + d.href.rsplit(".", 1)[-1] for d in self.documents}
        for feature in self.features:
            axis = {"table_pair": "caption", "unit_line": "credit", "two_lines_br": "credit"}.get(feature, "feature")
            found.add(f"{axis}:{feature}")
        return frozenset(found)


def alt_kind(picture: Picture) -> str:
    if picture.alt is None:
        return "missing"
    if picture.alt == "":
        return "empty"
    return "caption" if picture.alt == picture.caption else "text"


def weekday_name(when: datetime) -> str:
    return WEEKDAYS[when.weekday()]


def date_line(when: datetime) -> str:
    """Drupal's submitted date as the portal shows it: `Thứ Ba, 10/01/2017 - 20:04`."""
    return f"{weekday_name(when)}, {when:%d/%m/%Y - %H:%M}"


def iso_datetime(when: datetime, seconds: bool = True) -> str:
    pattern = "%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M:00"
    return when.strftime(pattern) + UTC_OFFSET
