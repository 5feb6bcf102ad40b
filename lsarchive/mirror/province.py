"""The sibling sub-sites of the province portal on the same host.

www.langson.gov.vn runs one Drupal 7 multisite: the city portal (/tpls/,
site.py) and, linked from its block "CÁC SỞ, NGÀNH, HUYỆN, TP", the
sub-sites of departments, districts and boards. The mirror serves three of
them, each with its own theme (themes/), sections, node-id space, files
under /<name>/sites/<name>/files/ and editors' habits (caption and credit
styles). Their articles come from the same generator as the city's, from a
seed of their own and their own topics, leaders, places and units
(data/province.json), published from the sub-site's launch on.
"""

from __future__ import annotations

import re
from html import escape
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import unquote, urljoin

from . import media, other_pages
from . import vocabulary as V
from .articles import Catalog, summary_text
from .content import ALIAS_PREFIX, LRUCache, SpanTimeline, Weights, mix
from .markup import render_body
from .model import ArticleModel
from .pages import Teaser
from .resource import Resource, http_date
from .themes import bqlkkt, caoloc, sotttt
from .themes.base import SiteInfo
from .truth import truth_record

_NODE = re.compile(r"node/(\d+)$")
_FILE_OWNER = re.compile(r"(\d+)[-_](\d+)\.(\w+)$")
_STYLE_DERIVATIVE = re.compile(r"^styles/[^/]+/public/")
CITY_FILES = "/tpls/sites/tpls/files/"
ITEMS_PER_PAGE = 10
HOME_ITEMS = 5


@dataclass(frozen=True)
class SubSiteSpec:
    number: int
    """Makes the sub-site's seed: mix(mirror seed, number)."""
    name: str
    title: str
    sections: tuple[tuple[str, str, int], ...]
    """(name, path, weight): the share of articles is the weight's."""
    alias_prefix: str
    launched: datetime
    theme: type
    address: str
    habits: dict = field(default_factory=dict)


SIBLINGS = (
    SubSiteSpec(
        101, "sotttt", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn",
        (("Tin hoạt động", "tin-hoat-dong", 40), ("Chuyển đổi số", "chuyen-doi-so", 25),
         ("Báo chí - Xuất bản", "bao-chi-xuat-ban", 20), ("Thông báo", "thong-bao", 15)),
        "tin-bai/", datetime(2014, 3, 3, 8, 0), sotttt.Theme,
        "Số 3 đường Hoàng Văn Thụ, phường Chi Lăng, thành phố Lạng Sơn",
        {"caption": Weights((("figure", 55), ("after_italic_centered", 45))),
         "credit": Weights((("tin_anh", 40), ("bai_va_anh", 20), ("nguon", 20), ("none", 20))),
         "units": V.UNITS_BY_SITE["sotttt"],
         "credit_style": Weights((("right_strong", 1),))},
    ),
    SubSiteSpec(
        102, "caoloc", "UBND huyện Cao Lộc",
        (("Tin tức - Sự kiện", "tin-tuc-su-kien", 40), ("Kinh tế - Xã hội", "kinh-te-xa-hoi", 30),
         ("Quốc phòng - An ninh", "quoc-phong-an-ninh", 15), ("Thông báo", "thong-bao", 15)),
        "tin-tuc/", datetime(2016, 5, 3, 8, 0), caoloc.Theme,
        "Khối 3, thị trấn Cao Lộc, huyện Cao Lộc, tỉnh Lạng Sơn",
        {"caption": Weights((("table", 55), ("after_centered", 25), ("small_italic", 20))),
         "credit": Weights((("theo", 25), ("tin_anh_split", 25), ("unit_only", 25), ("bold_label", 25))),
         "units": V.UNITS_BY_SITE["caoloc"],
         "credit_style": Weights((("right_em", 60), ("align_attr", 40)))},
    ),
    SubSiteSpec(
        103, "bqlkkt", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
        (("Tin tức", "tin-tuc", 50), ("Xúc tiến đầu tư", "xuc-tien-dau-tu", 30),
         ("Văn bản - Thông báo", "van-ban-thong-bao", 20)),
        "content/", datetime(2010, 9, 6, 8, 0), bqlkkt.Theme,
        "Số 2 đường Hùng Vương, thị trấn Đồng Đăng, huyện Cao Lộc, tỉnh Lạng Sơn",
        {"caption": Weights((("small_italic", 50), ("same_paragraph", 30), ("after_gap", 20))),
         "credit": Weights((("author_source", 70), ("none", 15), ("unit_only", 15))),
         "units": V.UNITS_BY_SITE["bqlkkt"],
         "credit_style": Weights((("right_strong", 1),))},
    ),
)


