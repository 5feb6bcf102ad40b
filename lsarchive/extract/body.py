"""From blocks to the record's body, images, captions and credits.

The order of the steps matters and is the point of this module:

1. a leading repeat of the title (before captions: a centred title line
   under a lead photo is not that photo's caption);
2. related-links blocks are cut (so that credit lines above them become
   the trailing lines of the article);
3. captions that the markup ties to an image (figure, table cell, own
   paragraph, caption class);
4. the trailing credit lines (a labelled credit line wins over a caption by
   position; an unlabelled name right after an image stays its caption);
5. captions by position (the italic / centred line after an image);
6. what is left: body paragraphs and article images.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..profiles import SiteProfile
from ..record import Credit, Image
from .blocks import Block
from .captions import (
    assign_adjacent_captions,
    assign_structural_captions,
    caption_style_signals,
    is_adjacent_caption,
)
from .credits import find_credits
from .related import mark_related_blocks

_TITLE_DECORATION = " .:!?\"“”'‘’«»-–—*"


@dataclass
class BodyParts:
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    credit_lines: list[str] = field(default_factory=list)


def assemble_body(blocks: list[Block], title: str, profile: SiteProfile) -> BodyParts:
    """Decide every block's role (in the order of the module docstring) and
    collect what is left as the article's paragraphs and images."""
    drop_title_repeat(blocks, title)
    mark_related_blocks(blocks, profile)
    assign_structural_captions(blocks, profile)
    signals = caption_style_signals(blocks)
    found = find_credits(
        blocks, profile, is_caption=lambda index: is_adjacent_caption(blocks, index, profile, signals)
    )
    assign_adjacent_captions(blocks, profile, signals)
    parts = BodyParts(credits=found.credits, credit_lines=found.lines)
    for block in blocks:
        if block.role is not None:
            continue
        if block.kind == "text":
            parts.paragraphs.append(block.text)
        else:
            parts.images.append(Image(src=block.src, alt=block.alt, caption=block.caption,
                                      after_paragraph=len(parts.paragraphs)))
    return parts


def drop_title_repeat(blocks: list[Block], title: str) -> None:
    """The first paragraph, when it only repeats the title, is not body text."""
    wanted = _comparable(title)
    for block in blocks:
        if block.kind == "text" and block.role is None:
            if wanted and len(block.text) < 2 * len(title) + 10 and _comparable(block.text) == wanted:
                block.role = "title"
            return


def _comparable(text: str) -> str:
    return " ".join(text.strip(_TITLE_DECORATION).casefold().split())
