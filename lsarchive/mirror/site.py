"""MirrorSite: routing and HTTP semantics of the offline Drupal 7 replica.

`MirrorSite.handle()` answers one request without any network code, so the
site can be tested directly and served by any server (`server.py`).
Pages are generated on request from (seed, index) and the last few
thousand are kept in memory; nothing is written to disk.

Routes (all under /tpls/, like the real sub-site of langson.gov.vn):

    /robots.txt                      Drupal 7's default robots.txt (+ /tpls/ rules)
    /tpls  -> 301 /tpls/             Apache's directory slash
    /tpls/, /tpls/home[?quicktabs_4=N]   home page with Quick Tabs
    /tpls/<section>[?page=N]         Views listing, 15 teasers a page, newest first
    /tpls/node/N, /tpls/<alias>      the article (same page, canonical = alias)
    /tpls/sites/tpls/files/...       images (and their thumbnail derivatives), documents
    /tpls/rss.xml                    newest articles
    /tpls/user/..., /tpls/search/... login and search forms (disallowed by robots.txt)
    /tpls/admin/..., /tpls/node/N/edit   403
    /tpls/?q=<path>                  Drupal's non-clean URLs
    anything else                    Drupal's 404 page

The sibling sub-sites on the same host (/sotttt/, /caoloc/, /bqlkkt/) are
answered by province.py, each in its own theme. `as_of` shows the province
as it stood on a day: later articles are hidden everywhere (listings, home,
feeds) and before 2019 the city's pages use its old theme (themes/city2012.py).
"""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import date, datetime, time
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from ..clock import parse_http_date
from . import media, other_pages, pages
from .faults import FaultPlan
from .articles import Catalog, summary_text
from .content import SECTION_NAMES, SECTION_ORDER, LRUCache
from .markup import render_body
from .model import ArticleModel
from .province import SIBLINGS, SubSite
from .themes import city2012
from .resource import HTML, LOCAL_TIME, Resource, http_date
from .truth import truth_record

DEFAULT_BASE_URL = pages.PORTAL_URL
_SIBLING_SPECS = {spec.name: spec for spec in SIBLINGS}
DEFAULT_THUMBNAIL = "/tpls/sites/tpls/files/default_images/no-image.jpg"

_NODE = re.compile(r"node/(\d+)$")
_NODE_TASK = re.compile(r"node/(\d+)/(edit|delete|revisions|outline)(/.*)?$")
# Path (under the site) → the page of other_pages.FIXED_PAGES it shows.
_FIXED_PAGE_PATHS = {"user": "login", "user/login": "login", "user/register": "login", "user/password": "login",
                     "search": "search", "search/node": "search", "lien-he": "contact", "ban-do-hanh-chinh": "map"}
# Generated files end with "<node>-<n>.<ext>" or "<node>_<n>.<ext>".
_FILE_OWNER = re.compile(r"(\d+)[-_](\d+)\.(\w+)$")
_STYLE_DERIVATIVE = re.compile(r"^styles/[^/]+/public/")

STATIC_FILES = {
    "sites/tpls/files/logo.png": lambda: media.png("logo"),
    "sites/tpls/files/bando.jpg": lambda: media.jpeg("bando.jpg"),
    "sites/tpls/files/default_images/no-image.jpg": lambda: media.jpeg("no-image.jpg"),
    "sites/tpls/files/css/css_portal.css": lambda: media.STYLESHEET.encode(),
    "misc/jquery.js": lambda: media.SCRIPT.encode(),
    "misc/favicon.ico": lambda: media.ico("favicon"),
}


