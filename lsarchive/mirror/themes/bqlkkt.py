"""Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn (/bqlkkt/): a
home-made theme that no profile names (gold label 2009).

No Drupal node or field wrappers: the article is `div.chitiet-tin`
(`id="bai-viet-N"`), its title an `h3.tieude-tin` (the page has no h1),
the date line `div.thoigian` "Cập nhật lúc 08:15, Thứ Hai, 03/02/2020" (no
machine value), the body `div.noidung`; Drupal core's breadcrumb
(`div.breadcrumb`, "»"); `div.tin-cu` lists older news after the body.
Listings are a table (`table.danhsach-tin a.tieude`, "Ngày đăng: 03-02-2020").
"""

from __future__ import annotations

from datetime import datetime

from ..model import ArticleModel
from ..pages import Teaser, pager
from .base import SiteInfo, core_breadcrumb, esc, facts, head, node_links, weekday


class Theme:
    name = "bqlkkt-2009"

    def __init__(self, site: SiteInfo):
        self.site = site

    @staticmethod
    def date_text(when: datetime) -> str:
        """The date line without its label "Cập nhật lúc"."""
        return f"{when:%H:%M}, {weekday(when)}, {when:%d/%m/%Y}"

    def truth_facts(self, model: ArticleModel) -> dict:
        return facts(self.date_text(model.published), model.published, False, model.section_name)

    @staticmethod
    def teaser_date(when: datetime) -> str:
        return f"{when:%d-%m-%Y}"

    @staticmethod
    def editor_view(model: ArticleModel) -> ArticleModel:
        return model

    def layout(self, title: str, body_class: str, content: str, links: str = "", crumbs: str = "") -> str:
        site, p = self.site, self.site.prefix
        items = [("", "Trang chủ")] + [(path, name) for name, path in site.sections] + [("lien-he", "Liên hệ")]
        menu = "".join(f'<li><a href="{p}{path}">{esc(name)}</a></li>' for path, name in items)
        return (
            head(site, title, links, css="bqlkkt.css")
            + f'<body class="bqlkkt {body_class}">\n<div id="container">\n'
            f'<div id="banner"><img src="{site.files}logo.png" alt="{esc(site.title)}" />'
            f'<span class="ten-don-vi">{esc(site.title.upper())}</span></div>\n'
            f'<div id="menu-top"><ul class="menu-ngang">{menu}</ul></div>\n'
            '<div id="noi-dung">\n<div id="cot-chinh">\n'
            + crumbs + content
            + "</div>\n"
            '<div id="cot-phu"><div class="khoi-phu"><div class="khoi-tieude">Thông tin cần biết</div>'
            '<ul><li><a href="/">Cổng TTĐT tỉnh Lạng Sơn</a></li><li><a href="/sotttt/">Sở Thông tin và Truyền thông</a>'
            "</li></ul></div></div>\n</div>\n"
            f'<div id="chan-trang">{esc(site.title)}<br />{esc(site.address)}</div>\n'
            "</div>\n</body>\n</html>\n"
        )

    def article_page(self, model: ArticleModel, body_html: str) -> str:
        older = ""
        if model.related and model.style["related"] == "block":
            rows = "".join(f'<li><a href="{r.href}">{esc(r.title)}</a> ({r.date_text})</li>' for r in model.related)
            older = f'<div class="tin-cu"><b>Các tin đã đưa:</b><ul>{rows}</ul></div>\n'
        content = (
            f'<div class="chitiet-tin" id="bai-viet-{model.node_id}">\n'
            f'<h3 class="tieude-tin">{esc(model.title)}</h3>\n'
            f'<div class="thoigian">Cập nhật lúc {self.date_text(model.published)}</div>\n'
            f'<div class="noidung">{body_html}</div>\n'
            + older + "</div>\n"
        )
        return self.layout(f"{model.title} | {self.site.title}", "trang-tin", content,
                           node_links(self.site, model.alias, model.node_id),
                           core_breadcrumb(self.site, (model.section_path, model.section_name)))

    def listing_page(self, section_name: str, section_path: str, page: int, total_pages: int,
                     teasers: list[Teaser]) -> str:
        base = f"{self.site.prefix}{section_path}"
        rows = "".join(
            f'<tr><td class="anh-tin" width="110" valign="top"><a href="{t.href}"><img src="{t.thumbnail}" alt="" '
            f'width="100" /></a></td><td class="tom-tat" valign="top"><a class="tieude" href="{t.href}">{esc(t.title)}'
            f'</a><br /><span class="ngay">Ngày đăng: {t.date_text}</span><p>{esc(t.summary)}</p></td></tr>\n'
            for t in teasers
        )
        inner = (f'<table class="danhsach-tin" width="100%">\n{rows}</table>\n' + pager(base, page, total_pages)
                 if teasers else "<p>Chưa có tin bài.</p>\n")
        title = section_name if page == 0 else f"{section_name} | Trang {page + 1}"
        return self.layout(f"{title} | {self.site.title}", "danh-sach", 
                           f'<div class="tieude-chuyenmuc">{esc(section_name)}</div>\n{inner}',
                           f'<link rel="canonical" href="{base}" />\n', core_breadcrumb(self.site))

    def home_page(self, panes, latest: list[Teaser]) -> str:
        p = self.site.prefix
        boxes = "".join(
            f'<div class="khoi-tin"><div class="khoi-tieude"><a href="{p}{path}">{esc(name)}</a></div>'
            '<ul class="ds-tin">'
            + "".join(f'<li><a href="{t.href}">{esc(t.title)}</a> <span class="ngay">{t.date_text}</span></li>'
                      for t in teasers)
            + "</ul></div>\n"
            for name, path, teasers in panes
        )
        return self.layout(self.site.title, "trang-chu", boxes, f'<link rel="canonical" href="{p}" />\n')

    def simple_page(self, title: str, html: str) -> str:
        return self.layout(f"{title} | {self.site.title}", "trang-phu",
                           f'<div class="tieude-chuyenmuc">{esc(title)}</div>\n{html}\n', crumbs=core_breadcrumb(self.site))
