"""Related-links blocks inside the body ("Các tin khác", "Tin liên quan" ...).

A heading line from the profile's list (with or without a colon, any case)
starts the block; the link lists that follow it (list items or paragraphs
that are mostly link text, and thumbnails between them) belong to it. The
block ends at the first line that is not a link, so an article text or a
credit line after it stays where it is. `Xem thêm: <a>Another story</a>`
on one line is a related block of its own.

Related blocks outside the body element (Drupal blocks after the node) are
never read in the first place.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..profiles import SiteProfile
from .blocks import Block

_DECORATION = " :：.…-–—»«>*•|[]()\u00a0"


@lru_cache(maxsize=8)
def _headings(headings: tuple[str, ...]) -> tuple[frozenset, re.Pattern]:
    exact = frozenset(h.casefold() for h in headings)
    inline = re.compile(
        r"^(?:%s)\s*:" % "|".join(re.escape(h) for h in sorted(exact, key=len, reverse=True)),
        re.IGNORECASE,
    )
    return exact, inline


def mark_related_blocks(blocks: list[Block], profile: SiteProfile) -> None:
    """Give role "related" to each related-links heading and its links."""
    exact, inline = _headings(profile.related_block_headings)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "text" and block.role is None and _is_heading(block, exact, inline):
            block.role = "related"
            index = _mark_links_after(blocks, index + 1)
        else:
            index += 1


def _is_heading(block: Block, exact: frozenset, inline: re.Pattern) -> bool:
    text = block.text
    if len(text) <= 60 and text.strip(_DECORATION).casefold() in exact:
        return True
    # "Xem thêm: <a>...</a>" – a heading and its one link on the same line
    return block.link_chars > 0 and block.mostly_links and bool(inline.match(text))


def _mark_links_after(blocks: list[Block], index: int) -> int:
    """Mark the link lines (and thumbnails between them) after a heading."""
    pending_images: list[Block] = []
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "image":
            pending_images.append(block)
        elif block.role is None and block.mostly_links:
            for image in pending_images:
                image.role = "related"
            pending_images = []
            block.role = "related"
        else:
            break
        index += 1
    return index - len(pending_images)
