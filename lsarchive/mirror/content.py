"""Deterministic article generation for the offline mirror.

An article is a pure function of (seed, index): its metadata (section, topic,
title) comes from one random stream, its body from another, its date and node
id from integer hashes. Nothing is pre-rendered: the `Catalog` only keeps the
small indexes a Drupal site answers from (alias -> node, section -> nodes) and
generates an article when a page asks for it.

The model produced here (`ArticleModel`) is abstract: paragraphs, pictures,
credit lines, documents. `markup.py` turns it into editor HTML in one of many
styles and `truth.py` turns it into the CONTRACT.md record; both read the same
model, which is what makes the truth exact.
"""

from __future__ import annotations

import random
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from ..normalize import fold
from . import vocabulary as V
from .seed_article import SEED

# --------------------------------------------------------------------------
# Hashing and weighted choice
# --------------------------------------------------------------------------

_MASK = (1 << 64) - 1

# Independent random streams of one article.
META, BODY, DATE, NODE, EDITS, CHANGED = range(1, 7)


def mix(*values: int) -> int:
    """A stable 64-bit hash of integers (splitmix64 steps).

    Python's hash() of str is randomised per process; this is not, so the
    same arguments give the same site on every run.
    """
    state = 0x9E3779B97F4A7C15
    for value in values:
        state = (state + (value & _MASK) + 0x9E3779B97F4A7C15) & _MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        state = z ^ (z >> 31)
    return state


def unit(*values: int) -> float:
    """A stable float in [0, 1) from integers."""
    return (mix(*values) >> 11) / float(1 << 53)


