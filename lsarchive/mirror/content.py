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
from urllib.parse import quote

from ..normalize import fold
from . import vocabulary as V
from .model import ArticleModel, Block, CreditLine, Document, Picture, RelatedLink
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


# --------------------------------------------------------------------------
# Slots: the values filling a template, drawn lazily and remembered
# --------------------------------------------------------------------------


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


def make_meta(seed: int, index: int, published: datetime) -> Meta:
    rng = random.Random(mix(seed, index, META))
    section = pick(rng, SECTION_WEIGHTS)
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


class Catalog:
    """Everything the site knows about its articles, built in one pass.

    Keeps per index only the alias (for routing and links) and the section;
    titles, dates and bodies are recomputed on request.
    """

    def __init__(self, articles: int, seed: int, edits: int = 0, additions: int = 0):
        if articles < 1:
            raise ValueError("the mirror needs at least one article (the seed article)")
        self.articles = articles
        self.seed = seed
        self.additions = additions
        self.total = articles + additions
        self.timeline = Timeline(seed, articles)
        self.seed_index = self.timeline.seed_index
        self.aliases: list[str] = []
        self.alias_index: dict[str, int] = {}
        self.section_of = bytearray(self.total)
        self.section_indices: dict[str, list[int]] = {path: [] for path in SECTION_ORDER}
        self._next_suffix: dict[str, int] = {}
        self._build_indexes()
        del self._next_suffix
        self.edited = self._choose_edits(edits)
        self._articles = LRUCache(4096)
        self._metas = LRUCache(8192)

    # -- start-up --------------------------------------------------------
    def _build_indexes(self) -> None:
        taken = self.alias_index
        seed_alias = ALIAS_PREFIX + slugify(SEED.title)
        for index in range(self.total):
            if index == self.seed_index:
                section, alias = SEED.section_path, seed_alias
            else:
                meta = make_meta(self.seed, index, self.timeline.published(index))
                section, alias = meta.section_path, self._unique(ALIAS_PREFIX + slugify(meta.title), seed_alias)
            taken[alias] = index
            self.aliases.append(alias)
            self.section_of[index] = SECTION_ORDER.index(section)
            self.section_indices[section].append(index)

    def _unique(self, alias: str, reserved: str) -> str:
        """Pathauto's uniquify: on collision append -0, -1, ... (Drupal 7 pathauto).

        Pathauto tries the numbers from 0 each time; remembering the next
        free number per alias gives the same result without the quadratic
        cost on recurring titles.
        """
        if alias not in self.alias_index and alias != reserved:
            return alias
        number = self._next_suffix.get(alias, 0)
        while f"{alias}-{number}" in self.alias_index or f"{alias}-{number}" == reserved:
            number += 1
        self._next_suffix[alias] = number + 1
        return f"{alias}-{number}"

    def _choose_edits(self, count: int) -> frozenset[int]:
        candidates = [i for i in range(self.articles) if i != self.seed_index]
        count = max(0, min(count, len(candidates)))
        return frozenset(random.Random(mix(self.seed, EDITS)).sample(candidates, count))

    # -- lookups ---------------------------------------------------------
    def node_id(self, index: int) -> int:
        return NODE_BASE + 3 * index + mix(self.seed, index, NODE) % 3

    def index_of_node(self, node_id: int) -> int | None:
        index = (node_id - NODE_BASE) // 3
        if 0 <= index < self.total and self.node_id(index) == node_id:
            return index
        return None

    def index_of_alias(self, alias: str) -> int | None:
        return self.alias_index.get(alias)

    def published(self, index: int) -> datetime:
        return self.timeline.published(index)

    def meta(self, index: int) -> Meta:
        def make() -> Meta:
            if index == self.seed_index:
                return Meta(SEED.section_path, "seed", SEED.title, "",
                            Slots(random.Random(0), SEED.published, "ubnd_meeting"))
            return make_meta(self.seed, index, self.published(index))

        return self._metas.get(index, make)

    def title(self, index: int) -> str:
        return self.meta(index).title

    def section_path(self, index: int) -> str:
        return SECTION_ORDER[self.section_of[index]]

    def article(self, index: int) -> ArticleModel:
        return self._articles.get(index, lambda: build_article(self, index))


