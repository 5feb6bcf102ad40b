"""Credit lines: who wrote, photographed, filmed, where it came from, which unit.

Credits are only the trailing lines of the body. Walking back from the end,
every line must read as a credit; the first that does not ends the search.
A line is one of:

- labelled: `Tin, ảnh: X`, `Bài và ảnh: X`, `Tin: X; Ảnh: Y`, `Tin, ảnh: X, Y`,
  `Ảnh: X`, `Video: X`, `Tác giả: X`, `Nguồn: X`, `Theo X` (a bold label is
  just text here: `<strong>Tin:</strong> X` reads `Tin: X`);
- a bare personal name (`Thảo Nguyên`) → ["text"];
- a unit: a newsroom or office (`Đài TT-TH TPLS`; the profile's unit names,
  or a short line starting with an organisation word) → ["unit"]. A line
  that is only organisation-like is taken when it is a known unit, is
  right-aligned, or sits with other credit lines.

Names must look like names (short, capitalised words, no sentence), so the
last sentence of an article is never taken for a credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..profiles import SiteProfile
from ..record import ROLES, Credit
from .blocks import Block
from .document import clean_text

# Separators in a labelled credit: names in a list ("X, Y", "X và Y"), and
# a dash before more names or the newsroom ("X - Y", "X - Đài TT-TH TPLS").
_LIST_SPLIT = re.compile(r"\s*(?:[,;&+]|\svà\s)\s*")
_DASH_SPLIT = re.compile(r"\s+[-–—]\s+")
_WRAPPERS = "«»\"“”'‘’*-–—_ "
# Credit lines are short; longer lines are rejected before any pattern runs.
MAX_CREDIT_LINE = 150
# A letter-led word of a personal name: "Thảo", "H'Hen", "Nguyễn-Thị", "T.H."
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]*)*\.?$")
_URL_OR_DOMAIN = re.compile(r"^(?:https?://\S+|(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]\s+\S")
_PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")
# A bracketed note after a name: "(CTV)", "(Trung tâm VH-TT thành phố)".
_NOTE = re.compile(r"\s*\([^()]{1,40}\)$")
_ORG_FUNCTION_WORDS = frozenset((
    "và", "của", "thành", "phố", "tỉnh", "huyện", "quận", "thị", "xã", "trấn", "phường", "-", "–", "&",
))


def _strip_end_punctuation(text: str) -> str:
    """Drop the sentence end of a name: `Thanh Huệ.`, `Báo Lạng Sơn./.`, `X;`."""
    text = text.rstrip()
    while text:
        if text.endswith("./."):
            text = text[:-3].rstrip()
        elif text[-1] in ".,;:":
            text = text[:-1].rstrip()
        else:
            break
    return text


def _unwrap(text: str) -> str:
    """Strip quotes, dashes and stars around a line, and brackets around all
    of it (`(Theo Báo Lạng Sơn)`), keeping a bracketed note at the end
    (`Bảo Ngọc (CTV)`)."""
    text = text.strip(_WRAPPERS)
    while len(text) > 1 and text[0] in "([" and text[-1] in ")]" and _balanced(text[1:-1]):
        text = text[1:-1].strip(_WRAPPERS)
    if text.startswith(("(", "[")) and not _balanced(text):
        text = text[1:].strip(_WRAPPERS)
    if text.endswith((")", "]")) and not _balanced(text):
        text = text[:-1].strip(_WRAPPERS)
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@dataclass
class CreditLine:
    text: str
    credits: list[Credit]
    kind: str  # "labelled", "name" or "unit"
    known_unit: bool = False


@dataclass
class Credits:
    lines: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)


class CreditParser:
    """Reads one line as a credit line (or not), with the profile's vocabulary."""

    def __init__(self, profile: SiteProfile):
        words = sorted((label for label, _ in profile.credit_labels), key=len, reverse=True)
        self.roles_of = {label: roles for label, roles in profile.credit_labels}
        word = "|".join(re.escape(w) for w in words)
        joiner = r"\s*(?:,|&|/|\+|-|–|\bvà\b|\s)\s*"
        self.label_re = re.compile(rf"(?<!\w)((?:{word})(?:{joiner}(?:{word}))*)\s*:\s*", re.IGNORECASE)
        self.word_re = re.compile(rf"(?<!\w)(?:{word})(?!\w)", re.IGNORECASE)
        sources = "|".join(re.escape(w) for w in profile.source_words)
        self.source_re = re.compile(rf"^(?:{sources})\s*:?\s+(?=\S)", re.IGNORECASE)
        self.units = {clean_text(u).casefold() for u in profile.unit_names}
        prefixes = "|".join(re.escape(p) for p in sorted(profile.unit_prefixes, key=len, reverse=True))
        self.unit_prefix_re = re.compile(rf"^(?:{prefixes})(?=[\s.,(-]|$)")
        # A site repeats its credit lines ("Đài TT-TH TPLS", its reporters'
        # names) on every page: each distinct line is read once.
        self.parse = lru_cache(maxsize=4096)(self._parse)

    # one line -------------------------------------------------------------------------

    def _parse(self, line: str) -> CreditLine | None:
        """The line (already normalised, as block lines are) as a credit line, or None.
        (Use `parse`, the cached version; results are never modified.)"""
        if len(line) > MAX_CREDIT_LINE:
            return None
        text = line
        core = _unwrap(text)
        if not core:
            return None
        return self._labelled(text, core) or self._source(text, core) or self._unit(text, core) \
            or self._bare_name(text, core)

    def _labelled(self, text: str, core: str) -> CreditLine | None:
        if not self.label_re.match(core):  # cheap test first: most lines are not credits
            return None
        labels = list(self.label_re.finditer(core))
        credits: list[Credit] = []
        for position, label in enumerate(labels):
            end = labels[position + 1].start() if position + 1 < len(labels) else len(core)
            roles = self._roles(label.group(1))
            names_text = core[label.end():end]
            if end < len(core):  # "Tin: X/Ảnh: Y": the separator before the next label
                names_text = names_text.rstrip(" /;,|-–—")
            names = self._names(names_text, roles)
            if names is None:
                return None
            credits += names
        return CreditLine(text, credits, "labelled") if credits else None

    def _roles(self, label: str) -> list[str]:
        found: set[str] = set()
        for word in self.word_re.findall(label):
            found.update(self.roles_of.get(word.lower(), ()))
        return [role for role in ROLES if role in found]

    def _names(self, names_text: str, roles: list[str]) -> list[Credit] | None:
        names_text = _unwrap(_strip_end_punctuation(names_text.strip(" ;,|-–—")).rstrip("."))
        if not names_text:
            return None
        if roles == ["source"]:
            return [Credit(names_text, ["source"])] if _is_source_name(names_text) else None
        credits = []
        for position, segment in enumerate(_DASH_SPLIT.split(names_text)):
            for part in _LIST_SPLIT.split(segment):
                part = _unwrap(_strip_end_punctuation(part))
                if not part:
                    continue
                if position > 0 and self.is_unit(part):  # "Thanh Huệ - Đài TT-TH TPLS"
                    credits.append(Credit(part, ["unit"]))
                elif _is_person_name(part, lenient=True) or self.is_unit(part):  # "Ảnh: Báo Lạng Sơn"
                    credits.append(Credit(part, list(roles)))
                else:
                    return None
        return credits or None

    def _source(self, text: str, core: str) -> CreditLine | None:
        """`Theo Báo Lạng Sơn`, `Nguồn Cổng TTĐT tỉnh` (no colon)."""
        match = self.source_re.match(core)
        if not match:
            return None
        name = _unwrap(_strip_end_punctuation(core[match.end():]))
        if not name or "," in name or not _is_source_name(name):
            return None
        if not (name[0].isupper() or name[0].isdigit() or _URL_OR_DOMAIN.match(name)):
            return None
        return CreditLine(text, [Credit(name, ["source"])], "labelled")

    def _unit(self, text: str, core: str) -> CreditLine | None:
        name = _unwrap(_strip_end_punctuation(core))
        if not name:
            return None
        known = name.casefold() in self.units
        if known or self._looks_like_unit(name):
            return CreditLine(text, [Credit(name, ["unit"])], "unit", known_unit=known)
        return None

    def _bare_name(self, text: str, core: str) -> CreditLine | None:
        name = _unwrap(core.rstrip("."))
        if _NOTE.sub("", name).count(" ") > 5:
            return None
        if _is_person_name(name, lenient=False):
            return CreditLine(text, [Credit(name, ["text"])], "name")
        return None

    def is_unit(self, name: str) -> bool:
        return name.casefold() in self.units or self._looks_like_unit(name)

    def _looks_like_unit(self, name: str) -> bool:
        if not self.unit_prefix_re.match(name) or len(name) > 100:
            return False
        if len(name.split()) > 12 or any(c in name for c in ":;!?") or _SENTENCE_END.search(name):
            return False
        # An organisation's name is mostly capitalised words and abbreviations
        # ("Văn phòng HĐND và UBND thành phố"); a sentence is not.
        words = [w for w in name.split() if w.lower() not in _ORG_FUNCTION_WORDS]
        capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
        return capitalised >= 0.5 * len(words)