class Weights:
    """(name, weight) pairs prepared for fast weighted choice; order is fixed."""

    def __init__(self, pairs: tuple[tuple[str, int], ...]):
        self.pairs = pairs
        self.names = tuple(name for name, _ in pairs)
        self.cumulative = tuple(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def __iter__(self):
        return iter(self.pairs)


def pick(rng: random.Random, weights: Weights) -> str:
    """One name, with probability proportional to its weight."""
    return weights.names[bisect_right(weights.cumulative, rng.random() * weights.total)]


def chance(rng: random.Random, percent: float) -> bool:
    return rng.random() * 100 < percent


# --------------------------------------------------------------------------
# Style proportions (per article). markup.py renders each of them.
# --------------------------------------------------------------------------

STRUCTURES = Weights((("p", 48), ("word", 20), ("div", 16), ("br", 16)))
TEXT_ENCODINGS = Weights((
    ("plain", 50), ("entities", 28), ("numeric_entities", 5),
    ("decomposed", 8), ("nfd", 3), ("decomposed_entities", 6),
))
INDENTS = Weights((("none", 50), ("nbsp", 28), ("nbsp_runs", 22)))
HEADINGS = Weights((("none", 86), ("h3", 7), ("strong", 7)))
CAPTIONS = Weights((
    ("after_italic_centered", 26), ("after_italic", 12), ("after_centered", 12),
    ("after_gap", 8), ("same_paragraph", 10), ("table", 12), ("figure", 12),
    ("small_italic", 8),
))
ALTS = Weights((("empty", 50), ("missing", 10), ("caption", 20), ("text", 20)))
CREDITS = Weights((
    ("tin_anh", 22), ("bai_va_anh", 8), ("tin_anh_split", 8), ("tin_anh_two", 6),
    ("tin_video", 4), ("nguon", 7), ("theo", 7), ("bold_label", 8),
    ("bare_name", 8), ("unit_only", 8), ("none", 14),
))
NOTICE_CREDITS = Weights((("none", 60), ("unit_only", 30), ("bold_label", 10)))
CREDIT_STYLES = Weights((
    ("right_strong", 35), ("right_plain", 20), ("right_em", 15),
    ("nbsp_runs", 15), ("align_attr", 15),
))
DATE_STYLES = Weights((("rdfa", 60), ("plain", 13), ("plain_prefixed", 6), ("time", 10), ("date_field", 11)))
BREADCRUMBS = Weights((("section", 78), ("section_title", 12), ("none", 10)))
RELATED = Weights((("none", 50), ("inside", 25), ("block", 25)))
ATTACHMENT_STYLES = Weights((("label_outside", 35), ("label_inside", 30), ("bold_label", 15), ("list", 20)))
DOCUMENT_TYPES = Weights((("pdf", 55), ("doc", 15), ("docx", 20), ("xlsx", 10)))
IMAGE_COUNTS = Weights((("0", 20), ("1", 25), ("2", 20), ("3", 15), ("4", 10), ("5", 10)))
NOTICE_IMAGE_COUNTS = Weights((("0", 85), ("1", 15)))

# Kinds that only exist as on/off features, with their share of articles.
FEATURE_PERCENT = {
    "bold_lead": 25,
    "list": 15,
    "title_repeat": 12,
    "inner_spaces": 15,
    "crlf": 25,
    "empty_paragraphs": 20,
}

# Every kind an article can record in `kinds`, for tests and documentation.
ALL_KINDS: frozenset[str] = frozenset(
    [f"structure:{n}" for n, _ in STRUCTURES]
    + [f"text:{n}" for n, _ in TEXT_ENCODINGS]
    + [f"indent:{n}" for n, _ in INDENTS]
    + [f"heading:{n}" for n, _ in HEADINGS if n != "none"]
    + [f"caption:{n}" for n, _ in CAPTIONS]
    + ["caption:none", "caption:table_pair"]
    + [f"alt:{n}" for n, _ in ALTS]
    + [f"credit:{n}" for n, _ in CREDITS]
    + ["credit:unit_line", "credit:two_lines_br"]
    + [f"credit_style:{n}" for n, _ in CREDIT_STYLES]
    + [f"date:{n}" for n, _ in DATE_STYLES]
    + [f"breadcrumb:{n}" for n, _ in BREADCRUMBS]
    + [f"related:{n}" for n, _ in RELATED if n != "none"]
    + [f"attachment:{n}" for n, _ in ATTACHMENT_STYLES]
    + [f"document:{n}" for n, _ in DOCUMENT_TYPES]
    + [f"feature:{n}" for n in FEATURE_PERCENT]
    + ["feature:word_split"]
)
"""Every kind `ArticleModel.kinds()` can report."""

# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

TIMELINE_START = datetime(2012, 1, 3)
TIMELINE_END = datetime(2025, 6, 28, 21, 0)
DAY_OPEN = 7 * 3600
"""Articles are published between 07:00 and 22:00 local time."""
DAY_SPAN = 15 * 3600
ADDITION_SPAN = 5 * 3600
"""Working seconds between two added articles (after the timeline's end)."""


def _to_position(when: datetime) -> int:
    days = (when.date() - TIMELINE_START.date()).days
    return days * DAY_SPAN + when.hour * 3600 + when.minute * 60 + when.second - DAY_OPEN


def _from_position(position: float) -> datetime:
    days, seconds = divmod(int(position), DAY_SPAN)
    return TIMELINE_START + timedelta(days=days, seconds=DAY_OPEN + seconds)


TIMELINE_TOTAL = _to_position(TIMELINE_END)
SEED_POSITION = _to_position(SEED.published)


class Timeline:
    """Publication dates: strictly increasing with the index, 2012 to mid-2025.

    The seed article keeps its real date; the others share the time before
    and after it evenly, each at a hashed point of its own slot. Additions
    come after the end, a few a day.
    """

    def __init__(self, seed: int, articles: int):
        self.seed = seed
        self.articles = articles
        self.seed_index = min(articles - 1, round(SEED_POSITION / TIMELINE_TOTAL * (articles - 1)))

    def published(self, index: int) -> datetime:
        u = unit(self.seed, index, DATE)
        k, n = self.seed_index, self.articles
        if index == k:
            return SEED.published
        if index < k:
            slot = SEED_POSITION / k
            return _from_position((index + 0.9 * u) * slot)
        if index < n:
            slot = (TIMELINE_TOTAL - SEED_POSITION) / (n - 1 - k)
            return _from_position(SEED_POSITION + (index - k - 0.9 * u) * slot)
        return _from_position(TIMELINE_TOTAL + (index - n + 1 - 0.9 * u) * ADDITION_SPAN)


class SpanTimeline:
    """Publication dates of a sub-site without the seed article: from `start`
    (its launch) to the timeline's end, one hashed point in each even slot."""

    seed_index = -1

    def __init__(self, seed: int, articles: int, start: datetime):
        self.seed = seed
        self.articles = articles
        self.start = _to_position(start)
        self.slot = (TIMELINE_TOTAL - self.start) / articles

    def published(self, index: int) -> datetime:
        u = unit(self.seed, index, DATE)
        if index < self.articles:
            return _from_position(self.start + (index + 0.1 + 0.8 * u) * self.slot)
        return _from_position(TIMELINE_TOTAL + (index - self.articles + 1 - 0.9 * u) * ADDITION_SPAN)


# --------------------------------------------------------------------------
# Slots: the values filling a template, drawn lazily and remembered
# --------------------------------------------------------------------------


def is_notice(topic: str) -> bool:
    """Notices (the city's "notice", a sub-site's "..._notice"): short, documents, few pictures."""
    return topic == "notice" or topic.endswith("_notice")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _decimal(number: float) -> str:
    return f"{number:.1f}".replace(".", ",")


class Slots(dict):
    """Template values for one article.

    A value is drawn the first time a template asks for it and then kept, so
    the ward in the title is the ward in the body. `rng` can be switched
    between the metadata and the body streams.
    """

    def __init__(self, rng: random.Random, when: datetime, topic: str):
        super().__init__()
        self.rng = rng
        self.when = when
        self.topic = topic

    def __missing__(self, key: str) -> str:
        if key[:1].isupper():
            value = _capitalise(self[key[:1].lower() + key[1:]])
        else:
            value = self._draw(key)
        self[key] = value
        return value

    def _person(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            middle, given = rng.choice(V.MALE_MIDDLE), rng.choice(V.MALE_GIVEN)
        else:
            middle, given = rng.choice(V.FEMALE_MIDDLE), rng.choice(V.FEMALE_GIVEN)
        return f"{rng.choice(V.SURNAMES)} {middle} {given}"

    def _draw(self, key: str) -> str:
        make = _SLOT_MAKERS.get(key) or _SLOT_MAKERS.get(key.rstrip("0123456789"))
        if make is None:
            raise KeyError(key)
        return make(self, key)

    def _number(self, key: str) -> str:
        """n1: tens, n2: a few dozen, n3: a handful."""
        low, high = {"n1": (5, 60), "n2": (2, 40), "n3": (2, 9)}.get(key, (3, 60))
        return str(self.rng.randint(low, high))

    def _leader(self, key: str) -> str:
        positions = V.POSITIONS[V.TOPICS[self.topic].get("positions", "city")]
        return self["leader_name"] + ", " + self.rng.choice(positions)

    def _hdnd_term(self, key: str) -> str:
        year = self.when.year
        return "khóa XVIII" if year < 2016 else ("khóa XIX" if year < 2021 else "khóa XX")

    def _when_text(self, key: str = "when") -> str:
        rng, when = self.rng, self.when
        day = when - timedelta(days=1) if when.hour < 11 or rng.random() < 0.3 else when
        d, m, y = day.day, day.month, day.year
        return rng.choice((
            f"Sáng ngày {d}/{m}",
            f"Chiều ngày {d}/{m}",
            f"Ngày {d:02d}/{m}/{y}",
            f"Sáng {d}/{m}",
            f"Chiều {d}/{m}/{y}",
            f"Ngày {d}/{m}",
        ))


def _choice(values: tuple[str, ...]):
    return lambda slots, key: slots.rng.choice(values)


_SLOT_MAKERS = {
    "y": lambda s, k: str(s.when.year),
    "y0": lambda s, k: str(s.when.year - 1),
    "y1": lambda s, k: str(s.when.year + 1),
    "m": lambda s, k: str(s.when.month),
    "d": lambda s, k: str(max(1, s.when.day - s.rng.randint(0, 2))),
    "d2": lambda s, k: str(s.rng.randint(1, 28)),
    "m2": lambda s, k: str(s.when.month % 12 + 1),
    "ward": _choice(V.WARDS),
    "commune": _choice(V.COMMUNES),
    "village": _choice(V.VILLAGES),
    "street": _choice(V.STREETS),
    "market": _choice(V.MARKETS),
    "gate": _choice(V.GATES),
    "school": _choice(V.SCHOOLS),
    "project": _choice(V.PROJECTS),
    "festival": _choice(V.FESTIVALS),
    "field": _choice(V.FIELDS),
    "agency": _choice(V.AGENCIES),
    "model": _choice(V.MODELS),
    "coop": _choice(V.COOPS),
    "big": lambda s, k: _thousands(s.rng.randint(120, 9800)),
    "pct": lambda s, k: _decimal(s.rng.uniform(60, 99.5)),
    "money": lambda s, k: _decimal(s.rng.uniform(12, 950)),
    "docno": lambda s, k: str(s.rng.randint(12, 4800)),
    "n": Slots._number,
    "hdnd_term": Slots._hdnd_term,
    "anniv": lambda s, k: str(s.when.year - (1944 if s.topic == "defense" else 1930)),
    "anniv2": lambda s, k: str(s.when.year - 1947),
    "when": Slots._when_text,
    "leader_name": lambda s, k: "đồng chí " + s._person(),
    "leader": Slots._leader,
    "caoloc_commune": _choice(V.CAOLOC_COMMUNES),
    "caoloc_festival": _choice(V.CAOLOC_FESTIVALS),
}
"""How each template slot is drawn; `n2`, `pct2`... are drawn like `n`, `pct`."""


# --------------------------------------------------------------------------
# Metadata: section, topic, title (what the catalog needs at start-up)
# --------------------------------------------------------------------------

SECTION_WEIGHTS = Weights(tuple((path, weight) for _, path, weight in V.SECTIONS))
SECTION_NAMES = {path: name for name, path, _ in V.SECTIONS}
SECTION_ORDER = tuple(path for _, path, _ in V.SECTIONS)


@dataclass
class Meta:
    section_path: str
    topic: str
    title: str
    opener: str
    """The template of the first sentence that goes with the title."""
    slots: Slots


_TOPIC_WEIGHTS: dict[tuple[str, int], Weights] = {}


def _topic_weights(section: str, year: int) -> Weights:
    """The section's topics that can happen in `year` (elections, Covid-19...)."""
    key = (section, year)
    if key not in _TOPIC_WEIGHTS:
        _TOPIC_WEIGHTS[key] = Weights(tuple(
            (name, weight) for name, weight in V.SECTION_TOPICS[section]
            if year in V.TOPICS[name].get("years", (year,))
        ))
    return _TOPIC_WEIGHTS[key]


_STORIES: dict[tuple[str, int], tuple[tuple[str, str], ...]] = {}


def _stories(topic: str, month: int) -> tuple[tuple[str, str], ...]:
    """The topic's stories that fit the month (no school opening in June)."""
    key = (topic, month)
    if key not in _STORIES:
        stories = V.TOPICS[topic]["stories"]
        fitting = tuple(s for s in stories if month in V.STORY_MONTHS.get(s[0], (month,)))
        _STORIES[key] = fitting or stories
    return _STORIES[key]


def make_meta(seed: int, index: int, published: datetime, sections: Weights = SECTION_WEIGHTS) -> Meta:
    """`sections`: the site's section keys (in V.SECTION_TOPICS) and weights."""
    rng = random.Random(mix(seed, index, META))
    section = pick(rng, sections)
    topic = pick(rng, _topic_weights(section, published.year))
    slots = Slots(rng, published, topic)
    title, opener = rng.choice(_stories(topic, published.month))
    return Meta(section, topic, title.format_map(slots), opener, slots)


# --------------------------------------------------------------------------
# Aliases (pathauto)
# --------------------------------------------------------------------------

ALIAS_PREFIX = "tin-tuc/"
ALIAS_MAX = 100
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """Pathauto's transliterated, lower-case, hyphenated title."""
    slug = _NOT_SLUG.sub("-", fold(title)).strip("-")
    limit = ALIAS_MAX - len(ALIAS_PREFIX)
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


# --------------------------------------------------------------------------
# The catalog
# --------------------------------------------------------------------------

NODE_BASE = 1200


class LRUCache:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value