# --------------------------------------------------------------------------
# Building one article
# --------------------------------------------------------------------------


class _Pool:
    """Draw texts without repeating until the pool is exhausted."""

    def __init__(self, rng: random.Random, texts: tuple[str, ...]):
        self.rng = rng
        self.texts = texts
        self.left: list[str] = []

    def draw(self) -> str:
        if not self.left:
            self.left = list(self.texts)
            self.rng.shuffle(self.left)
        return self.left.pop()


def build_article(catalog: Catalog, index: int) -> ArticleModel:
    if index == catalog.seed_index:
        return _seed_model(catalog, index)
    meta = catalog.meta(index)
    rng = random.Random(mix(catalog.seed, index, BODY))
    slots = Slots(rng, meta.slots.when, meta.topic)
    slots.update(meta.slots)  # the title's values, drawn from the meta stream
    topic = V.TOPICS[meta.topic]
    published = catalog.published(index)
    model = ArticleModel(
        index=index,
        node_id=catalog.node_id(index),
        section_name=SECTION_NAMES[meta.section_path],
        section_path=meta.section_path,
        topic=meta.topic,
        title=meta.title,
        alias=catalog.aliases[index],
        published=published,
        changed=_changed(catalog.seed, index, published),
    )
    model.style = _choose_style(rng, meta.topic)
    features = {name for name, percent in FEATURE_PERCENT.items() if chance(rng, percent)}
    if model.style["structure"] == "word" and chance(rng, 60):
        features.add("word_split")
    model.blocks = _body_blocks(rng, slots, topic, meta.opener, model, features)
    if index in catalog.edited:  # its own stream: the rest of the article stays as it was
        _apply_edit(random.Random(mix(catalog.seed, index, EDITS)), model)
    model.blocks += _document_blocks(rng, slots, topic, model)
    model.credit_lines = _credit_lines(rng, model, features)
    model.related, model.related_heading = _related(rng, catalog, model)
    model.features = frozenset(features)
    return model


def _changed(seed: int, index: int, published: datetime) -> datetime:
    """Drupal's `changed`: a few minutes to two days after publication (editors fix typos)."""
    u = unit(seed, index, CHANGED)
    if u < 0.1:
        return published
    if u < 0.8:
        return published + timedelta(minutes=1 + int(u * 40))
    return published + timedelta(minutes=60 + int(u * 2800))


def _choose_style(rng: random.Random, topic: str) -> dict[str, str]:
    return {
        "structure": pick(rng, STRUCTURES),
        "text": pick(rng, TEXT_ENCODINGS),
        "indent": pick(rng, INDENTS),
        "heading": pick(rng, HEADINGS),
        "caption": pick(rng, CAPTIONS),
        "credit": pick(rng, NOTICE_CREDITS if topic == "notice" else CREDITS),
        "credit_style": pick(rng, CREDIT_STYLES),
        "date": pick(rng, DATE_STYLES),
        "breadcrumb": pick(rng, BREADCRUMBS),
        "related": pick(rng, RELATED),
        "attachment": pick(rng, ATTACHMENT_STYLES),
    }


def _paragraph_texts(rng: random.Random, slots: Slots, topic: dict, opener: str, count: int) -> list[str]:
    sentences = _Pool(rng, topic["sentences"] + V.GENERIC_SENTENCES)
    paragraphs = []
    for number in range(count):
        parts = []
        if number == 0:
            parts.append(opener)
            extra = rng.randint(0, 2)
        else:
            extra = rng.randint(1, 3)
        parts += [sentences.draw() for _ in range(extra)]
        if number == count - 1 and count > 2 and chance(rng, 50):
            parts.append(rng.choice(V.GENERIC_CLOSERS))
        paragraphs.append(" ".join(part.format_map(slots) for part in parts))
    return paragraphs


