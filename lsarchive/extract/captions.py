"""Tying captions to images.

Two passes, because trailing credit lines are found in between:

1. Structural captions, where the markup says what belongs to the image:
   the same `<figure>` (its figcaption, else its text after the image), the
   same layout-table cell (text after the image, even after `<br>` or in
   `<p>`s of the cell) or the caption cell right below it, the image's own
   paragraph (text after the image), and caption-classed elements right
   after the image (`td.image_desc`, `p.MsoCaption`, `wp-caption-text`...).
2. Captions by position: the italic and/or centred line right after an
   image that stands alone in its paragraph (empty paragraphs never become
   blocks, so "right after" already skips them). An italic line that is not
   next to an image stays body text.

A caption found by position is at most `profile.caption_max_chars` long.
"""

from __future__ import annotations

import re

from ..profiles import SiteProfile
from .blocks import Block

_PHOTO_CREDIT = re.compile(r"^[(\[]?\s*(?:ảnh|nguồn ảnh|hình)\s*:", re.IGNORECASE)


def assign_structural_captions(blocks: list[Block], profile: SiteProfile) -> None:
    """Pass 1: captions the markup ties to an image (see the module docstring)."""
    by_cell: dict = {}
    for block in blocks:
        if block.cell is not None:
            by_cell.setdefault(block.cell, []).append(block)
    limit = profile.caption_max_chars
    for index, image in enumerate(blocks):
        if image.kind != "image" or image.role is not None:
            continue
        texts = (
            _figure_caption(blocks, index) if image.figure is not None else None
        ) or (
            _cell_caption(blocks, index, by_cell, limit) if image.cell is not None else None
        ) or (
            _paragraph_caption(blocks, index, limit) if not image.floated else None
        ) or _caption_class_after(blocks, index)
        if texts:
            _tie(image, texts)


def assign_adjacent_captions(blocks: list[Block], profile: SiteProfile,
                             signals: tuple[bool, bool] | None = None) -> None:
    """Pass 2: the italic / centred line right after an image-only paragraph."""
    signals = signals or caption_style_signals(blocks)
    for index, image in enumerate(blocks):
        if image.kind != "image" or image.caption is not None or image.role is not None:
            continue
        if is_adjacent_caption(blocks, index + 1, profile, signals):
            texts = [blocks[index + 1]]
            follow = index + 2
            if follow < len(blocks) and _is_photo_credit_follow_up(blocks[follow], signals):
                texts.append(blocks[follow])
            _tie(image, texts)


def caption_style_signals(blocks: list[Block]) -> tuple[bool, bool]:
    """Whether italics and centring set a line apart on this page.

    When most of the other text (lines not right after an image) is italic
    or centred, that style says nothing about a line after an image, and
    only the other style is a signal.
    """
    total = italic = centred = 0
    previous = None
    for block in blocks:
        if block.kind == "text" and (previous is None or previous.kind != "image"):
            size = block.chars
            total += size
            if block.italic:
                italic += size
            if block.frame.align == "center":
                centred += size
        previous = block
    return italic <= 0.5 * total, centred <= 0.5 * total


def is_adjacent_caption(blocks: list[Block], index: int, profile: SiteProfile,
                        signals: tuple[bool, bool] | None = None) -> bool:
    """Whether blocks[index] is the caption line of the image right before it."""
    if index <= 0 or index >= len(blocks):
        return False
    image, line = blocks[index - 1], blocks[index]
    if image.kind != "image" or line.kind != "text" or line.role is not None:
        return False
    if line.heading or line.list_item or line.mostly_links or len(line.text) > profile.caption_max_chars:
        return False
    if line.cell is not None and line.cell is not image.cell:
        return False
    if not _stands_alone(blocks, index - 1):
        return False
    italic_signal, centred_signal = signals or caption_style_signals(blocks)
    return (line.italic and italic_signal) or (line.centred and centred_signal) or line.caption_class


# structural kinds -------------------------------------------------------------------

