"""The city portal's theme from 2012 to 2018, before the 2019 redesign.

A layout table of the early 2010s: banner row, menu row, a left column with
the content and a right column of blocks, footer row. Articles sit in
`div.news-detail` with an `h2.news-title` and a date line without weekday
("Cập nhật: 10/01/2017 20:04", no machine-readable timestamp). The site's
old image module wrapped captioned figures as `<p class="image-caption">`.
Functions have the signatures of pages.py and other_pages.py, so the site
swaps one for the other by date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..model import ArticleModel
from ..pages import EXTERNAL_LINKS, SIBLING_SITES, SITE_NAME, SITE_NAME_UPPER, Teaser, pager
from .base import SiteInfo, esc, facts, head, node_links

REDESIGN = date(2019, 1, 1)
"""The first day of the current theme (pages.py)."""
SITE = SiteInfo("tpls", SITE_NAME, ())
P = SITE.prefix


def date_text(model: ArticleModel) -> str:
    return f"{model.published:%d/%m/%Y %H:%M}"


def truth_facts(model: ArticleModel) -> dict:
    return facts(date_text(model), model.published, False, model.section_name)


def editor_view(model: ArticleModel) -> ArticleModel:
    """The body as the old image module showed it: figures became `p.image-caption`."""
    if model.style.get("caption") != "figure" or model.raw_body is not None:
        return model
    return replace(model, style={**model.style, "caption": "image_caption"})


def _menu(sections, active: str | None) -> str:
    items = [("", "Trang chủ")] + [(path, name) for name, path in sections] + [("lien-he", "Liên hệ")]
    chosen = ' class="chon"'
    lis = "".join(
        f'<li{chosen if path == active else ""}><a href="{P}{path}">{esc(name)}</a></li>'
        for path, name in items
    )
    return f'<tr><td colspan="2" id="thanh-menu"><ul id="menu-chinh">{lis}</ul></td></tr>\n'


def _sidebar() -> str:
    siblings = "".join(f'<li><a href="{href}">{esc(name)}</a></li>' for href, name in SIBLING_SITES)
    externals = "".join(f'<option value="{href}">{esc(name)}</option>' for href, name in EXTERNAL_LINKS)
    return (
        '<td id="cot-phai" valign="top" width="260">\n'
        '<div class="khoi"><div class="khoi-tieude">CÁC SỞ, NGÀNH, HUYỆN, TP</div>'
        f'<ul class="khoi-noidung">{siblings}</ul></div>\n'
        '<div class="khoi"><div class="khoi-tieude">Liên kết Websites</div>'
        f'<select class="lien-ket" onchange="window.open(this.value)">{externals}</select></div>\n'
        "</td>\n"
    )


_SIDEBAR = _sidebar()


def _duongdan(*links: tuple[str, str]) -> str:
    parts = [f'<a href="{P}">Trang chủ</a>'] + [f'<a href="{href}">{esc(name)}</a>' for href, name in links]
    return f'<div class="duongdan">{" &raquo; ".join(parts)}</div>\n'


def layout(head_title: str, body_class: str, sections, content: str, links: str = "",
           crumbs: str = "", active: str | None = None) -> str:
    return (
        head(SITE, head_title, links, css="css_tpls2012.css")
        + f'<body class="{body_class}">\n'
        '<table id="khung" width="1000" border="0" cellpadding="0" cellspacing="0" align="center">\n'
        f'<tr><td colspan="2" id="banner"><a href="{P}"><img src="{P}sites/tpls/files/logo.png" '
        f'alt="{SITE_NAME_UPPER}" /></a></td></tr>\n'
        + _menu(sections, active)
        + '<tr><td id="cot-trai" valign="top" width="740">\n'
        + crumbs + content
        + "</td>\n" + _SIDEBAR + "</tr>\n"
        '<tr><td colspan="2" id="chan-trang">'
        f"<p><b>{SITE_NAME_UPPER}</b><br />Địa chỉ: Số 30 Đường Lê Lợi, phường Vĩnh Trại, thành phố Lạng Sơn"
        "<br />Điện thoại: (025) 3.876.672</p></td></tr>\n"
        "</table>\n</body>\n</html>\n"
    )


def _related(model: ArticleModel) -> str:
    if not model.related or model.style["related"] != "block":
        return ""
    rows = "".join(f'<li><a href="{link.href}">{esc(link.title)}</a> <span class="news-time">'
                   f"({link.date_text})</span></li>" for link in model.related)
    return f'<div class="tin-khac"><h3>{esc(model.related_heading)}</h3><ul>{rows}</ul></div>\n'


def article_page(model: ArticleModel, body_html: str, sections) -> str:
    content = (
        f'<div class="news-detail" id="news-{model.node_id}">\n'
        f'<h2 class="news-title">{esc(model.title)}</h2>\n'
        f'<div class="news-date">Cập nhật: {date_text(model)}</div>\n'
        f'<div class="news-content">{body_html}</div>\n'
        "</div>\n" + _related(model)
    )
    return layout(f"{model.title} | {SITE_NAME}", "not-front page-node", sections, content,
                  links=node_links(SITE, model.alias, model.node_id),
                  crumbs=_duongdan((f"{P}{model.section_path}", model.section_name)),
                  active=model.section_path)


def _rows(teasers: list[Teaser]) -> str:
    return "".join(
        f'<tr><td class="news-thumb" width="110" valign="top"><a href="{t.href}"><img src="{t.thumbnail}" '
        f'width="100" height="67" alt="" /></a></td><td class="news-item" valign="top">'
        f'<a class="news-link" href="{t.href}">{esc(t.title)}</a> <span class="news-time">({t.date_text[:10]})</span>'
        f'<div class="news-summary">{esc(t.summary)}</div></td></tr>\n'
        for t in teasers
    )


def listing_page(section_name: str, section_path: str, page: int, total_pages: int,
                 teasers: list[Teaser], sections) -> str:
    base = f"{P}{section_path}"
    if teasers:
        rows = f'<table class="news-list" width="100%" cellpadding="4">\n{_rows(teasers)}</table>\n'
        rows += pager(base, page, total_pages)
    else:
        rows = '<p class="news-empty">Chưa có tin bài.</p>\n'
    content = f'<h2 class="cat-title">{esc(section_name)}</h2>\n' + rows
    title = section_name if page == 0 else f"{section_name} | Trang {page + 1}"
    return layout(f"{title} | {SITE_NAME}", f"not-front page-{section_path}", sections, content,
                  links=f'<link rel="canonical" href="{base}" />\n', crumbs=_duongdan(), active=section_path)


def home_page(panes, active_tab: int, latest: list[Teaser], sections) -> str:
    boxes = []
    for name, path, teasers in panes:
        items = "".join(f'<li><a href="{t.href}">{esc(t.title)}</a> <span class="news-time">({t.date_text})</span></li>'
                        for t in teasers)
        boxes.append(f'<div class="home-box"><div class="home-box-title"><a href="{P}{path}">{esc(name)}</a></div>'
                     f'<ul class="home-box-list">{items}</ul></div>\n')
    newest = "".join(f'<li><a href="{t.href}">{esc(t.title)}</a></li>' for t in latest)
    content = f'<div class="home-box tin-moi"><div class="home-box-title">Tin mới</div><ul>{newest}</ul></div>\n'
    return layout(SITE_NAME, "front", sections, content + "".join(boxes),
                  links=f'<link rel="canonical" href="{P}" />\n', active="")


def simple_page(title: str, html_content: str, sections, body_class: str) -> str:
    content = f'<h2 class="cat-title">{esc(title)}</h2>\n<div class="noi-dung-trang">{html_content}</div>\n'
    return layout(f"{title} | {SITE_NAME}", f"not-front {body_class}", sections, content, crumbs=_duongdan())
