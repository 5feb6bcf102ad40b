"""Text normalisation (CONTRACT.md) and the search folding built on it."""

from __future__ import annotations

import unicodedata



def clean_text(text: str | None) -> str:
    """NFC, every run of white space (non-breaking included) as one space, trimmed.

    Nothing else changes: typos, spacing before punctuation and old tone
    placement are kept as published.

    Fast, as the extractor calls it on every text node: most text is already clean: a single isprintable() scan proves it (every
    white space character but the plain space is "not printable"). Common
    offenders (nbsp, newline, tab) are replaced in C; anything else falls
    back to split/join, which splits on exactly the characters regex `\\s`
    matches (tests/test_extract_properties.py holds it to that rule).
    """
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        for char in "\xa0\n\t\r":
            if char in text:
                text = text.replace(char, " ")
        if not text.isprintable():  # rare white space, or invisible characters
            return " ".join(text.split())
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    return base.lower() if len(base.lower()) == 1 else char


class _FoldTable(dict):
    """translate()'s table: each character's folded form, worked out the first
    time the character is met. Building it for the 8,000 characters up to
    U+2000 at import took longer than a whole `lsarchive search` of a 10,000-article
    archive; a text meets a few dozen. Letters up to U+2000 fold, anything
    else maps to itself (kept too, so translate() never falls back to a miss)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_char(char) if 0x80 <= code < 0x2000 and unicodedata.category(char).startswith("L") else char
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str | None) -> str:
    """Search form of a text: lower case, no diacritics, `đ` as `d`.

    SQLite's unicode61 tokenizer with remove_diacritics 2 does not fold `đ`
    (it is a letter of its own, not d plus a mark), so the archive indexes
    and queries folded text. Folding NFC text is length-preserving, one
    character for one, so a position in the folded text is the same position
    in the original: snippets are highlighted on the original text.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return text.translate(_FOLD_TABLE).lower() if not text.isascii() else text.lower()