# the trailing zone --------------------------------------------------------------------

def find_credits(blocks: list[Block], profile: SiteProfile, parser: CreditParser | None = None,
                 is_caption=None) -> Credits:
    """Take the trailing credit lines off the body (their blocks get role
    "credit", or lose those lines) and return them with the merged credits.

    `is_caption(index)` tells whether a block would be an image's caption by
    position: an unlabelled name there is a caption, not a credit.
    """
    parser = parser or credit_parser(profile)
    zone: list[tuple[int, int, CreditLine]] = []  # (block index, line index, parsed), last first
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.kind != "text" or block.role is not None:
            continue
        stop = False
        for line_index in range(len(block.lines) - 1, -1, -1):
            line = block.lines[line_index]
            if _PUNCTUATION_ONLY.match(line):
                continue
            parsed = parser.parse(line)
            if parsed is None or (parsed.kind != "labelled" and is_caption is not None
                                  and line_index == 0 and is_caption(index)):
                stop = True
                break
            zone.append((index, line_index, parsed))
        if stop:
            break
    zone = _accepted(zone, blocks)
    return _apply(zone, blocks)


def _accepted(zone: list, blocks: list[Block]) -> list:
    """Drop an organisation-like line (and what is above it) unless it is a
    known unit, right-aligned, or stands with real credit lines."""
    with_people = any(parsed.kind != "unit" for _, _, parsed in zone)
    for position, (index, _, parsed) in enumerate(zone):
        if parsed.kind == "unit" and not (parsed.known_unit or with_people
                                          or blocks[index].align == "right"):
            return zone[:position]
    return zone


