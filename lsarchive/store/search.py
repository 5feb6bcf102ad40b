"""Full-text search in Vietnamese, with or without diacritics.

The index covers folded text (normalize.fold: lower case, no marks, đ→d), so
a query is folded the same way before it reaches FTS5. Operators stay as
typed: "quoted phrases", OR, NOT, AND, prefix*, parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import fold

# A phrase, an operator, a parenthesis or a bare term (with optional prefix *).
_QUERY_TOKEN = re.compile(r'"([^"]*)"|\b(AND|OR|NOT)\b|([()])|([^\s"()]+)')
_WORD = re.compile(r"\w+")

# How many of the newest matches a query ranks by relevance, at most.
RANKED_CANDIDATES = 3000


def fts_query(query: str) -> str:
    """Turn what a researcher typed into a safe FTS5 query over folded text."""
    parts: list[str] = []
    for phrase, operator, paren, term in _QUERY_TOKEN.findall(query):
        if operator or paren:
            parts.append(operator or paren)
        elif phrase:
            words = _WORD.findall(fold(phrase))
            if words:
                parts.append('"' + " ".join(words) + '"')
        elif term:
            prefix = term.endswith("*")
            words = _WORD.findall(fold(term))
            if words:
                quoted = '"' + " ".join(words) + '"'
                parts.append(quoted + ("*" if prefix else ""))
    # Operators with nothing to join would be a syntax error: drop dangling ones.
    while parts and parts[-1] in ("AND", "OR", "NOT", "("):
        parts.pop()
    while parts and parts[0] in ("AND", "OR", "NOT", ")"):
        parts.pop(0)
    return " ".join(parts)


def query_words(query: str) -> list[str]:
    """The folded words of a query, operators left out: what to highlight."""
    words: list[str] = []
    for phrase, operator, paren, term in _QUERY_TOKEN.findall(query):
        words.extend(_WORD.findall(fold(phrase or term)))
    return words


def highlight(text: str, words: list[str], *, width: int = 30, start: str = "[", end: str = "]") -> str:
    """A window of about `width` words of `text` around the first hit, hits marked.

    Matching happens on the folded text; because folding keeps every
    character's position, the marks land on the original, accented text.
    """
    if not text:
        return ""
    folded = fold(text)
    if len(folded) != len(text):  # not NFC: fall back to marking the folded text
        text = folded
    spans = _hit_spans(folded, words)
    tokens = [m.span() for m in re.finditer(r"\S+", text)]
    if not tokens:
        return ""
    first_hit = spans[0][0] if spans else 0
    centre = next((n for n, (s, e) in enumerate(tokens) if e > first_hit), 0)
    lo = max(centre - width // 3, 0)
    hi = min(lo + width, len(tokens))
    window_start, window_end = tokens[lo][0], tokens[hi - 1][1]
    out, pos = [], window_start
    for s, e in spans:
        if s < window_start or e > window_end:
            continue
        out.append(text[pos:s] + start + text[s:e] + end)
        pos = e
    out.append(text[pos:window_end])
    # Paragraph breaks inside the window read as one line in a result list.
    snippet = " ".join("".join(out).split())
    return ("… " if lo > 0 else "") + snippet + (" …" if hi < len(tokens) else "")


def _hit_spans(folded: str, words: list[str]) -> list[tuple[int, int]]:
    if not words:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")\w*")
    return [m.span() for m in pattern.finditer(folded)]


@dataclass
class Hit:
    id: int
    url: str
    title: str
    published_at: str
    section: str | None
    snippet: str
    rank: float


def search(db, query: str, *, limit: int = 20, start: str = "[", end: str = "]") -> list[Hit]:
    """Ranked hits: title matches weigh most, then captions, then body."""
    match = fts_query(query)
    if not match:
        return []
    # bm25 costs about a microsecond per matching row: fine for rare words,
    # too slow for words in most of 100,000 articles. So only the newest
    # RANKED_CANDIDATES matches are ranked: article ids follow publication
    # time, and FTS5 walks rowids newest first and stops there. The index is
    # walked once; the few winning articles are read afterwards (reading the
    # articles row of every match would cost a row read each).
    rows = db.execute(
        """
        with candidates as (
            select rowid, bm25(articles_search_fts, 10.0, 1.0, 3.0) as rank
            from articles_search_fts
            where articles_search_fts match ?
            order by rowid desc
            limit ?
        ), hits as (
            select rowid, rank from candidates order by rank limit ?
        )
        select a.id, a.url, a.title, a.published_at, a.section, a.body, hits.rank
        from hits join articles a on a.id = hits.rowid
        order by hits.rank, a.published_at desc
        """,
        [match, RANKED_CANDIDATES, limit],
    ).fetchall()
    words = query_words(query)
    return [
        Hit(id=r[0], url=r[1], title=r[2], published_at=r[3], section=r[4],
            snippet=highlight(r[5], words, start=start, end=end), rank=r[6])
        for r in rows
    ]
