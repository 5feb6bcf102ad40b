"""Full-text search in Vietnamese, with or without diacritics, ranked by what was meant.

Two FTS5 indexes serve a search:

- articles_search_fts covers *folded* text (normalize.fold: lower case, no
  marks, đ→d). Every query is folded the same way, so `thi dua`, `thi đua`,
  `THI ĐUA` and `thì đua` find the same articles: this index gives recall.
- articles_exact_fts covers the articles' own text, lower-cased by its
  tokenizer but with every mark kept, so "Đồng Đăng" can be told from
  "Đông … Đảng". It is only used to rank.

Ranking, best first: articles holding each multi-syllable word or phrase of
the query as typed (tones included), then holding it once folded, then
holding more of its syllable pairs side by side; then those holding it in
the title, then the newest (bm25 for a query with operators: title counts
most, then captions, then body). When a page's worth of articles hold it
as typed, a few FTS5 lookups that stop after a page make the page
(_holders_page). Vietnamese words are one to four
syllables written apart ("an ninh trật tự"), so adjacency of the syllables
as typed is what tells the word from syllables scattered over a page; a word
segmenter (pyvi) ranked no better on the evaluation queries
(docs/search.md) and is not used.

Operators stay as typed: "quoted phrases", OR, NOT, AND, NEAR(…), prefix*,
parentheses. FTS5 only knows them in upper case, and folding never touches
them. A query FTS5 cannot parse raises SearchSyntaxError.
"""

from __future__ import annotations

import heapq
import itertools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..normalize import fold

# A phrase (with its closing quote, if any), an operator, punctuation of the
# query language, or a bare term (with an optional prefix *).
_QUERY_TOKEN = re.compile(r'"([^"]*)("?)|\b(AND|OR|NOT|NEAR)\b|([(),])|([^\s"(),]+)')
_WORD = re.compile(r"\w+")

# How many of the newest matches a query ranks by relevance, at most.
RANKED_CANDIDATES = 3000
# Of the articles holding a query as typed, the newest this many are looked at
# for the query in their title (those come first).
TITLED_WINDOW = 200
FOLDED_FTS = "articles_search_fts"
EXACT_FTS = "articles_exact_fts"


class SearchSyntaxError(ValueError):
    """The query is not valid search syntax; str() says why, in one line."""

    def __str__(self) -> str:
        return f"search syntax: {super().__str__()}"