def _body_blocks(rng, slots, topic, opener, model, features) -> list[Block]:
    count = rng.randint(2, 8) if model.topic != "notice" else rng.randint(2, 4)
    texts = _paragraph_texts(rng, slots, topic, opener, count)
    first_kind = "lead" if "bold_lead" in features else "para"
    blocks = [Block(first_kind if i == 0 else "para", text) for i, text in enumerate(texts)]
    if "list" in features and count >= 3:
        blocks = _insert_list(rng, slots, topic, blocks)
    else:
        features.discard("list")
    if model.style["heading"] != "none" and count >= 3:
        blocks = _insert_headings(rng, blocks)
    else:
        model.style["heading"] = "none"
    blocks = _place_pictures(rng, slots, topic, model, blocks, features)
    if "title_repeat" in features:
        blocks.insert(0, Block("title", model.title))
    return blocks


def _insert_list(rng, slots, topic, blocks: list[Block]) -> list[Block]:
    """An intro paragraph ending with ':' and a list, never first nor last."""
    at = rng.randint(1, len(blocks) - 1)
    items = list(topic.get("list_items", ())) + list(V.GENERIC_LIST_ITEMS)
    rng.shuffle(items)
    chosen = tuple(item.format_map(slots) for item in items[: rng.randint(3, 5)])
    intro = Block("para", rng.choice(V.GENERIC_LIST_INTROS).format_map(slots))
    return blocks[:at] + [intro, Block("list", items=chosen, ordered=chance(rng, 35))] + blocks[at:]


def _insert_headings(rng, blocks: list[Block]) -> list[Block]:
    """Two subheadings, each right before an ordinary paragraph."""
    texts = rng.sample(V.GENERIC_HEADINGS, 2)
    if chance(rng, 50):
        texts = [f"{number}. {text}" for number, text in zip((1, 2), texts)]
    before = [i for i, b in enumerate(blocks) if i >= 1 and b.kind == "para"]
    positions = [before[0]] + ([rng.choice(before[2:])] if len(before) > 2 else [])
    for position, text in sorted(zip(positions, texts), reverse=True):
        blocks.insert(position, Block("heading", text))
    return blocks


def _place_pictures(rng, slots, topic, model, blocks, features) -> list[Block]:
    """Insert pictures after text paragraphs.

    A picture always follows a paragraph and is always followed by an
    ordinary paragraph or another picture, never by a heading or a list,
    and never ends the body: nothing but its caption can be read as its
    caption.
    """
    count = int(pick(rng, NOTICE_IMAGE_COUNTS if model.topic == "notice" else IMAGE_COUNTS))
    anchors = [
        i for i, b in enumerate(blocks[:-1])
        if b.kind in ("para", "lead") and not b.text.endswith(":") and blocks[i + 1].kind in ("para", "lead")
    ]
    if not anchors or count == 0:
        return blocks
    captions = _Pool(rng, topic["captions"] + (() if model.topic == "notice" else V.GENERIC_CAPTIONS))
    chosen = sorted(rng.choice(anchors) for _ in range(count))
    pictures = [_picture(rng, slots, captions, model, number) for number in range(1, count + 1)]
    if model.style["caption"] == "table" and len(set(chosen)) < len(chosen) and chance(rng, 60):
        features.add("table_pair")  # two pictures side by side in one layout table
    result: list[Block] = []
    for position, block in enumerate(blocks):
        result.append(block)
        result += [Block("picture", picture=p) for anchor, p in zip(chosen, pictures) if anchor == position]
    return result


_PICTURE_SIZES = ((600, 400), (500, 333), (640, 427), (450, 300), (700, 466))


def _picture(rng, slots, captions: _Pool, model: ArticleModel, number: int) -> Picture:
    caption = None if chance(rng, 12) else captions.draw().format_map(slots)
    alt_kind = pick(rng, ALTS)
    if alt_kind == "empty":
        alt = ""
    elif alt_kind == "missing":
        alt = None
    elif alt_kind == "caption" and caption:
        alt = caption
    else:
        alt = rng.choice(("Ảnh minh họa", model.title, f"IMG_{rng.randint(1000, 9999)}", "anh tin bai"))
    width, height = rng.choice(_PICTURE_SIZES)
    return Picture(_image_src(rng, model, number), alt, caption, width, height)


