"""UBND huyện Cao Lộc (/caoloc/): a commercial "portal" theme (since 2016).

Bootstrap columns around Drupal's own node (`div#node-N.node`, body field
`field-name-body` inside `div.content-detail`), the title in
`h1.title-detail`, the date line in `div.post-date` ("Thứ hai, 03/02/2020 |
08:15", weekday in lower case) with the machine value only in the head
(`meta[property="article:published_time"]`, seconds), breadcrumb
`div.breadcrumb-wrap div.breadcrumb` joined by ">", nice-menus, and
`ul.list-news h4.news-title a` in listings.
"""

from __future__ import annotations

from datetime import datetime

from ..model import ArticleModel, iso_datetime
from ..pages import Teaser, pager
from .base import SiteInfo, esc, facts, head, node_links, weekday


class Theme:
    name = "caoloc-2016"

    def __init__(self, site: SiteInfo):
        self.site = site

    @staticmethod
    def date_text(when: datetime) -> str:
        return f"{weekday(when, lower=True)}, {when:%d/%m/%Y | %H:%M}"

    def truth_facts(self, model: ArticleModel) -> dict:
        return facts(self.date_text(model.published), model.published, True, model.section_name)

    @staticmethod
    def teaser_date(when: datetime) -> str:
        return f"{when:%d/%m/%Y %H:%M}"

    @staticmethod
    def editor_view(model: ArticleModel) -> ArticleModel:
        return model

    def _menu(self) -> str:
        p = self.site.prefix
        items = [("", "Trang chủ")] + [(path, name) for name, path in self.site.sections]
        lis = "".join(
            f'<li class="menu-path-{self.site.name}-{path or "front"}"><a href="{p}{path}">{esc(name)}</a></li>'
            for path, name in items
        )
        return ('<div class="main-menu"><div class="container"><ul class="nice-menu nice-menu-down" id="nice-menu-1">'
                f"{lis}</ul></div></div>\n")

    def _breadcrumb(self, section: tuple[str, str] | None) -> str:
        p = self.site.prefix
        parts = [f'<a href="{p}">Trang chủ</a>']
        if section:
            parts.append(f'<a href="{p}{section[1]}">{esc(section[0])}</a>')
        return f'<div class="breadcrumb-wrap"><div class="breadcrumb">{" &gt; ".join(parts)}</div></div>\n'

    def layout(self, title: str, body_class: str, content: str, links: str = "", crumbs: str = "") -> str:
        site, p = self.site, self.site.prefix
        return (
            head(site, title, links, css="portal.css")
            + f'<body class="html {body_class}">\n<div class="wrapper">\n'
            f'<div class="top-banner"><div class="container"><a class="logo" href="{p}"><img src="{site.files}logo.png" '
            f'alt="{esc(site.title)}" /></a><div class="site-title">{esc(site.title.upper())}</div></div></div>\n'
            + self._menu()
            + '<div class="container main-content"><div class="row">\n<div class="col-md-8 col-left">\n'
            + crumbs + content
            + "</div>\n"
            '<div class="col-md-4 col-right"><div class="box-right"><div class="box-title">Liên kết website</div>'
            '<ul><li><a href="/">Cổng TTĐT tỉnh Lạng Sơn</a></li><li><a href="/tpls/">Thành phố Lạng Sơn</a></li>'
            "</ul></div></div>\n</div></div>\n"
            f'<div class="footer"><div class="container"><p>Bản quyền thuộc {esc(site.title)}</p>'
            f"<p>{esc(site.address)}</p></div></div>\n</div>\n</body>\n</html>\n"
        )

    def article_page(self, model: ArticleModel, body_html: str) -> str:
        related = ""
        if model.related and model.style["related"] == "block":
            rows = "".join(f'<li><a href="{r.href}">{esc(r.title)}</a> <span>({r.date_text})</span></li>'
                           for r in model.related)
            related = f'<div class="other-news"><div class="other-news-title">Tin khác</div><ul>{rows}</ul></div>\n'
        content = (
            f'<div id="node-{model.node_id}" class="node node-article node-full clearfix">\n'
            f'<h1 class="title-detail">{esc(model.title)}</h1>\n'
            f'<div class="post-date"><i class="fa fa-clock-o"></i> {self.date_text(model.published)}</div>\n'
            '<div class="content-detail"><div class="field field-name-body field-type-text-with-summary '
            f'field-label-hidden"><div class="field-items"><div class="field-item even">{body_html}</div></div></div></div>\n'
            '<div class="share-tools"><a class="print" href="javascript:window.print()">In bài viết</a></div>\n'
            "</div>\n" + related
        )
        links = (f'<meta property="og:title" content="{esc(model.title)}" />\n'
                 f'<meta property="article:published_time" content="{iso_datetime(model.published)}" />\n'
                 + node_links(self.site, model.alias, model.node_id))
        return self.layout(f"{model.title} | {self.site.title}", "not-front page-node", content, links,
                           self._breadcrumb((model.section_name, model.section_path)))

    def listing_page(self, section_name: str, section_path: str, page: int, total_pages: int,
                     teasers: list[Teaser]) -> str:
        base = f"{self.site.prefix}{section_path}"
        rows = "".join(
            f'<li class="item"><a class="thumb" href="{t.href}"><img src="{t.thumbnail}" alt="" /></a>'
            f'<h4 class="news-title"><a href="{t.href}">{esc(t.title)}</a></h4>'
            f'<p class="date">({t.date_text})</p><p class="sapo">{esc(t.summary)}</p></li>\n'
            for t in teasers
        )
        inner = (f'<ul class="list-news">\n{rows}</ul>\n' + pager(base, page, total_pages) if teasers
                 else '<p class="empty">Chưa có tin bài.</p>\n')
        content = (f'<div class="box-category"><h2 class="box-category-title">{esc(section_name)}</h2>\n'
                   f"{inner}</div>\n")
        title = section_name if page == 0 else f"{section_name} | Trang {page + 1}"
        return self.layout(f"{title} | {self.site.title}", f"not-front page-{section_path}", content,
                           f'<link rel="canonical" href="{base}" />\n', self._breadcrumb(None))

    def home_page(self, panes, latest: list[Teaser]) -> str:
        p = self.site.prefix
        boxes = "".join(
            f'<div class="box-news"><div class="box-title"><a href="{p}{path}">{esc(name)}</a></div>'
            '<ul class="list-news-home">'
            + "".join(f'<li><a href="{t.href}">{esc(t.title)}</a></li>' for t in teasers)
            + "</ul></div>\n"
            for name, path, teasers in panes
        )
        return self.layout(self.site.title, "front", boxes, f'<link rel="canonical" href="{p}" />\n')

    def simple_page(self, title: str, html: str) -> str:
        content = f'<div class="box-category"><h2 class="box-category-title">{esc(title)}</h2>{html}</div>\n'
        return self.layout(f"{title} | {self.site.title}", "not-front", content, crumbs=self._breadcrumb(None))
