"""The mirror's articles: the catalog of a site, and each article built from
(seed, index) as an abstract `ArticleModel` (paragraphs, pictures, credit
lines, documents). The random streams, weights and word slots they draw from
are in content.py; the words themselves in data/vocabulary.json.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from urllib.parse import quote

from ..normalize import fold
from . import vocabulary as V
from .content import (
    ALIAS_PREFIX,
    ALTS,
    ATTACHMENT_STYLES,
    BODY,
    BREADCRUMBS,
    CAPTIONS,
    CHANGED,
    CREDITS,
    CREDIT_STYLES,
    DATE_STYLES,
    DOCUMENT_TYPES,
    EDITS,
    FEATURE_PERCENT,
    HEADINGS,
    IMAGE_COUNTS,
    INDENTS,
    LRUCache,
    Meta,
    NODE,
    NODE_BASE,
    NOTICE_CREDITS,
    NOTICE_IMAGE_COUNTS,
    RELATED,
    SECTION_NAMES,
    SECTION_WEIGHTS,
    STRUCTURES,
    Slots,
    TEXT_ENCODINGS,
    Timeline,
    Weights,
    chance,
    is_notice,
    make_meta,
    mix,
    pick,
    slugify,
    unit,
)
from .model import ArticleModel, Block, CreditLine, Document, Picture, RelatedLink
from .seed_article import SEED


class Catalog:
    """Everything the site knows about its articles, built in one pass.

    Keeps per index only the alias (for routing and links) and the section;
    titles, dates and bodies are recomputed on request.
    """

    def __init__(self, articles: int, seed: int, edits: int = 0, additions: int = 0,
                 timeline: Timeline | None = None, habits: dict | None = None,
                 sections: tuple[tuple[str, str, int], ...] | None = None):
        if articles < 1:
            raise ValueError("the mirror needs at least one article (the seed article)")
        self.articles = articles
        self.seed = seed
        self.additions = additions
        self.total = articles + additions
        self.timeline = timeline or Timeline(seed, articles)
        self.habits = habits or {}
        """Per-axis style weights that replace content.py's (a sub-site's editors' habits)."""
        sections = sections or V.SECTIONS
        self.section_order = tuple(key for _, key, _ in sections)
        self.section_names = {key: name for name, key, _ in sections}
        self.section_weights = SECTION_WEIGHTS if sections is V.SECTIONS else Weights(
            tuple((key, weight) for _, key, weight in sections))
        self.seed_index = self.timeline.seed_index
        self.aliases: list[str] = []
        self.alias_index: dict[str, int] = {}
        self.section_of = bytearray(self.total)
        self.section_indices: dict[str, list[int]] = {path: [] for path in self.section_order}
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
                meta = make_meta(self.seed, index, self.timeline.published(index), self.section_weights)
                section, alias = meta.section_path, self._unique(ALIAS_PREFIX + slugify(meta.title), seed_alias)
            taken[alias] = index
            self.aliases.append(alias)
            self.section_of[index] = self.section_order.index(section)
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

    def hide_after(self, as_of: datetime) -> None:
        """Forget the articles published after `as_of` (dates grow with the index)."""
        visible = sum(1 for index in range(self.total) if self.published(index) <= as_of)
        for alias in self.aliases[visible:]:
            del self.alias_index[alias]
        del self.aliases[visible:]
        self.total = visible
        for indices in self.section_indices.values():
            indices[:] = [i for i in indices if i < visible]
        self.edited = frozenset(i for i in self.edited if i < visible)

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
            return make_meta(self.seed, index, self.published(index), self.section_weights)

        return self._metas.get(index, make)

    def title(self, index: int) -> str:
        return self.meta(index).title

    def section_path(self, index: int) -> str:
        return self.section_order[self.section_of[index]]

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
        section_name=catalog.section_names[meta.section_path],
        section_path=meta.section_path,
        topic=meta.topic,
        title=meta.title,
        alias=catalog.aliases[index],
        published=published,
        changed=_changed(catalog.seed, index, published),
    )
    model.style = _choose_style(rng, meta.topic, catalog.habits)
    features = {name for name, percent in FEATURE_PERCENT.items() if chance(rng, percent)}
    if model.style["structure"] == "word" and chance(rng, 60):
        features.add("word_split")
    model.blocks = _body_blocks(rng, slots, topic, meta.opener, model, features)
    if index in catalog.edited:  # its own stream: the rest of the article stays as it was
        _apply_edit(random.Random(mix(catalog.seed, index, EDITS)), model)
    model.blocks += _document_blocks(rng, slots, topic, model)
    model.credit_lines = _credit_lines(rng, model, features, catalog.habits.get("units", V.UNITS))
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


def _choose_style(rng: random.Random, topic: str, habits: dict) -> dict[str, str]:
    return {
        "structure": pick(rng, STRUCTURES),
        "text": pick(rng, TEXT_ENCODINGS),
        "indent": pick(rng, INDENTS),
        "heading": pick(rng, HEADINGS),
        "caption": pick(rng, habits.get("caption", CAPTIONS)),
        "credit": pick(rng, NOTICE_CREDITS if is_notice(topic) else habits.get("credit", CREDITS)),
        "credit_style": pick(rng, habits.get("credit_style", CREDIT_STYLES)),
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
    count = rng.randint(2, 8) if not is_notice(model.topic) else rng.randint(2, 4)
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
    count = int(pick(rng, NOTICE_IMAGE_COUNTS if is_notice(model.topic) else IMAGE_COUNTS))
    anchors = [
        i for i, b in enumerate(blocks[:-1])
        if b.kind in ("para", "lead") and not b.text.endswith(":") and blocks[i + 1].kind in ("para", "lead")
    ]
    if not anchors or count == 0:
        return blocks
    captions = _Pool(rng, topic["captions"] + (() if is_notice(model.topic) else V.GENERIC_CAPTIONS))
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
    if is_notice(model.topic):
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


def _credit_lines(rng: random.Random, model: ArticleModel, features: set[str],
                  units: tuple[str, ...]) -> list[CreditLine]:
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
        labels = NOTICE_LABELS if is_notice(model.topic) else BOLD_LABELS
        label, roles = rng.choice(labels)
        lines.append(CreditLine(f"{label} {x}", ((x, roles),), label_end=len(label)))
    elif kind == "author_source":  # the author's name, then where the story first ran
        source = rng.choice(V.SOURCES)
        lines.append(CreditLine(x, ((x, ("text",)),)))
        lines.append(CreditLine(f"Nguồn: {source}", ((source, ("source",)),)))
    elif kind == "bare_name":
        lines.append(CreditLine(x, ((x, ("text",)),)))
    elif kind == "unit_only":
        unit_name = rng.choice(units)
        lines.append(CreditLine(unit_name, ((unit_name, ("unit",)),)))
    personal = kind in ("tin_anh", "bai_va_anh", "tin_anh_split", "tin_anh_two", "tin_video", "bold_label")
    if personal and chance(rng, 25):
        unit_name = rng.choice(units)
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