def _image_src(rng, model: ArticleModel, number: int) -> str:
    """Editors' folders have spaces (written %20); the name ends with node and number."""
    when, node = model.published, model.node_id
    folder = f"anh%20tin%20bai/{when.year}"
    name = rng.choice((
        f"{when:%m}/{node}-{number}.jpg",
        f"thang%20{when.month}/anh%20{node}-{number}.jpg",
        f"{when:%m}/IMG_{node}_{number}.JPG",
        f"{when:%m}/{slugify(model.title)[:40].rstrip('-')}-{node}-{number}.jpg",
    ))
    return f"/tpls/sites/tpls/files/{folder}/{name}"


def _apply_edit(rng: random.Random, model: ArticleModel) -> None:
    """An editor's later update: one more paragraph, a newer `changed` date."""
    model.edited = True
    model.changed = model.changed + timedelta(days=20 + rng.randint(0, 40), minutes=rng.randint(1, 600))
    when = model.changed
    text = rng.choice(V.UPDATE_SENTENCES).format(ud=when.day, um=when.month, uy=when.year)
    last_text = max(i for i, b in enumerate(model.blocks) if b.kind in ("para", "lead", "list"))
    model.blocks.insert(last_text + 1, Block("para", text))


def _document_blocks(rng, slots, topic, model) -> list[Block]:
    if model.topic == "notice":
        count = rng.randint(1, 3)
    elif chance(rng, 5):
        count = 1
    else:
        return []
    names = topic.get("documents", V.TOPICS["notice"]["documents"])
    documents = []
    for number in range(1, count + 1):
        text = rng.choice(names).format_map(slots)
        ext = pick(rng, DOCUMENT_TYPES)
        words = fold(text).replace("/", "-").split()[:5]
        name = quote(" ".join(words).replace(".", ""), safe="-")
        href = f"/tpls/sites/tpls/files/van%20ban/{model.published.year}/{name}_{model.node_id}_{number}.{ext}"
        documents.append(Document(href, text))
    style = model.style["attachment"]
    label = {
        "list": "Tài liệu kèm theo:",
        "label_inside": "Tải về: ",
    }.get(style, rng.choice(V.ATTACHMENT_LABELS))
    return [Block("documents", documents=tuple(documents), label=label)]


# -- credits ------------------------------------------------------------

TEXT_PHOTO = ("text", "photo")
BOLD_LABELS = (
    ("Tin:", ("text",)), ("Bài, ảnh:", TEXT_PHOTO), ("Tác giả:", ("text",)),
    ("Người viết:", ("text",)), ("Tin, ảnh:", TEXT_PHOTO),
)
NOTICE_LABELS = (("Người viết:", ("text",)), ("Tin:", ("text",)))