def _apply(zone: list, blocks: list[Block]) -> Credits:
    result = Credits()
    if not zone:
        return result
    taken: dict[int, set[int]] = {}
    for index, line_index, _ in zone:
        taken.setdefault(index, set()).add(line_index)
    for index, line_indexes in taken.items():
        block = blocks[index]
        kept = [line for i, line in enumerate(block.lines) if i not in line_indexes]
        if kept:
            block.lines = kept
            block.text = " ".join(kept)
        else:
            block.role = "credit"
    by_name: dict[str, Credit] = {}
    for _, _, parsed in reversed(zone):
        result.lines.append(parsed.text)
        for credit in parsed.credits:
            known = by_name.get(credit.name)
            if known is None:
                credit = Credit(credit.name, list(credit.roles))
                by_name[credit.name] = credit
                result.credits.append(credit)
            else:
                known.roles = [r for r in ROLES if r in known.roles or r in credit.roles]
    return result


# names ---------------------------------------------------------------------------------

def _is_person_name(name: str, lenient: bool) -> bool:
    """A personal name: 2-5 capitalised words (1-6 after a label), maybe with
    a short note in brackets: `Bảo Ngọc (CTV)`, `Thu Hà (Trung tâm VH-TT)`."""
    name = _NOTE.sub("", name)
    words = name.split()
    low, high = (1, 6) if lenient else (2, 5)
    if not low <= len(words) <= high or len(name) > (50 if lenient else 40):
        return False
    for word in words:
        if not _NAME_WORD.match(word):
            return False
        if not word[0].isupper():
            return False
    return True


def _is_source_name(name: str) -> bool:
    if _URL_OR_DOMAIN.match(name):
        return len(name) <= 150
    if len(name) > 100 or len(name.split()) > 12 or _SENTENCE_END.search(name):
        return False
    return name[0].isupper() or name[0].isdigit()


_PARSERS: dict[tuple, CreditParser] = {}


def credit_parser(profile: SiteProfile) -> CreditParser:
    """The parser for a profile's vocabulary, built once (its regexes compile once)."""
    key = (profile.credit_labels, profile.source_words, profile.unit_names, profile.unit_prefixes)
    parser = _PARSERS.get(key)
    if parser is None:
        parser = _PARSERS[key] = CreditParser(profile)
    return parser


def parse_credit_line(line: str, profile: SiteProfile) -> list[Credit] | None:
    """The credits of one line, or None if it is not a credit line."""
    parsed = credit_parser(profile).parse(clean_text(line))
    return parsed.credits if parsed else None
