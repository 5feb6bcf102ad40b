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


# Vietnamese letters are few: fold them once, then translate() per string.
_FOLD_TABLE = {
    ord(c): _fold_char(c)
    for c in map(chr, range(0x80, 0x2000))
    if unicodedata.category(c).startswith("L") and _fold_char(c) != c
}


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
