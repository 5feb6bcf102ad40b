"""Snippets: a window of an article's text around the first place it matches a
search, the matching words marked, read on the folded text and marked on the
original (folding keeps every character's position)."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from ..normalize import fold

_TOKEN = re.compile(r"\S+")


def highlight(text: str, words: list[str], *, width: int = 30, start: str = "[", end: str = "]",
              folded: str | None = None) -> str:
    """A window of about `width` words of `text` around the first hit, hits marked.

    Matching happens on the folded text; because folding keeps every
    character's position, the marks land on the original, accented text.
    The window opens on the first place where the query's words stand
    together, if there is one.

    Speed: a body runs to thousands of words and a common word stands in it
    dozens of times, so only the first hit is looked for in the whole text
    (one regular-expression search), and words are cut and hits marked only
    around it. `folded`: fold(text) if the caller has it (the archive keeps
    each article's folded text for its index): folding a body costs more
    than finding its snippet.
    """
    if not text:
        return ""
    if folded is None or len(folded) != len(text):
        folded = fold(text)
    if len(folded) != len(text):  # not NFC: fall back to marking the folded text
        text = folded
    hit = _hit_pattern(tuple(words)) if words else None
    first_hit = _first_hit(hit, folded) if hit else 0
    # Enough characters for width // 3 words before the hit and width after it.
    near_start = text.rfind(" ", 0, max(first_hit - 20 * width, 0)) + 1 if first_hit > 20 * width else 0
    near_end = min(len(text), first_hit + 60 * width)
    before = [m.span() for m in _TOKEN.finditer(text, near_start, first_hit)]
    after_from = first_hit
    if before and before[-1][1] == first_hit:  # the hit's own word began before it ("(thi")
        after_from = before.pop()[0]
    lo = max(len(before) - width // 3, 0)
    wanted_after = width - (len(before) - lo)
    after = [m.span() for m in itertools.islice(_TOKEN.finditer(text, after_from, near_end), wanted_after + 1)]
    tokens = before[lo:] + after[:wanted_after]
    if not tokens:
        return ""
    window_start, window_end = tokens[0][0], tokens[-1][1]
    out, pos = [], window_start
    if hit:
        for match in hit.finditer(folded, window_start):
            s, e = match.span()
            if s >= window_end:
                break
            if e > window_end:
                continue
            out.append(text[pos:s] + start + text[s:e] + end)
            pos = e
    out.append(text[pos:window_end])
    # Paragraph breaks inside the window read as one line in a result list.
    snippet = " ".join("".join(out).split())
    cut_before = lo > 0 or near_start > 0
    cut_after = len(after) > wanted_after or near_end < len(text)
    return ("… " if cut_before else "") + snippet + (" …" if cut_after else "")


@lru_cache(maxsize=256)
def _hit_pattern(words: tuple[str, ...]) -> re.Pattern:
    """A word starting with one of `words` (longest first)."""
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")\w*")


@lru_cache(maxsize=256)
def _run_pattern(hit: re.Pattern) -> re.Pattern:
    """Two hits one space apart: a phrase (the hit pattern, then a space and the next)."""
    return re.compile(hit.pattern + " " + hit.pattern.removeprefix(r"\b").removesuffix(r"\w*"))


def _first_hit(hit: re.Pattern, folded: str) -> int:
    """Start of the first hit followed by another hit after one space (a phrase),
    else of the first hit, else 0."""
    found = _run_pattern(hit).search(folded) or hit.search(folded)
    return found.start() if found else 0