class SubSite:
    """One sibling sub-site: its catalog, theme and routes under /<name>/."""

    def __init__(self, spec: SubSiteSpec, articles: int, seed: int, as_of: datetime | None = None):
        self.spec = spec
        self.name = spec.name
        self.prefix = f"/{spec.name}/"
        self.info = SiteInfo(spec.name, spec.title, tuple((n, p) for n, p, _ in spec.sections), spec.address)
        self.theme = spec.theme(self.info)
        self.seed = mix(seed, spec.number) & 0x7FFFFFFF
        self.catalog = Catalog(articles, self.seed, timeline=SpanTimeline(self.seed, articles, spec.launched),
                               habits=spec.habits,
                               sections=tuple((n, f"{spec.name}/{p}", w) for n, p, w in spec.sections))
        if as_of is not None:
            self.catalog.hide_after(as_of)
        catalog = self.catalog
        self.section_indices = {key.split("/", 1)[1]: indices for key, indices in catalog.section_indices.items()}
        self.section_names = {path: name for name, path, _ in spec.sections}
        self.alias_index = {self.alias(i): i for i in range(catalog.total)}
        self._models = LRUCache(1024)
        self._pages = LRUCache(512)

    # -- articles --------------------------------------------------------------
    @property
    def article_count(self) -> int:
        return self.catalog.total

    def alias(self, index: int) -> str:
        return self.spec.alias_prefix + self.catalog.aliases[index][len(ALIAS_PREFIX):]

    def node_ids(self) -> list[int]:
        return [self.catalog.node_id(i) for i in range(self.catalog.total)]

    def index_of_node(self, node_id: int) -> int | None:
        index = self.catalog.index_of_node(node_id)
        return index if index is not None and index < self.catalog.total else None

    def model(self, index: int) -> ArticleModel:
        return self._models.get(index, lambda: self._own_model(index))

    def _own_model(self, index: int) -> ArticleModel:
        """The generator's article moved into this sub-site: its section, alias, files and links."""
        base = self.catalog.article(index)
        files = self.info.files

        def moved(path: str) -> str:
            return files + path[len(CITY_FILES):] if path.startswith(CITY_FILES) else path

        def link(href: str) -> str:
            rest = href[len("/tpls/"):]
            return self.prefix + (self.spec.alias_prefix + rest[len(ALIAS_PREFIX):]
                                  if rest.startswith(ALIAS_PREFIX) else rest)

        blocks = []
        for block in base.blocks:
            if block.picture is not None:
                block = replace(block, picture=replace(block.picture, src=moved(block.picture.src)))
            elif block.documents:
                block = replace(block, documents=tuple(replace(d, href=moved(d.href)) for d in block.documents))
            blocks.append(block)
        section = base.section_path.split("/", 1)[1]
        return replace(
            base, section_path=section, section_name=self.section_names[section], alias=self.alias(index),
            blocks=blocks, related=[replace(r, href=link(r.href)) for r in base.related], style=dict(base.style),
        )

    def truth(self, node_id: int, origin: str) -> dict:
        """The CONTRACT.md record of the article's page served at `origin` (scheme://host)."""
        index = self.index_of_node(node_id)
        if index is None:
            raise KeyError(f"no article with node id {node_id} in /{self.name}/")
        model = self.model(index)
        record = truth_record(model, urljoin(origin, self.prefix))
        record.update(self.theme.truth_facts(model))
        return record

    # -- routes ----------------------------------------------------------------
    def resource(self, rest: str, query: dict, path: str, host: str | None, origin: str) -> Resource:
        if rest in ("", "home"):
            return self._cached(("home",), self._home)
        if rest in self.section_indices:
            page = _int_param(query, "page")
            return self._cached(("listing", rest, page), lambda: self._listing(rest, page))
        match = _NODE.fullmatch(rest)
        index = self.index_of_node(int(match.group(1))) if match else self.alias_index.get(rest)
        if index is not None:
            return self._pages.get(("article", index), lambda: self._article(index))
        if rest.startswith(f"sites/{self.name}/files/") or rest in ("misc/jquery.js", "misc/favicon.ico"):
            return self._file(rest, path)
        if rest == "lien-he":  # every theme's menu links the contact page
            return self._cached(("contact",), lambda: self.theme.simple_page(
                "Liên hệ", f"<p>{escape(self.spec.title)}</p><p>Điện thoại: (0205) 3812 345</p>"))
        if rest == "rss.xml":
            return self._rss(f"http://{host}{self.prefix}" if host else urljoin(origin, self.prefix))
        if rest.split("/")[0] in ("admin", "user", "search") or rest.startswith("node/add"):
            status = 403 if rest.startswith(("admin", "node/add")) else 200
            title = "Truy cập bị từ chối" if status == 403 else "Đăng nhập"
            return Resource(status, self.theme.simple_page(title, "<p>Bạn cần đăng nhập.</p>").encode(),
                            cacheable=status == 200)
        return self.not_found(path)

    def not_found(self, path: str) -> Resource:
        html = self.theme.simple_page("Không tìm thấy trang", f"<p>Không tìm thấy trang yêu cầu &quot;"
                                      f"{escape(path)}&quot;.</p>")
        return Resource(404, html.encode(), cacheable=False)

    def _cached(self, key, make) -> Resource:
        return self._pages.get(key, lambda: Resource(200, make().encode()))

    def _article(self, index: int) -> Resource:
        model = self.model(index)
        html = self.theme.article_page(model, render_body(self.theme.editor_view(model)))
        return Resource(200, html.encode(), last_modified=model.changed)

    def _teaser(self, index: int) -> Teaser:
        model = self.model(index)
        thumbnail = f"{self.info.files}default_images/no-image.jpg"
        if model.pictures:
            relative = model.pictures[0].src[len(self.info.files):]
            thumbnail = f"{self.info.files}styles/thumbnail/public/{relative}"
        return Teaser(self.prefix + model.alias, model.title, self.theme.teaser_date(model.published),
                      summary_text(model), thumbnail)

    def _listing(self, section: str, page: int) -> str:
        indices = self.section_indices[section]
        total_pages = max(1, -(-len(indices) // ITEMS_PER_PAGE))
        newest = len(indices) - 1 - page * ITEMS_PER_PAGE
        chosen = [indices[i] for i in range(newest, max(-1, newest - ITEMS_PER_PAGE), -1)]
        return self.theme.listing_page(self.section_names[section], section, page, total_pages,
                                       [self._teaser(i) for i in chosen])

    def _home(self) -> str:
        panes = [(name, path, [self._teaser(i) for i in self.section_indices[path][::-1][:HOME_ITEMS]])
                 for name, path in self.info.sections]
        total = self.catalog.total
        latest = [self._teaser(i) for i in range(total - 1, max(-1, total - 1 - HOME_ITEMS), -1)]
        return self.theme.home_page(panes, latest)

    def _rss(self, base: str) -> Resource:
        total = self.catalog.total
        items = []
        for index in range(total - 1, max(-1, total - 11), -1):
            model = self.model(index)
            items.append((urljoin(base, model.alias), model.title, summary_text(model), http_date(model.published)))
        return Resource(200, other_pages.rss_feed(base, items, self.spec.title).encode(),
                        "application/rss+xml; charset=utf-8")

    def _file(self, rest: str, path: str) -> Resource:
        static = {"misc/jquery.js": lambda: media.SCRIPT.encode(), "misc/favicon.ico": lambda: media.ico(self.name),
                  f"sites/{self.name}/files/logo.png": lambda: media.png(self.name + " logo"),
                  f"sites/{self.name}/files/default_images/no-image.jpg": lambda: media.jpeg(self.name + " no-image"),
                  f"sites/{self.name}/files/css/{_CSS[self.name]}": lambda: media.STYLESHEET.encode()}
        if rest in static:
            return Resource(200, static[rest](), media.content_type(rest), last_modified=self.spec.launched)
        folder = f"sites/{self.name}/files/"
        original = folder + _STYLE_DERIVATIVE.sub("", rest[len(folder):])
        wanted = self.prefix + original
        match = _FILE_OWNER.search(original)
        index = self.index_of_node(int(match.group(1))) if match else None
        if index is not None:
            model = self.model(index)
            for picture in model.pictures:
                if unquote(picture.src) == wanted:
                    body = media.photo(wanted, self.seed, thumbnail=original != rest)
                    return Resource(200, body, media.content_type(original), last_modified=model.published)
            for document in model.documents:
                if unquote(document.href) == wanted:
                    body = media.document(original.rsplit(".", 1)[-1].lower(), document.text)
                    return Resource(200, body, media.content_type(original), last_modified=model.published)
        return self.not_found(path)


_CSS = {"sotttt": "zen.css", "caoloc": "portal.css", "bqlkkt": "bqlkkt.css"}


def _int_param(query: dict, name: str) -> int:
    try:
        return max(0, int(query.get(name, ["0"])[0]))
    except ValueError:
        return 0


