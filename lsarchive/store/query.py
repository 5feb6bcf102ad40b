"""The query language of a search: what a researcher typed, as FTS5 understands it.

Operators stay as typed: "quoted phrases", OR, NOT, AND, NEAR(…), prefix*,
parentheses. FTS5 only knows them in upper case, and folding never touches
them. Bare words are folded (normalize.fold) as the index was; runs of bare
words, and quoted phrases, are the units ranking looks for as typed
(search.py). A query FTS5 cannot parse raises SearchSyntaxError, in one line.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from ..normalize import fold

# A phrase (with its closing quote, if any), an operator, punctuation of the
# query language, or a bare term (with an optional prefix *).
_QUERY_TOKEN = re.compile(r'"([^"]*)("?)|\b(AND|OR|NOT|NEAR)\b|([(),])|([^\s"(),]+)')
_WORD = re.compile(r"\w+")


class SearchSyntaxError(ValueError):
    """The query is not valid search syntax; str() says why, in one line."""

    def __str__(self) -> str:
        return f"search syntax: {super().__str__()}"


def _typed_words(text: str) -> list[str]:
    """The words of `text` as typed, marks kept: NFC, lower case."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def as_phrase(words: list[str]) -> str:
    """Words as one FTS5 phrase: they must stand together, in this order."""
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
        parts.append(as_phrase(folded) + ("*" if prefix else ""))
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


# What FTS5 says about a query it cannot parse (other errors are not the query's fault).
_SYNTAX_ERRORS = ("fts5", "syntax error", "unknown special query", "expected integer", "no such column")


def run_query(db, sql: str, params: list, query: str) -> list:
    """The rows of an FTS5 query made from `query`; SearchSyntaxError if FTS5 cannot parse it."""
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if any(sign in str(exc) for sign in _SYNTAX_ERRORS):
            reason = str(exc).removeprefix("fts5: ").replace('near ""', "at the end")
            raise SearchSyntaxError(f"not valid search syntax: {query!r} ({reason}); "
                                    'operators are AND OR NOT NEAR(…) in capitals, "phrases", prefix*') from None
        raise