def _figure_caption(blocks: list[Block], index: int) -> list[Block] | None:
    image = blocks[index]
    figure = image.figure
    members = [i for i, b in enumerate(blocks) if b.figure is figure]
    images = [i for i in members if blocks[i].kind == "image"]
    later_images = [i for i in images if i > index]
    end = later_images[0] if later_images else len(blocks)
    after = [blocks[i] for i in members if index < i < end and blocks[i].kind == "text"
             and blocks[i].role is None]
    captions = [b for b in after if b.figcaption or b.caption_class]
    if not captions and not later_images:
        # a figcaption written before the image(s) goes to the last image
        captions = [blocks[i] for i in members if i < index and blocks[i].figcaption
                    and blocks[i].role is None and index == images[-1]]
    return captions or after or None


def _cell_caption(blocks: list[Block], index: int, by_cell: dict, limit: int) -> list[Block] | None:
    """The one text after the image in its layout-table cell, or the cell
    right below an image-only cell. A cell that also holds text before the
    image, or several paragraphs after it, is a page laid out in a table:
    its lines are left to the caption-by-position pass."""
    image = blocks[index]
    members = by_cell[image.cell]
    position = next(i for i, b in enumerate(members) if b is image)
    if any(b.kind == "text" and b.role is None for b in members[:position]):
        return None
    after = []
    for block in members[position + 1:]:
        if block.kind == "image":
            break
        if block.role is None:
            after.append(block)
    if after:
        return after if len(after) == 1 and _short(after, limit) else None
    below = _cell_below(image.cell)
    if below is None or below not in by_cell:
        return None
    texts = by_cell[below]
    if any(b.kind == "image" or b.role is not None for b in texts) or not _short(texts, limit):
        return None
    return texts


def _cell_below(cell):
    row = cell.getparent()
    if row is None or row.tag != "tr":
        return None
    cells = [c for c in row if c.tag in ("td", "th")]
    position = cells.index(cell)
    next_row = row.getnext()
    while next_row is not None and next_row.tag != "tr":
        next_row = next_row.getnext()
    if next_row is None:
        tbody = row.getparent().getnext() if row.getparent() is not None else None
        if tbody is not None and tbody.tag == "tbody" and len(tbody):
            next_row = tbody[0]
        else:
            return None
    below = [c for c in next_row if c.tag in ("td", "th")]
    if len(below) == len(cells):
        return below[position]
    if len(below) == 1:
        return below[0]
    return None


def _paragraph_caption(blocks: list[Block], index: int, limit: int) -> list[Block] | None:
    """Text after the image inside the image's own paragraph (`<img><br>Caption`)."""
    image = blocks[index]
    if image.para is None or image.cell is not None and image.para is image.cell:
        return None
    previous = blocks[index - 1] if index else None
    if previous is not None and previous.para is image.para and previous.kind == "text":
        return None  # an image inside a body paragraph: the text goes on after it
    after = []
    for block in blocks[index + 1:]:
        if block.para is not image.para or block.kind == "image":
            break
        if block.role is None:
            after.append(block)
    return after if len(after) == 1 and _short(after, limit) else None


def _caption_class_after(blocks: list[Block], index: int) -> list[Block] | None:
    after = []
    for block in blocks[index + 1:]:
        if block.kind != "text" or not block.caption_class or block.role is not None:
            break
        after.append(block)
    return after or None


# helpers ------------------------------------------------------------------------------

def _stands_alone(blocks: list[Block], index: int) -> bool:
    """The image has no text of its own paragraph around it."""
    image = blocks[index]
    para = image.para
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(blocks) and blocks[position].para is para:
            if blocks[position].kind == "text" and blocks[position].role is None:
                return False
            position += step
    return True


def _is_photo_credit_follow_up(block: Block, signals: tuple[bool, bool]) -> bool:
    """`(Ảnh: Thanh Huệ)` on its own line under a caption is part of it."""
    styled = (block.italic and signals[0]) or (block.centred and signals[1])
    return (block.kind == "text" and block.role is None and styled and len(block.text) <= 80
            and bool(_PHOTO_CREDIT.match(block.text)))


def _short(texts: list[Block], limit: int) -> bool:
    """A caption by position is short, and not a link (an icon or thumbnail
    next to its link is not a captioned photo)."""
    return (len(texts) <= 3 and sum(len(b.text) for b in texts) <= limit
            and not any(b.mostly_links for b in texts))


def _tie(image: Block, texts: list[Block]) -> None:
    for block in texts:
        block.role = "caption"
    image.caption = " ".join(b.text for b in texts)