class MirrorSite:
    """A deterministic Drupal 7 replica of the Lạng Sơn city portal.

    `MirrorSite(articles, seed, edits, additions)` serves `articles` articles
    (the seed article among them), with `edits` of them changed since the
    plain `MirrorSite(articles, seed)` and `additions` newer ones on top.
    `faults` (a SPEC, see faults.py) makes it answer like a broken server.
    """

    def __init__(self, articles: int = 240, seed: int = 1, edits: int = 0, additions: int = 0,
                 base_url: str = DEFAULT_BASE_URL, faults: str | None = None, as_of: date | None = None,
                 sibling_articles: int | None = None):
        self.catalog = Catalog(articles, seed, edits, additions)
        self.as_of = as_of
        """The day the province is shown as it stood (None: today)."""
        until = datetime.combine(as_of, time(23, 59, 59)) if as_of else None
        if until:
            self.catalog.hide_after(until)
        self.old_theme = as_of is not None and as_of < city2012.REDESIGN
        """Whether the city's pages use its 2012–2018 theme (themes/city2012.py)."""
        self._theme_pages = city2012 if self.old_theme else pages
        self._page = city2012.simple_page if self.old_theme else other_pages.simple_page
        self.sibling_articles = max(12, articles // 8) if sibling_articles is None else sibling_articles
        self._until = until
        self._siblings: dict[str, SubSite] = {}
        self._siblings_lock = threading.Lock()
        self.seed = seed
        self.base_url = base_url
        """Where the site is served; MirrorServer sets it. Used by truth() and rss.xml."""
        self._pages = LRUCache(2048)
        self._sections = [(SECTION_NAMES[path], path) for path in SECTION_ORDER]
        self.faults = FaultPlan.parse(faults, self) if faults else None
        """What the mirror breaks on purpose (`lsarchive mirror --faults`), and its truth."""

    # -- what tests and tools ask ------------------------------------------
    @property
    def article_count(self) -> int:
        return self.catalog.total

    @property
    def seed_node_id(self) -> int:
        return self.catalog.node_id(self.catalog.seed_index)

    def node_ids(self, subsite: str | None = None) -> list[int]:
        """The articles' node ids of the city portal, or of the sub-site named `subsite`."""
        if subsite not in (None, "tpls"):
            return self._sibling(subsite).node_ids()
        return [self.catalog.node_id(i) for i in range(self.catalog.total)]

    def subsites(self) -> list[dict]:
        """Every sub-site served: name, base path, title, article count, theme."""
        city = {"name": "tpls", "base_path": pages.PREFIX, "title": pages.SITE_NAME,
                "article_count": self.catalog.total, "theme": "tpls-2012" if self.old_theme else "tpls-2019"}
        return [city] + [{"name": s.name, "base_path": s.prefix, "title": s.spec.title,
                          "article_count": s.article_count, "theme": s.theme.name} for s in self.siblings.values()]

    @property
    def siblings(self) -> dict[str, SubSite]:
        """The other sub-sites on the portal's host, by name (province.py)."""
        return {spec.name: self._sibling(spec.name) for spec in SIBLINGS}

    def _sibling(self, name: str) -> SubSite:
        """A sibling sub-site, built when first asked for: a crawl of the city alone never pays for them."""
        if name not in _SIBLING_SPECS:
            raise KeyError(f"no sub-site {name!r}")
        with self._siblings_lock:
            if name not in self._siblings:
                self._siblings[name] = SubSite(_SIBLING_SPECS[name], self.sibling_articles, self.seed, self._until)
            return self._siblings[name]

    @property
    def origin(self) -> str:
        """scheme://host[:port] where the site is served."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def edited_node_ids(self) -> list[int]:
        return sorted(self.catalog.node_id(i) for i in self.catalog.edited)

    def added_node_ids(self) -> list[int]:
        return [self.catalog.node_id(i) for i in range(self.catalog.articles, self.catalog.total)]

    def sections(self, subsite: str | None = None) -> list[tuple[str, str]]:
        """(name, path) of the city's sections, or of the sub-site named `subsite`."""
        if subsite not in (None, "tpls"):
            return list(self._sibling(subsite).info.sections)
        return list(self._sections)

    def article_path(self, node_id: int, subsite: str | None = None) -> str:
        """The article's alias path, e.g. /tpls/tin-tuc/thanh-pho-lang-son-..."""
        if subsite not in (None, "tpls"):
            sibling = self._sibling(subsite)
            return sibling.prefix + sibling.model(self._sibling_index(sibling, node_id)).alias
        return pages.PREFIX + self.catalog.aliases[self._index(node_id)]

    def article_url(self, node_id: int, base_url: str | None = None, subsite: str | None = None) -> str:
        if subsite not in (None, "tpls"):
            return urljoin(base_url or self.origin, self.article_path(node_id, subsite))
        return urljoin(base_url or self.base_url, self.catalog.aliases[self._index(node_id)])

    def truth(self, node_id: int, base_url: str | None = None, subsite: str | None = None) -> dict:
        """The exact CONTRACT.md record for the article's page served at `base_url`.

        `base_url` defaults to where the site is served (set by MirrorServer),
        else the live portal's address. `subsite` names a sibling sub-site
        (sotttt, caoloc, bqlkkt); its record uses `base_url`'s host.
        """
        if subsite not in (None, "tpls"):
            return self._sibling(subsite).truth(node_id, base_url or self.origin)
        model = self.model(node_id)
        record = truth_record(model, base_url or self.base_url)
        if self.old_theme:
            record.update(city2012.truth_facts(model))
        return record

    @staticmethod
    def _sibling_index(sibling: SubSite, node_id: int) -> int:
        index = sibling.index_of_node(node_id)
        if index is None:
            raise KeyError(f"no article with node id {node_id} in {sibling.prefix}")
        return index

    def markup_kinds(self, node_id: int) -> frozenset[str]:
        """The markup variations the article's page uses ("caption:table", "text:entities"...)."""
        return self.model(node_id).kinds()

    def model(self, node_id: int) -> ArticleModel:
        return self.catalog.article(self._index(node_id))

    def _index(self, node_id: int) -> int:
        index = self.catalog.index_of_node(node_id)
        if index is None:
            raise KeyError(f"no article with node id {node_id}")
        return index

    # -- HTTP --------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one request: (status, headers, body). `path` may carry a query."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        method = method.upper()
        if method not in ("GET", "HEAD"):
            resource = Resource(405, b"Method Not Allowed\n", "text/plain; charset=utf-8", cacheable=False)
            return 405, [("Allow", "GET, HEAD"), *self._headers(resource)], resource.body
        resource = self.resource(path, headers.get("host"))
        if resource.status == 200 and self._not_modified(resource, headers):
            return 304, self._validators(resource), b""
        body = b"" if method == "HEAD" else resource.body
        return resource.status, self._headers(resource), body

    def _validators(self, resource: Resource) -> list[tuple[str, str]]:
        out = []
        if resource.etag:
            out.append(("ETag", resource.etag))
        if resource.last_modified:
            out.append(("Last-Modified", http_date(resource.last_modified)))
        return out

    def _headers(self, resource: Resource) -> list[tuple[str, str]]:
        out = [("Content-Type", resource.content_type), ("Content-Length", str(len(resource.body)))]
        if resource.location:
            out.append(("Location", resource.location))
        if resource.content_type == HTML:
            out += [
                ("Content-Language", "vi"),
                ("X-Generator", "Drupal 7 (http://drupal.org)"),
                ("Expires", "Sun, 19 Nov 1978 05:00:00 GMT"),
                ("Cache-Control", "public, max-age=0"),
            ]
        return out + self._validators(resource)

    @staticmethod
    def _not_modified(resource: Resource, headers: dict) -> bool:
        """RFC 9110: If-None-Match wins over If-Modified-Since."""
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None:
            if not resource.etag:
                return False
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or resource.etag in tags
        since = headers.get("if-modified-since")
        if since and resource.last_modified:
            since_time = parse_http_date(since)
            if since_time is None:
                return False
            modified = resource.last_modified.replace(tzinfo=LOCAL_TIME)
            return modified <= since_time
        return False

    # -- routing -------------------------------------------------------------
    def resource(self, path_with_query: str, host: str | None = None) -> Resource:
        raw_path, _, query_string = path_with_query.partition("?")
        query = parse_qs(query_string, keep_blank_values=True)
        path = unquote(raw_path)
        if path == "/robots.txt":
            return Resource(200, pages.robots_txt().encode(), "text/plain; charset=utf-8")
        if path == "/tpls":
            return Resource(301, b"", HTML, cacheable=False, location="/tpls/")
        name = path.split("/")[1] if path.startswith("/") else ""
        if name in _SIBLING_SPECS:
            sibling = self._sibling(name)
            if path == "/" + name:
                return Resource(301, b"", HTML, cacheable=False, location=sibling.prefix)
            rest = path[len(sibling.prefix):]
            if rest == "" and "q" in query:
                rest = query.pop("q")[0].strip("/")
            return sibling.resource(rest, query, path, host, self.origin)
        if not path.startswith(pages.PREFIX):
            return self._not_found(path)
        rest = path[len(pages.PREFIX):]
        if rest == "" and "q" in query:  # Drupal without clean URLs: /tpls/?q=node/123
            rest = query.pop("q")[0].strip("/")
        return self._route(rest, query, path, host)

    def _route(self, rest: str, query: dict, path: str, host: str | None) -> Resource:
        if rest in ("", "home"):
            return self._home(_int_param(query, f"quicktabs_{pages.QUICKTABS_ID}"))
        if rest in SECTION_NAMES:
            return self._listing(rest, _int_param(query, "page"))
        match = _NODE.fullmatch(rest)
        if match:
            return self._article_by_node(int(match.group(1)), path)
        if rest.startswith("sites/tpls/files/") or rest in STATIC_FILES:
            return self._file(rest, path)
        if _NODE_TASK.fullmatch(rest) or rest.split("/")[0] == "admin" or rest.startswith("node/add"):
            return Resource(403, other_pages.access_denied_page(self._sections, self._page).encode(), cacheable=False)
        fixed = _FIXED_PAGE_PATHS.get(rest)
        if fixed:
            return self._cached(("page", fixed),
                                lambda: other_pages.fixed_page(fixed, self._sections, self._page).encode())
        if rest == "rss.xml":
            return self._rss(host)
        index = self.catalog.index_of_alias(rest)
        if index is not None:
            return self._article(index)
        return self._not_found(path)

    def _cached(self, key, make_body, **kwargs) -> Resource:
        return self._pages.get(key, lambda: Resource(200, make_body(), **kwargs))

    def _not_found(self, path: str) -> Resource:
        return Resource(404, other_pages.not_found_page(path, self._sections, self._page).encode(), cacheable=False)

    # -- articles ------------------------------------------------------------
    def _article_by_node(self, node_id: int, path: str) -> Resource:
        index = self.catalog.index_of_node(node_id)
        return self._not_found(path) if index is None else self._article(index)

    def _article(self, index: int) -> Resource:
        def make() -> Resource:
            model = self.catalog.article(index)
            if self.old_theme:
                html = city2012.article_page(model, render_body(city2012.editor_view(model)), self._sections)
            else:
                html = pages.article_page(model, render_body(model), self._sections)
            return Resource(200, html.encode("utf-8"), last_modified=model.changed)

        return self._pages.get(("article", index), make)

    # -- listings and home ------------------------------------------------------
    def _teaser(self, index: int, with_summary: bool = True) -> pages.Teaser:
        """A listing row: full articles are generated only when the summary is needed."""
        catalog = self.catalog
        when = catalog.published(index)
        href = pages.PREFIX + catalog.aliases[index]
        if not with_summary:
            return pages.Teaser(href, catalog.title(index), when.strftime("%d/%m/%Y"), "", "")
        model = catalog.article(index)
        pictures = model.pictures
        thumbnail = DEFAULT_THUMBNAIL
        if pictures:
            thumbnail = _thumbnail_src(pictures[0].src)
        return pages.Teaser(href, model.title, f"{when:%d/%m/%Y - %H:%M}", summary_text(model), thumbnail)

    def _listing(self, section: str, page: int) -> Resource:
        def make() -> bytes:
            indices = self.catalog.section_indices[section]
            total_pages = max(1, -(-len(indices) // pages.ITEMS_PER_PAGE))
            newest = len(indices) - 1 - page * pages.ITEMS_PER_PAGE
            chosen = [indices[i] for i in range(newest, max(-1, newest - pages.ITEMS_PER_PAGE), -1)]
            teasers = [self._teaser(i) for i in chosen]
            return self._theme_pages.listing_page(SECTION_NAMES[section], section, page, total_pages, teasers,
                                                  self._sections).encode()

        return self._cached(("listing", section, page), make)

    def _home(self, tab: int) -> Resource:
        tab = tab if 0 <= tab < len(self._sections) else 0

        def make() -> bytes:
            panes = []
            for name, path in self._sections:
                newest = self.catalog.section_indices[path][::-1][: pages.QUICKTABS_ITEMS]
                panes.append((name, path, [self._teaser(i, with_summary=False) for i in newest]))
            total = self.catalog.total
            latest = [self._teaser(i, with_summary=False)
                      for i in range(total - 1, max(-1, total - 1 - pages.LATEST_ITEMS), -1)]
            return self._theme_pages.home_page(panes, tab, latest, self._sections).encode()

        return self._cached(("home", tab), make)

    def _rss(self, host: str | None) -> Resource:
        base = f"http://{host}{pages.PREFIX}" if host else self.base_url
        total = self.catalog.total
        items = []
        for index in range(total - 1, max(-1, total - 1 - pages.LATEST_ITEMS), -1):
            model = self.catalog.article(index)
            items.append((urljoin(base, model.alias), model.title, summary_text(model), http_date(model.published)))
        return Resource(200, other_pages.rss_feed(base, items).encode(), "application/rss+xml; charset=utf-8")

    # -- files ----------------------------------------------------------------
    def _file(self, rest: str, path: str) -> Resource:
        if rest in STATIC_FILES:
            return Resource(200, STATIC_FILES[rest](), media.content_type(rest),
                            last_modified=datetime(2012, 1, 1, 8, 0))
        original = "sites/tpls/files/" + _STYLE_DERIVATIVE.sub("", rest[len("sites/tpls/files/"):])
        found = self._owner_of_file(original)
        if found is None:
            return self._not_found(path)
        model, title = found
        extension = original.rsplit(".", 1)[-1].lower()
        if extension in ("jpg", "jpeg"):
            body = media.photo(pages.PREFIX + original, self.seed, thumbnail=original != rest)
        else:
            body = media.document(extension, title)
        return Resource(200, body, media.content_type(original), last_modified=model.published)

    def _owner_of_file(self, rest: str) -> tuple[ArticleModel, str] | None:
        """The article whose body uses this file, and the file's title; None if no article does."""
        wanted = pages.PREFIX + rest
        match = _FILE_OWNER.search(rest)
        if match:
            index = self.catalog.index_of_node(int(match.group(1)))
            candidates = [index] if index is not None else []
        else:  # the seed article's photos have hand-made names
            candidates = [self.catalog.seed_index]
        for index in candidates:
            model = self.catalog.article(index)
            for picture in model.pictures:
                if unquote(picture.src) == wanted:
                    return model, picture.caption or model.title
            for document in model.documents:
                if unquote(document.href) == wanted:
                    return model, document.text
        return None


def _int_param(query: dict, name: str) -> int:
    """Drupal reads ?page=N as an integer; anything else is page 0."""
    try:
        return max(0, int(query.get(name, ["0"])[0]))
    except ValueError:
        return 0


def _thumbnail_src(src: str) -> str:
    """Drupal's image style derivative of a public file, with its itok token."""
    relative = src[len("/tpls/sites/tpls/files/"):]
    token = hashlib.sha256(relative.encode()).hexdigest()[:8]
    return f"/tpls/sites/tpls/files/styles/thumbnail/public/{relative}?itok={token}"

