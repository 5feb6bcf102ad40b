"""Sở Thông tin và Truyền thông (/sotttt/): a Zen-like HTML5 theme (since 2014).

`article.node` with the node id only in its class (`node-1234`), the title
in `h1#page-title.page__title`, the date in `p.submitted time[datetime]`
("Thứ Hai, 03/02/2020, 08:15", machine value with seconds), the body in the
field `field-name-field-noi-dung`, an ordered-list breadcrumb in
`nav.breadcrumb`, and `article.teaser h3.teaser__title a` in listings.
"""

from __future__ import annotations

from datetime import datetime

from ..model import ArticleModel, iso_datetime
from ..pages import Teaser, pager
from .base import SiteInfo, esc, facts, head, node_links, weekday


class Theme:
    name = "sotttt-2014"

    def __init__(self, site: SiteInfo):
        self.site = site

    # -- what the truth depends on -------------------------------------------
    @staticmethod
    def date_text(when: datetime) -> str:
        return f"{weekday(when)}, {when:%d/%m/%Y, %H:%M}"

    def truth_facts(self, model: ArticleModel) -> dict:
        return facts(self.date_text(model.published), model.published, True, model.section_name)

    @staticmethod
    def teaser_date(when: datetime) -> str:
        return f"{when:%d/%m/%Y}"

    @staticmethod
    def editor_view(model: ArticleModel) -> ArticleModel:
        return model

    # -- layout ------------------------------------------------------------------
    def _menu(self, active: str | None) -> str:
        p = self.site.prefix
        items = [("", "Trang chủ")] + [(path, name) for name, path in self.site.sections]
        lis = []
        for number, (path, name) in enumerate(items):
            css = f"menu-{218 + number}" + (" first" if number == 0 else "") + (" active-trail" if path == active else "")
            lis.append(f'<li class="{css}"><a href="{p}{path}">{esc(name)}</a></li>')
        return ('<div id="navigation"><nav id="main-menu" role="navigation">'
                f'<ul class="menu links inline clearfix">{"".join(lis)}</ul></nav></div>\n')

    def _breadcrumb(self, section: tuple[str, str] | None) -> str:
        p = self.site.prefix
        items = [f'<li><a href="{p}">Trang chủ</a></li>']
        if section:
            items.append(f'<li><a href="{p}{section[1]}">{esc(section[0])}</a></li>')
        return ('<nav class="breadcrumb" role="navigation"><h2 class="element-invisible">Bạn đang ở đây</h2>'
                f'<ol>{" › ".join(items)}</ol></nav>\n')

    def layout(self, title: str, body_class: str, h1: str | None, content: str, links: str = "",
               crumbs: str = "", active: str | None = None) -> str:
        site, p = self.site, self.site.prefix
        page_title = f'<h1 class="page__title title" id="page-title">{esc(h1)}</h1>\n' if h1 else ""
        return (
            head(site, title, links, css="zen.css")
            + f'<body class="html {body_class}">\n<div id="page">\n'
            '<header class="header" id="header" role="banner">'
            f'<a href="{p}" title="Trang chủ" rel="home" class="header__logo"><img src="{site.files}logo.png" '
            'alt="Trang chủ" class="header__logo-image" /></a>'
            f'<div class="header__name-and-slogan"><div class="header__site-name"><a href="{p}" rel="home">'
            f"<span>{esc(site.title.upper())}</span></a></div></div></header>\n"
            + self._menu(active)
            + '<div id="main">\n<div id="content" class="column" role="main">\n'
            + crumbs + '<a id="main-content"></a>\n' + page_title + content
            + "</div>\n"
            '<aside class="sidebars"><section class="region region-sidebar-first column sidebar">'
            '<div class="block block-block"><h2 class="block__title">Liên kết</h2><ul>'
            '<li><a href="/">Cổng TTĐT tỉnh Lạng Sơn</a></li><li><a href="http://www.mic.gov.vn" target="_blank">'
            "Bộ Thông tin và Truyền thông</a></li></ul></div></section></aside>\n</div>\n"
            f'<footer id="footer" class="region region-footer"><p>{esc(site.title)} — {esc(site.address)}</p></footer>\n'
            "</div>\n</body>\n</html>\n"
        )

    # -- pages -------------------------------------------------------------------
    def article_page(self, model: ArticleModel, body_html: str) -> str:
        p = self.site.prefix
        related = ""
        if model.related and model.style["related"] == "block":
            rows = "".join(f'<li><a href="{r.href}">{esc(r.title)}</a></li>' for r in model.related)
            related = (f'<section class="block block-views tin-lien-quan"><h2 class="block__title">'
                       f"{esc(model.related_heading)}</h2><ul>{rows}</ul></section>\n")
        content = (
            f'<article class="node-{model.node_id} node node-tin-bai view-mode-full clearfix" '
            f'about="{p}{model.alias}" typeof="sioc:Item foaf:Document">\n'
            '<p class="submitted"><span class="submitted__label">Ngày đăng:</span> '
            f'<time pubdate datetime="{iso_datetime(model.published)}">{self.date_text(model.published)}</time></p>\n'
            '<div class="field field-name-field-noi-dung field-type-text-long field-label-hidden"><div class="field-items">'
            f'<div class="field-item even" property="content:encoded">{body_html}</div></div></div>\n'
            "</article>\n" + related
        )
        return self.layout(f"{model.title} | {self.site.title}", "not-front page-node node-type-tin-bai",
                           model.title, content, node_links(self.site, model.alias, model.node_id),
                           self._breadcrumb((model.section_name, model.section_path)), model.section_path)

    def listing_page(self, section_name: str, section_path: str, page: int, total_pages: int,
                     teasers: list[Teaser]) -> str:
        base = f"{self.site.prefix}{section_path}"
        rows = "".join(
            f'<div class="views-row views-row-{n}"><article class="teaser">'
            f'<div class="teaser__image"><a href="{t.href}"><img src="{t.thumbnail}" alt="" /></a></div>'
            f'<h3 class="teaser__title"><a href="{t.href}">{esc(t.title)}</a></h3>'
            f'<div class="teaser__date">{t.date_text}</div><div class="teaser__summary">{esc(t.summary)}</div>'
            "</article></div>\n"
            for n, t in enumerate(teasers, start=1)
        )
        inner = (f'<div class="view-content">\n{rows}</div>\n' + pager(base, page, total_pages) if teasers
                 else '<div class="view-empty">Chưa có tin bài.</div>\n')
        content = f'<div class="view view-tin-bai view-id-tin_bai view-display-id-page">\n{inner}</div>\n'
        title = section_name if page == 0 else f"{section_name} | Trang {page + 1}"
        return self.layout(f"{title} | {self.site.title}", f"not-front page-{section_path}", section_name,
                           content, f'<link rel="canonical" href="{base}" />\n', self._breadcrumb(None), section_path)

    def home_page(self, panes, latest: list[Teaser]) -> str:
        p = self.site.prefix
        blocks = "".join(
            f'<section class="block block-views home-section"><h2 class="block__title"><a href="{p}{path}">'
            f'{esc(name)}</a></h2><ul class="home-section__list">'
            + "".join(f'<li><a href="{t.href}">{esc(t.title)}</a></li>' for t in teasers)
            + "</ul></section>\n"
            for name, path, teasers in panes
        )
        return self.layout(self.site.title, "front", None, blocks, f'<link rel="canonical" href="{p}" />\n', active="")

    def simple_page(self, title: str, html: str) -> str:
        return self.layout(f"{title} | {self.site.title}", "not-front", title, f"<div class=\"content\">{html}</div>\n",
                           crumbs=self._breadcrumb(None))