def _typed_words(text: str) -> list[str]:
    """The words of `text` as typed, marks kept: NFC, lower case."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _phrase(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


@dataclass
class ParsedQuery:
    match: str = ""                                        # FTS5 query over folded text
    units: list[list[str]] = field(default_factory=list)   # words or phrases to rank by, as typed
    words: list[str] = field(default_factory=list)         # folded words, to highlight
    plain: bool = True    # only words and "phrases": no operator, prefix or NEAR


def parse_query(query: str) -> ParsedQuery:
    """Split what a researcher typed into an FTS5 query over folded text and the
    words and phrases (runs of bare syllables, or "quoted phrases") to rank by."""
    parsed, parts, run = ParsedQuery(), [], []
    negate = False

    def close_run():
        if run:
            parsed.units.append(list(run))
            run.clear()

    for phrase, closing, operator, punct, term in _QUERY_TOKEN.findall(query):
        if operator or punct:
            close_run()
            parsed.plain = False
            parts.append(operator or punct)
            negate = operator == "NOT"
            continue
        if term and parts and parts[-1] == "," and term.isdigit():
            parts.append(term)  # the distance of NEAR(…, N)
            continue
        text = phrase if not term else term
        if not term and not closing and query.count('"') % 2:
            raise SearchSyntaxError(f"a quote is not closed in {query!r}")
        typed = _typed_words(text)
        if not typed:
            continue
        folded = [fold(w) for w in typed]
        prefix = bool(term) and term.endswith("*")
        parsed.plain = parsed.plain and not prefix
        parts.append(_phrase(folded) + ("*" if prefix else ""))
        if not negate:
            parsed.words.extend(folded)
        if term and not prefix and not negate:
            run.extend(typed)
        else:
            close_run()
            if not term and not negate:
                parsed.units.append(typed)
        negate = False
    close_run()
    parsed.match = " ".join(parts)
    return parsed


def fts_query(query: str) -> str:
    """Turn what a researcher typed into an FTS5 query over folded text."""
    return parse_query(query).match


def query_words(query: str) -> list[str]:
    """The folded words of a query, operators left out: what to highlight."""
    try:
        return parse_query(query).words
    except SearchSyntaxError:
        return _WORD.findall(fold(query))


_TOKEN = re.compile(r"\S+")


def highlight(text: str, words: list[str], *, width: int = 30, start: str = "[", end: str = "]") -> str:
    """A window of about `width` words of `text` around the first hit, hits marked.

    Matching happens on the folded text; because folding keeps every
    character's position, the marks land on the original, accented text.
    The window opens on the first place where the query's words stand
    together, if there is one.

    Speed: a body runs to thousands of words and a common word stands in it
    dozens of times, so only the first hit is looked for in the whole text
    (one regular-expression search), and words are cut and hits marked only
    around it.
    """
    if not text:
        return ""
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


@dataclass
class Hit:
    id: int
    url: str
    title: str
    published_at: str
    section: str | None
    snippet: str
    rank: float


# What FTS5 says about a query it cannot parse (other errors are not the query's fault).
_SYNTAX_ERRORS = ("fts5", "syntax error", "unknown special query", "expected integer", "no such column")


def _run(db, sql: str, params: list, query: str) -> list:
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if any(sign in str(exc) for sign in _SYNTAX_ERRORS):
            reason = str(exc).removeprefix("fts5: ").replace('near ""', "at the end")
            raise SearchSyntaxError(f"not valid search syntax: {query!r} ({reason}); "
                                    'operators are AND OR NOT NEAR(…) in capitals, "phrases", prefix*') from None
        raise


def _has_exact_index(db) -> bool:
    return db.execute("select 1 from sqlite_master where name = ?", [EXACT_FTS]).fetchone() is not None


def _rank_features(parsed: ParsedQuery, exact_index: bool) -> list[tuple[int, str, str]]:
    """(weight slot, FTS table, phrase) for every phrase whose presence ranks a hit.

    Slots, in order of importance: 0 the word or phrase as typed (for one typed
    without marks, folded is as typed), 1 the phrase folded, 2 a syllable pair
    as typed, 3 a syllable pair folded.
    """
    features = []
    for unit in parsed.units:
        folded = [fold(w) for w in unit]
        accented = folded != unit
        pairs = [unit[n:n + 2] for n in range(len(unit) - 1)] if len(unit) > 2 else []
        if accented and exact_index:
            features.append((0, EXACT_FTS, _phrase(unit)))
        if len(unit) > 1:
            features.append((1 if accented else 0, FOLDED_FTS, _phrase(folded)))
        for pair in pairs:
            if accented and exact_index:
                features.append((2, EXACT_FTS, _phrase(pair)))
            features.append((3, FOLDED_FTS, _phrase([fold(w) for w in pair])))
    return features


def check_query(db, query: str) -> str:
    """The FTS5 query for `query`, once FTS5 has parsed it; SearchSyntaxError if it cannot."""
    match = fts_query(query)
    if match:
        _run(db, f"select rowid from {FOLDED_FTS} where {FOLDED_FTS} match ? limit 1", [match], query)
    return match


_SLOT_WEIGHTS = (1 << 48, 1 << 32, 1 << 16, 1)


def _enough_hold_every_unit(score: dict, parsed: ParsedQuery, limit: int) -> bool:
    every_unit = len(parsed.units) * _SLOT_WEIGHTS[0]
    return every_unit > 0 and sum(1 for s in score.values() if s >= every_unit) >= limit


def _every_unit_query(db, parsed: ParsedQuery) -> tuple[str, str, str] | None:
    """(FTS table, query, the same query in the title alone) finding the articles
    that hold every unit of a plain query as typed; None when one query cannot say it."""
    if not parsed.plain or not parsed.units:
        return None
    accented = [[fold(w) for w in unit] != unit for unit in parsed.units]
    if all(accented) and _has_exact_index(db):
        table, title = EXACT_FTS, "title"
    elif not any(accented):
        table, title = FOLDED_FTS, "title_folded"
    else:
        return None
    match = " ".join(_phrase(unit) for unit in parsed.units)
    return table, match, f"{title} : ({match})"


def _newest(db, table: str, match: str, query: str, *, limit: int) -> list[int]:
    """Ids of the newest `limit` articles matching: FTS5 walks its rowids newest
    first and stops, reading no row and computing no score."""
    return [rowid for rowid, in _run(db, f"""
        select rowid from {table} where {table} match ? order by rowid desc limit ?""", [match, limit], query)]


def _holders_page(db, every: tuple[str, str, str], query: str,
                  limit: int) -> tuple[list[tuple[int, float]] | None, list[int]]:
    """The page, when at least `limit` articles hold every unit as typed: such
    articles come first whatever else the query holds (the slot-0 rule of
    ranked_ids). Of the newest TITLED_WINDOW of them, those holding it in the
    title come first, then the others; newest first in each. Two FTS5 lookups
    of at most TITLED_WINDOW ids, whatever the number of matches (bm25 would
    score thousands of rows, and count every match of each word for its
    weights). With the page, the newest TITLED_WINDOW holders; no page when
    there are fewer holders than the page (ranked_ids ranks them among the
    others, in the same order)."""
    table, match, title_match = every
    window = _newest(db, table, match, query, limit=TITLED_WINDOW)
    if len(window) < limit:
        return None, window
    titled = _in_title(db, table, title_match, query, since=window[-1])
    hits = [rowid for rowid in window if rowid in titled] + [rowid for rowid in window if rowid not in titled]
    return [(rowid, 0.0) for rowid in hits[:limit]], window


def _in_title(db, table: str, title_match: str, query: str, *, since: int) -> set[int]:
    """Ids from `since` on whose title holds the query (a column-filtered FTS5 query).

    Walked in ascending order: walking rowids newest first, FTS5 (3.40) does
    not stop at a lower bound on a column-filtered query and reads its words'
    whole index down to the oldest article."""
    return {rowid for rowid, in _run(db, f"select rowid from {table} where {table} match ? and rowid >= ?",
                                     [title_match, since], query)}


def ranked_ids(db, query: str, *, limit: int | None = None) -> list[tuple[int, float]]:
    """(article id, bm25 or 0.0 where none was computed) of the matches, best first
    (see the module's docstring).

    bm25 costs about a microsecond per matching row: fine for rare words,
    too slow for words in most of 100,000 articles. So only the newest
    RANKED_CANDIDATES matches are ranked: article ids follow publication
    time, and FTS5 walks rowids newest first and stops there. Each phrase
    that ranks is looked up in the same window of ids, which FTS5 answers
    from its position lists without reading a row. When enough articles
    hold every unit as typed for the page, they alone make it (_holders_page).
    """
    parsed = parse_query(query)
    if not parsed.match:
        return []
    every = _every_unit_query(db, parsed)
    # Holders of every unit as typed (the newest RANKED_CANDIDATES), and those
    # holding it in the title: they come first, in the order _holders_page gives.
    holders: list[int] | None = None
    titled: set[int] = set()
    if every is not None and limit is not None and limit <= TITLED_WINDOW:
        page, window = _holders_page(db, every, query, limit)
        if page is not None:
            return page
        holders = window  # fewer than TITLED_WINDOW: all of them
    if every is not None:
        table, match, title_match = every
        if holders is None:
            holders = _newest(db, table, match, query, limit=RANKED_CANDIDATES)
        if holders:
            titled = _in_title(db, table, title_match, query, since=holders[:TITLED_WINDOW][-1])
    recall = _newest(db, FOLDED_FTS, parsed.match, query, limit=RANKED_CANDIDATES)
    if not recall:
        return []
    # One integer per candidate: how many features of each slot it holds, the
    # first slot in the highest bits, so comparing integers compares slot by slot.
    score = dict.fromkeys(recall, 0)
    every_unit = len(parsed.units) * _SLOT_WEIGHTS[0]
    for rowid in holders or ():
        score[rowid] = every_unit
    # bm25 ranks slot 0 for queries that cannot ask for every unit at once.
    rank: dict[int, float] = {}
    oldest = min(score)
    features = sorted(_rank_features(parsed, _has_exact_index(db)), key=lambda f: f[0])
    ranked_by_units = True
    for slot, table, phrase in features:
        if slot == 0 and every is not None:
            continue
        if slot >= 1 and limit is not None and _enough_hold_every_unit(score, parsed, limit):
            # Holding each unit as typed implies holding it folded and every
            # syllable pair of it: the best `limit` hits are ranked already.
            break
        ranked_by_units = ranked_by_units and slot == 0
        weight = _SLOT_WEIGHTS[slot]
        if slot == 0:
            for rowid, bm25 in db.execute(
                    f"select rowid, bm25({table}, 10.0, 1.0, 3.0) from {table} "
                    f"where {table} match ? and rowid >= ?", [phrase, oldest]):
                if rowid in score:
                    score[rowid] += weight
                    rank[rowid] = rank.get(rowid, 0.0) + bm25
            continue
        for (rowid,) in db.execute(
                f"select rowid from {table} where {table} match ? and rowid >= ?", [phrase, oldest]):
            if rowid in score:
                score[rowid] += weight
    else:
        ranked_by_units = False
    # Ties among the others: for a plain query, holding its words in the title
    # first, then newest first, like the holders (bm25 would count every match
    # of each word in the whole index for its weights: tens of milliseconds
    # for common words at 100,000 articles); for a query with operators, bm25.
    in_title: set[int] = set()
    if not ranked_by_units and parsed.plain:
        in_title = _in_title(db, FOLDED_FTS, f"title_folded : ({parsed.match})", query, since=oldest)
    elif not ranked_by_units:
        rank = dict(db.execute(f"""
            select rowid, bm25({FOLDED_FTS}, 10.0, 1.0, 3.0) from {FOLDED_FTS}
            where {FOLDED_FTS} match ? and rowid >= ?""", [parsed.match, oldest]).fetchall())
    holder_set = set(holders or ())
    candidates = [(rowid, rank.get(rowid, 0.0)) for rowid in score]

    def key(candidate):
        rowid = candidate[0]
        if rowid in holder_set:
            return -score[rowid], 0.0 if rowid in titled else 1.0, -rowid
        if parsed.plain:
            return -score[rowid], 0.0 if rowid in in_title else 1.0, -rowid
        return -score[rowid], candidate[1], -rowid

    if limit is not None and limit < len(candidates):
        ordered = heapq.nsmallest(limit, candidates, key=key)
    else:
        ordered = sorted(candidates, key=key)
    if len(recall) == RANKED_CANDIDATES and (limit is None or limit > len(ordered)):
        # Past the ranked window, the older matches follow, newest first: every
        # match is still found.
        older = _run(db, f"""
            select rowid, 0.0 from {FOLDED_FTS} where {FOLDED_FTS} match ? and rowid < ?
            order by rowid desc{' limit ?' if limit is not None else ''}""",
            [parsed.match, recall[-1]] + ([limit + len(score)] if limit is not None else []), query)
        ordered += [hit for hit in older if hit[0] not in score]
    return ordered[:limit] if limit is not None else ordered


def search(db, query: str, *, limit: int = 20, start: str = "[", end: str = "]",
           site: str | None = None) -> list[Hit]:
    """Ranked hits with highlighted snippets; raises SearchSyntaxError on bad syntax.
    `site`: only that site's articles (ranked among all matches, then kept)."""
    ranked = ranked_ids(db, query, limit=limit if site is None else None)
    if site is not None:
        from .sites import of_site

        ranked = of_site(db, ranked, site)[:limit]
    if not ranked:
        return []
    # The few winning articles are read afterwards (reading the articles row
    # of every match would cost a row read each).
    ids = [rowid for rowid, _ in ranked]
    rows = {r[0]: r for r in db.execute(
        f"select id, url, title, published_at, section, body, captions from articles "
        f"where id in ({','.join('?' * len(ids))})", ids)}
    words = query_words(query)
    hits = []
    for rowid, rank in ranked:
        r = rows.get(rowid)
        if r is None:
            continue
        text = r[5] if not r[6] else r[5] + "\n" + r[6]
        hits.append(Hit(id=r[0], url=r[1], title=r[2], published_at=r[3], section=r[4],
                        snippet=highlight(text, words, start=start, end=end), rank=rank))
    return hits