def _credit_lines(rng: random.Random, model: ArticleModel, features: set[str]) -> list[CreditLine]:
    kind = model.style["credit"]
    names = rng.sample(V.REPORTERS, 2)
    x, y = names
    lines: list[CreditLine] = []
    if kind == "tin_anh":
        lines.append(CreditLine(f"Tin, ảnh: {x}", ((x, TEXT_PHOTO),)))
    elif kind == "bai_va_anh":
        lines.append(CreditLine(f"Bài và ảnh: {x}", ((x, TEXT_PHOTO),)))
    elif kind == "tin_anh_split":
        lines.append(CreditLine(f"Tin: {x}; Ảnh: {y}", ((x, ("text",)), (y, ("photo",)))))
    elif kind == "tin_anh_two":
        lines.append(CreditLine(f"Tin, ảnh: {x}, {y}", ((x, TEXT_PHOTO), (y, TEXT_PHOTO))))
    elif kind == "tin_video":
        lines.append(CreditLine(f"Tin, video: {x}", ((x, ("text", "video")),)))
    elif kind == "nguon":
        source = rng.choice(V.SOURCES)
        lines.append(CreditLine(f"Nguồn: {source}", ((source, ("source",)),)))
    elif kind == "theo":
        source = rng.choice(V.SOURCES)
        lines.append(CreditLine(f"Theo {source}", ((source, ("source",)),)))
    elif kind == "bold_label":
        labels = NOTICE_LABELS if model.topic == "notice" else BOLD_LABELS
        label, roles = rng.choice(labels)
        lines.append(CreditLine(f"{label} {x}", ((x, roles),), label_end=len(label)))
    elif kind == "bare_name":
        lines.append(CreditLine(x, ((x, ("text",)),)))
    elif kind == "unit_only":
        unit_name = rng.choice(V.UNITS)
        lines.append(CreditLine(unit_name, ((unit_name, ("unit",)),)))
    personal = kind in ("tin_anh", "bai_va_anh", "tin_anh_split", "tin_anh_two", "tin_video", "bold_label")
    if personal and chance(rng, 25):
        unit_name = rng.choice(V.UNITS)
        lines.append(CreditLine(unit_name, ((unit_name, ("unit",)),)))
        features.add("unit_line")
        if chance(rng, 30):
            features.add("two_lines_br")  # both lines in one paragraph, split by <br>
    if kind == "theo" and model.style["credit_style"] == "right_strong":
        model.style["credit_style"] = "right_em"  # "Theo ..." is usually italic
    return lines


def _related(rng: random.Random, catalog: Catalog, model: ArticleModel) -> tuple[list[RelatedLink], str]:
    if model.style["related"] == "none" or model.index == 0:
        return [], ""
    earliest = max(0, model.index - 40)
    count = min(model.index - earliest, rng.randint(3, 5))
    indices = sorted(rng.sample(range(earliest, model.index), count), reverse=True)
    links = []
    for other in indices:
        href = f"/tpls/{catalog.aliases[other]}" if chance(rng, 80) else f"/tpls/node/{catalog.node_id(other)}"
        links.append(RelatedLink(href, catalog.title(other), catalog.published(other).strftime("%d/%m/%Y")))
    return links, rng.choice(V.RELATED_HEADINGS)


# -- the seed article ----------------------------------------------------


def _seed_model(catalog: Catalog, index: int) -> ArticleModel:
    model = ArticleModel(
        index=index,
        node_id=catalog.node_id(index),
        section_name=SECTION_NAMES[SEED.section_path],
        section_path=SEED.section_path,
        topic="seed",
        title=SEED.title,
        alias=catalog.aliases[index],
        published=SEED.published,
        changed=SEED.changed,
        is_seed=True,
        raw_body=SEED.body_html,
    )
    model.blocks = [Block("title", SEED.title)]
    pictures = iter(SEED.pictures)
    for kind, text in SEED.sequence:
        if kind == "picture":
            model.blocks.append(Block("picture", picture=next(pictures)))
        else:
            model.blocks.append(Block("para", text))
    model.credit_lines = [
        CreditLine("Tin, ảnh: Thanh Huệ", (("Thanh Huệ", TEXT_PHOTO),)),
        CreditLine("Đài TT-TH TPLS", (("Đài TT-TH TPLS", ("unit",)),)),
    ]
    model.style = {
        "structure": "p", "text": "plain", "indent": "nbsp_runs", "heading": "none",
        "caption": "after_italic", "credit": "tin_anh", "credit_style": "nbsp_runs",
        "date": "plain", "breadcrumb": "section", "related": "none", "attachment": "none",
    }
    model.features = frozenset({"title_repeat", "empty_paragraphs", "unit_line"})
    return model


def summary_text(model: ArticleModel, limit: int = 220) -> str:
    """The teaser text of listings: the first paragraph, cut at a word."""
    first = next((b.text for b in model.blocks if b.kind in ("para", "lead")), "")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "..."

