"""Full-text search in Vietnamese, with or without diacritics, ranked by what was meant.

These FTS5 indexes serve a search:

- articles_search_fts covers *folded* text (normalize.fold: lower case, no
  marks, đ→d). Every query is folded the same way, so `thi dua`, `thi đua`,
  `THI ĐUA` and `thì đua` find the same articles: this index gives recall.
- articles_exact_fts covers the articles' own text, lower-cased by its
  tokenizer but with every mark kept, so "Đồng Đăng" can be told from
  "Đông … Đảng". It is only used to rank.
- articles_title_fts and articles_title_folded_fts hold the titles alone,
  as typed and folded: who holds the query in the title, asked of a dozen
  words an article instead of every body's.

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

The query language (operators, phrases, folding): query.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..normalize import fold
from .indexes import EXACT_FTS, FOLDED_FTS, TITLE_FOLDED_FTS, TITLE_FTS
from .query import (  # noqa: F401 (SearchSyntaxError, fts_query, query_words: the search's API)
    ParsedQuery, SearchSyntaxError, as_phrase, fts_query, parse_query, query_words, run_query,
)
from .snippets import highlight

# How many of the newest matches a query ranks by relevance, at most.
RANKED_CANDIDATES = 3000
# Of the articles holding a query as typed, the newest this many are looked at
# for the query in their title (those come first).
TITLED_WINDOW = 200
# Each index's titles indexed apart (store/schema.py: TITLE_FTS_SQL), and the
# column a title index stands for (an archive without them filters that column).
TITLE_INDEXES = {FOLDED_FTS: TITLE_FOLDED_FTS, EXACT_FTS: TITLE_FTS}
TITLE_COLUMNS = {FOLDED_FTS: "title_folded", EXACT_FTS: "title"}


@dataclass
class Hit:
    id: int
    url: str
    title: str
    published_at: str
    section: str | None
    snippet: str
    rank: float


def _indexes(db) -> frozenset[str]:
    """Which of the optional indexes the archive has (one made before them may not,
    if opened read-only: search then does without)."""
    optional = [EXACT_FTS, *TITLE_INDEXES.values()]
    return frozenset(name for name, in db.execute(
        f"select name from sqlite_master where name in ({','.join('?' * len(optional))})", optional))


def _rank_features(parsed: ParsedQuery, exact_index: bool) -> list[tuple[int, str, str]]:
    """(weight slot, FTS table, phrase) for every phrase whose presence ranks a hit.

    Slots, in order of importance: 0 the word or phrase as typed (for one typed
    without marks, folded is as typed), 1 the phrase folded, 2 a syllable pair
    as typed, 3 a syllable pair folded (a unit typed without marks, or an
    archive without the accent-keeping index).

    A unit typed with marks counts its pairs as typed only: its marks say
    which words were meant, and a pair in other tones is other words ("cửa
    khẩu" is not "của khâu"). Folded, such a pair is also the costliest
    lookup there is: a folded syllable like "cua" stands in nearly every
    article, and the phrase query reads its positions in all of them.
    """
    features = []
    for unit in parsed.units:
        folded = [fold(w) for w in unit]
        accented = folded != unit
        pairs = [unit[n:n + 2] for n in range(len(unit) - 1)] if len(unit) > 2 else []
        if accented and exact_index:
            features.append((0, EXACT_FTS, as_phrase(unit)))
        if len(unit) > 1:
            features.append((1 if accented else 0, FOLDED_FTS, as_phrase(folded)))
        for pair in pairs:
            if accented and exact_index:
                features.append((2, EXACT_FTS, as_phrase(pair)))
            else:
                features.append((3, FOLDED_FTS, as_phrase([fold(w) for w in pair])))
    return features


def check_query(db, query: str) -> str:
    """The FTS5 query for `query`, once FTS5 has parsed it; SearchSyntaxError if it cannot."""
    match = fts_query(query)
    if match:
        run_query(db, f"select rowid from {FOLDED_FTS} where {FOLDED_FTS} match ? limit 1", [match], query)
    return match


_SLOT_WEIGHTS = (1 << 48, 1 << 32, 1 << 16, 1)


def _enough_hold_every_unit(score: dict, parsed: ParsedQuery, limit: int) -> bool:
    every_unit = len(parsed.units) * _SLOT_WEIGHTS[0]
    return every_unit > 0 and sum(1 for s in score.values() if s >= every_unit) >= limit


def _every_unit_query(parsed: ParsedQuery, exact_index: bool) -> tuple[str, str] | None:
    """(FTS table, query) finding the articles that hold every unit of a plain
    query as typed; None when one query cannot say it."""
    if not parsed.plain or not parsed.units:
        return None
    accented = [[fold(w) for w in unit] != unit for unit in parsed.units]
    if all(accented) and exact_index:
        table = EXACT_FTS
    elif not any(accented):
        table = FOLDED_FTS
    else:
        return None
    return table, " ".join(as_phrase(unit) for unit in parsed.units)


def _newest(db, table: str, match: str, query: str, *, limit: int) -> list[int]:
    """Ids of the newest `limit` articles matching: FTS5 walks its rowids newest
    first and stops, reading no row and computing no score."""
    return [rowid for rowid, in run_query(db, f"""
        select rowid from {table} where {table} match ? order by rowid desc limit ?""", [match, limit], query)]


def _holders_page(db, every: tuple[str, str], query: str, limit: int,
                  indexes: frozenset[str]) -> tuple[list[tuple[int, float]] | None, list[int]]:
    """The page, when at least `limit` articles hold every unit as typed: such
    articles come first whatever else the query holds (the slot-0 rule of
    ranked_ids). Of the newest TITLED_WINDOW of them, those holding it in the
    title come first, then the others; newest first in each. Two FTS5 lookups
    of at most TITLED_WINDOW ids, whatever the number of matches (bm25 would
    score thousands of rows, and count every match of each word for its
    weights). With the page, the newest TITLED_WINDOW holders; no page when
    there are fewer holders than the page (ranked_ids ranks them among the
    others, in the same order)."""
    table, match = every
    window = _newest(db, table, match, query, limit=TITLED_WINDOW)
    if len(window) < limit:
        return None, window
    titled = _in_title(db, table, match, query, since=window[-1], indexes=indexes)
    hits = [rowid for rowid in window if rowid in titled] + [rowid for rowid in window if rowid not in titled]
    return [(rowid, 0.0) for rowid in hits[:limit]], window


def _in_title(db, table: str, match: str, query: str, *, since: int, indexes: frozenset[str]) -> set[int]:
    """Ids from `since` on whose title holds `match` (a query of `table`): from
    the title index standing for `table`'s titles, else by a column filter on
    `table` (which reads the words' positions in every body too).

    Walked in ascending order: walking rowids newest first, FTS5 (3.40) does
    not stop at a lower bound on a column-filtered query and reads its words'
    whole index down to the oldest article."""
    if TITLE_INDEXES[table] in indexes:
        table = TITLE_INDEXES[table]
    else:
        match = f"{TITLE_COLUMNS[table]} : ({match})"
    return {rowid for rowid, in run_query(db, f"select rowid from {table} where {table} match ? and rowid >= ?",
                                          [match, since], query)}


def _unheld_phrases(db, parsed: ParsedQuery, exact_index: bool) -> set[tuple[str, str]]:
    """(FTS table, phrase) of the query's units and syllable pairs that no article
    holds, as far as their pairs tell: nobody holds a unit of three syllables or
    more when nobody holds one of its pairs. Asking whether a pair is held at all
    stops at its first holder (well under a millisecond), where looking a phrase
    of common syllables up reads their positions in every article holding them
    all ("cửa khẩu Hữu Nghị": 1,070 articles of 100,000) to find none."""
    unheld = set()
    for unit in parsed.units:
        if len(unit) < 3:
            continue
        folded = [fold(w) for w in unit]
        exact = folded != unit and exact_index
        # Folded first: a pair nobody holds folded nobody holds as typed either,
        # so the unit is unheld in both forms and nothing more need be asked
        # (asking whether a pair is held costs, for a pair nobody holds, what
        # looking it up does: the rest of the pairs are left to their lookups).
        forms = [(FOLDED_FTS, folded)] + ([(EXACT_FTS, unit)] if exact else [])
        for table, words in forms:
            gap = _first_unheld_pair(db, table, words)
            if gap is not None:
                unheld.update({(table, as_phrase(words[gap:gap + 2])), (table, as_phrase(words))})
                if table == FOLDED_FTS and exact:
                    unheld.update({(EXACT_FTS, as_phrase(unit[gap:gap + 2])), (EXACT_FTS, as_phrase(unit))})
                break
    return unheld


def _first_unheld_pair(db, table: str, words: list[str]) -> int | None:
    """Where the first syllable pair of `words` that no article holds starts; None if all are held."""
    for n in range(len(words) - 1):
        if db.execute(f"select 1 from {table} where {table} match ? limit 1",
                      [as_phrase(words[n:n + 2])]).fetchone() is None:
            return n
    return None


def _best_first(score: dict[int, int], limit: int | None, order_ties) -> list[int]:
    """The `limit` best ids (all if None): highest score first; among equal
    scores, in the order `order_ties` gives a newest-first list (a stable order).

    Scores take few values (how many features of each slot), so the ids are
    grouped by score and only the groups that reach into the page are
    ordered: no comparison of thousands of candidates one by one."""
    by_score: dict[int, list[int]] = {}
    for rowid in sorted(score, reverse=True):
        by_score.setdefault(score[rowid], []).append(rowid)
    best: list[int] = []
    for value in sorted(by_score, reverse=True):
        best += order_ties(by_score[value])
        if limit is not None and len(best) >= limit:
            return best[:limit]
    return best


def _page_of_those_holding_all(db, parsed: ParsedQuery, features: list[tuple[int, str, str]], oldest: int,
                               candidates: set[int], limit: int, query: str,
                               indexes: frozenset[str]) -> list[tuple[int, float]] | None:
    """The page, when the features left to rank by are all of one slot and one
    index and at least `limit` candidates hold every one of them: those come
    first, in ranked_ids' order for ties (the query's words in the title
    first, then the newest). One AND query instead of a lookup per feature:
    a unit nobody holds whole ("cửa khẩu Hữu Nghị") is ranked by its pairs,
    each held by thousands ("cửa khẩu": 5,086 of 100,000 articles). None when
    that cannot tell the page (ranked_ids looks each feature up)."""
    if len(features) < 2 or len({(slot, table) for slot, table, _ in features}) != 1:
        return None
    table = features[0][1]
    # Ascending, as _in_title walks, then newest first.
    holding_all = sorted((rowid for rowid, in run_query(
        db, f"select rowid from {table} where {table} match ? and rowid >= ?",
        [" AND ".join(phrase for _, _, phrase in features), oldest], query) if rowid in candidates), reverse=True)
    if len(holding_all) < limit:
        return None
    in_title = _in_title(db, FOLDED_FTS, parsed.match, query, since=oldest, indexes=indexes)
    ordered = [r for r in holding_all if r in in_title] + [r for r in holding_all if r not in in_title]
    return [(rowid, 0.0) for rowid in ordered[:limit]]


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
    indexes = _indexes(db)
    exact_index = EXACT_FTS in indexes
    every = _every_unit_query(parsed, exact_index)
    unheld = _unheld_phrases(db, parsed, exact_index)
    # Holders of every unit as typed (the newest RANKED_CANDIDATES), and those
    # holding it in the title: they come first, in the order _holders_page gives.
    holders: list[int] | None = None
    titled: set[int] = set()
    if every is not None and any((every[0], as_phrase(unit if every[0] == EXACT_FTS else [fold(w) for w in unit]))
                                 in unheld for unit in parsed.units):
        holders = []  # a unit nobody holds as typed: nobody holds them all
    if every is not None and holders is None and limit is not None and limit <= TITLED_WINDOW:
        page, window = _holders_page(db, every, query, limit, indexes)
        if page is not None:
            return page
        holders = window  # fewer than TITLED_WINDOW: all of them
    if every is not None:
        table, match = every
        if holders is None:
            holders = _newest(db, table, match, query, limit=RANKED_CANDIDATES)
        if holders:
            titled = _in_title(db, table, match, query, since=holders[:TITLED_WINDOW][-1], indexes=indexes)
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
    features = sorted((f for f in _rank_features(parsed, exact_index) if f[1:] not in unheld), key=lambda f: f[0])
    if parsed.plain and limit is not None and not holders:
        page = _page_of_those_holding_all(db, parsed, [f for f in features if not (f[0] == 0 and every)],
                                          oldest, set(score), limit, query, indexes)
        if page is not None:
            return page
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
        in_title = _in_title(db, FOLDED_FTS, parsed.match, query, since=oldest, indexes=indexes)
    elif not ranked_by_units:
        rank = dict(db.execute(f"""
            select rowid, bm25({FOLDED_FTS}, 10.0, 1.0, 3.0) from {FOLDED_FTS}
            where {FOLDED_FTS} match ? and rowid >= ?""", [parsed.match, oldest]).fetchall())
    if parsed.plain:
        first = titled | (in_title - set(holders or ()))
        ordered = _best_first(score, limit, lambda rowids: (
            [r for r in rowids if r in first] + [r for r in rowids if r not in first]))
    else:
        ordered = _best_first(score, limit, lambda rowids: sorted(rowids, key=lambda r: rank.get(r, 0.0)))
    ordered = [(rowid, rank.get(rowid, 0.0)) for rowid in ordered]
    if len(recall) == RANKED_CANDIDATES and (limit is None or limit > len(ordered)):
        # Past the ranked window, the older matches follow, newest first: every
        # match is still found.
        older = run_query(db, f"""
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
        f"select a.id, a.url, a.title, a.published_at, a.section, a.body, a.captions, "
        f"s.body_folded, s.captions_folded from articles a left join articles_search s on s.id = a.id "
        f"where a.id in ({','.join('?' * len(ids))})", ids)}
    words = query_words(query)
    hits = []
    for rowid, rank in ranked:
        r = rows.get(rowid)
        if r is None:
            continue
        text = r[5] if not r[6] else r[5] + "\n" + r[6]
        # The folded text the index was made from (highlight folds anew if it lacks any).
        folded = None if r[7] is None or (r[6] and r[8] is None) else r[7] if not r[6] else f"{r[7]}\n{r[8]}"
        hits.append(Hit(id=r[0], url=r[1], title=r[2], published_at=r[3], section=r[4],
                        snippet=highlight(text, words, start=start, end=end, folded=folded), rank=rank))
    return hits
