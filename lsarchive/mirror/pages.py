"""Drupal 7 page templates of the portal: article, listing, home, errors, robots.

The skeleton is the one of `shared/realworld/*.html` (Bartik-like regions:
header, #navigation menu, breadcrumb, h1#page-title, region-content with
block-system-main, sidebar-second blocks, footer). Every page of the site is
built from the same `layout()`, as Drupal's page.tpl.php does.

Links are root-relative with the `/tpls/` prefix, as Drupal writes them for a
sub-site; the sibling sub-sites of the province portal (the block
"CÁC SỞ, NGÀNH, HUYỆN, TP") are outside `/tpls/`, and "Liên kết Websites"
points to other hosts: a crawler must follow neither.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from html import escape

from .model import ArticleModel, date_line, iso_datetime

PREFIX = "/tpls/"
# The portal the mirror replicates. Asked as an HTTP proxy for these hosts,
# the mirror answers as the portal would (`lsarchive crawl --mirror`).
PORTAL_HOSTS = ("www.langson.gov.vn", "langson.gov.vn")
PORTAL_URL = "http://www.langson.gov.vn" + PREFIX
SITE_NAME = "Trang thông tin điện tử UBND thành phố Lạng Sơn"
SITE_NAME_UPPER = "TRANG THÔNG TIN ĐIỆN TỬ UBND THÀNH PHỐ LẠNG SƠN"
ITEMS_PER_PAGE = 15
QUICKTABS_ID = 4
QUICKTABS_ITEMS = 6
LATEST_ITEMS = 10

SIBLING_SITES = (
    ("/sotttt/", "Sở Thông tin và Truyền thông"),
    ("/sonoivu", "Sở Nội vụ"),
    ("/sotaichinh", "Sở Tài chính"),
    ("/sogiaoducdaotao", "Sở Giáo dục và Đào tạo"),
    ("/soyte", "Sở Y tế"),
    ("/sovanhoathethaodulich", "Sở Văn hóa, Thể thao và Du lịch"),
    ("/huyenchilang", "Huyện Chi Lăng"),
    ("/caoloc/", "Huyện Cao Lộc"),
    ("/huyenvanlang", "Huyện Văn Lãng"),
    ("/huyenlocbinh", "Huyện Lộc Bình"),
    ("/huyendinhlap", "Huyện Đình Lập"),
    ("/bqlkkt/", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn"),
)
# The sub-sites the mirror serves on the portal's host (robots.txt covers them all).
SUBSITE_PREFIXES = (PREFIX, "/sotttt/", "/caoloc/", "/bqlkkt/")
EXTERNAL_LINKS = (
    ("http://www.chinhphu.vn", "Cổng TTĐT Chính phủ"),
    ("http://www.langson.gov.vn", "Cổng TTĐT tỉnh Lạng Sơn"),
    ("http://baolangson.vn", "Báo Lạng Sơn điện tử"),
    ("http://www.mic.gov.vn", "Bộ Thông tin và Truyền thông"),
)

# --------------------------------------------------------------------------
# robots.txt: Drupal 7's default, plus the same rules for the sub-site prefix
# --------------------------------------------------------------------------

_DRUPAL_ROBOTS_PATHS = (
    "admin/", "comment/reply/", "filter/tips/", "node/add/", "search/",
    "user/register/", "user/password/", "user/login/", "user/logout/",
)
_DRUPAL_ROBOTS_FILES = (
    "CHANGELOG.txt", "cron.php", "INSTALL.mysql.txt", "INSTALL.pgsql.txt",
    "INSTALL.sqlite.txt", "install.php", "INSTALL.txt", "LICENSE.txt",
    "MAINTAINERS.txt", "update.php", "UPGRADE.txt", "xmlrpc.php",
)


def robots_txt() -> str:
    allow = [
        f"Allow: /{folder}/*.{ext}{suffix}"
        for folder in ("misc", "modules", "profiles", "themes")
        for ext, suffix in (("css", "$"), ("css", "?"), ("js", "$"), ("js", "?"),
                            ("gif", ""), ("jpg", ""), ("jpeg", ""), ("png", ""))
    ]
    lines = [
        "#",
        "# robots.txt",
        "#",
        "# This file is to prevent the crawling and indexing of certain parts",
        "# of your site by web crawlers and spiders run by sites like Yahoo!",
        "# and Google. By telling these \"robots\" where not to crawl, you save",
        "# bandwidth and server resources.",
        "#",
        "# This file will be ignored unless it is at the root of your host:",
        "# Used:    http://example.com/robots.txt",
        "# Ignored: http://example.com/site/robots.txt",
        "#",
        "# For more information about the robots.txt standard, see:",
        "# http://www.robotstxt.org/robotstxt.html",
        "",
        "User-agent: *",
        "Crawl-delay: 10",
        "# CSS, JS, Images",
        *allow,
        "# Directories",
        *(f"Disallow: /{d}/" for d in ("includes", "misc", "modules", "profiles", "scripts", "themes")),
        "# Files",
        *(f"Disallow: /{f}" for f in _DRUPAL_ROBOTS_FILES),
        "# Paths (clean URLs)",
        *(f"Disallow: /{p}" for p in _DRUPAL_ROBOTS_PATHS),
        "# Paths (no clean URLs)",
        *(f"Disallow: /?q={p}" for p in _DRUPAL_ROBOTS_PATHS),
        "# Sub-sites of the province portal (Drupal multisite under one host)",
    ]
    for prefix in SUBSITE_PREFIXES:
        lines += [f"Disallow: {prefix}{p}" for p in ("admin/", "comment/reply/", "filter/tips/", "node/add/",
                                                      "search/", "user/")]
        lines.append(f"Disallow: {prefix}?q=")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# The layout shared by every page
# --------------------------------------------------------------------------


def _head(title: str, links: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi" dir="ltr" prefix="content: http://purl.org/rss/1.0/modules/content/ '
        'dc: http://purl.org/dc/terms/ foaf: http://xmlns.com/foaf/0.1/ sioc: http://rdfs.org/sioc/ns# '
        'xsd: http://www.w3.org/2001/XMLSchema#">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f'<link rel="shortcut icon" href="{PREFIX}misc/favicon.ico" type="image/vnd.microsoft.icon" />\n'
        '<meta name="Generator" content="Drupal 7 (http://drupal.org)" />\n'
        f"{links}"
        f"<title>{escape(title)}</title>\n"
        f'<link type="text/css" rel="stylesheet" href="{PREFIX}sites/tpls/files/css/css_portal.css" media="all" />\n'
        f'<script type="text/javascript" src="{PREFIX}misc/jquery.js?v=1.4.4"></script>\n'
        "</head>\n"
    )


def _navigation(sections: list[tuple[str, str]], active: str | None) -> str:
    items = [("home", "Trang chủ")] + [(path, name) for name, path in sections] + [("lien-he", "Liên hệ")]
    lis = []
    for number, (path, name) in enumerate(items):
        classes = ["leaf"]
        if number == 0:
            classes.insert(0, "first")
        if number == len(items) - 1:
            classes.insert(0, "last")
        link_class = ""
        if path == active:
            classes.append("active-trail active")
            link_class = ' class="active-trail active"'
        lis.append(f'<li class="{" ".join(classes)}"><a href="{PREFIX}{path}"{link_class}>{escape(name)}</a></li>')
    return f'<div id="navigation"><div class="section"><ul class="menu">{"".join(lis)}</ul></div></div>\n'


_HEADER = (
    '<div id="header"><div class="section clearfix">\n'
    f'<a href="{PREFIX}" title="Trang chủ" rel="home" id="logo"><img src="{PREFIX}sites/tpls/files/logo.png" alt="Trang chủ" /></a>\n'
    f'<div id="name-and-slogan"><div id="site-name"><strong><a href="{PREFIX}" title="Trang chủ" rel="home">'
    f"<span>{SITE_NAME_UPPER}</span></a></strong></div></div>\n"
    '<div class="region region-header">\n'
    '<div id="block-search-form" class="block block-search"><div class="content">\n'
    f'<form action="{PREFIX}search/node" method="post" id="search-block-form" accept-charset="UTF-8"><div>'
    '<div class="container-inline"><h2 class="element-invisible">Form tìm kiếm</h2>'
    '<div class="form-item form-type-textfield form-item-search-block-form">'
    '<input title="Nhập từ khóa cần tìm." type="text" id="edit-search-block-form--2" name="search_block_form" value="" size="15" maxlength="128" class="form-text" />'
    '</div><div class="form-actions form-wrapper" id="edit-actions"><input type="submit" id="edit-submit" name="op" value="Tìm kiếm" class="form-submit" /></div>'
    '<input type="hidden" name="form_id" value="search_block_form" /></div></div></form>\n'
    "</div></div>\n"
    '<div id="block-system-user-menu" class="block block-system block-menu"><div class="content">'
    f'<ul class="menu"><li class="first last leaf"><a href="{PREFIX}user/login">Đăng nhập</a></li></ul></div></div>\n'
    "</div>\n"
    "</div></div>\n"
)


def _sidebar() -> str:
    siblings = "".join(f'<li class="leaf"><a href="{href}">{escape(name)}</a></li>' for href, name in SIBLING_SITES)
    externals = "".join(
        f'<li><a href="{href}" target="_blank">{escape(name)}</a></li>' for href, name in EXTERNAL_LINKS
    )
    return (
        '<div id="sidebar-second" class="column sidebar"><div class="section">\n'
        '<div class="region region-sidebar-second">\n'
        '<div id="block-block-7" class="block block-block"><h2>Bản đồ hành chính</h2><div class="content">'
        f'<p><a href="{PREFIX}ban-do-hanh-chinh"><img src="{PREFIX}sites/tpls/files/bando.jpg" '
        'alt="Bản đồ hành chính thành phố Lạng Sơn" /></a></p></div></div>\n'
        '<div id="block-block-8" class="block block-block"><h2>CÁC SỞ, NGÀNH, HUYỆN, TP</h2><div class="content">'
        f'<ul class="menu">{siblings}</ul></div></div>\n'
        '<div id="block-block-9" class="block block-block"><h2>Liên kết Websites</h2><div class="content">'
        f"<ul>{externals}</ul></div></div>\n"
        "</div>\n</div></div>\n"
    )


_SIDEBAR = _sidebar()
_FOOTER = (
    '<div id="footer"><div class="section"><div class="region region-footer">'
    '<div id="block-block-1" class="block block-block"><div class="content">\n'
    f"<p><strong>{SITE_NAME_UPPER}</strong></p>\n"
    "<p>Địa chỉ: Số 30 Đường Lê Lợi, phường Vĩnh Trại, thành phố Lạng Sơn, tỉnh Lạng Sơn</p>\n"
    "<p>Điện thoại: (025) 3.876.672; Fax: (025) 3.870.145;</p>\n"
    "<p>Phát triển bởi Trung tâm Công nghệ Thông tin và Truyền thông Tỉnh Lạng Son</p>\n"
    "</div></div></div></div></div>\n"
)


def breadcrumb(*links: tuple[str, str], tail: str | None = None) -> str:
    """Drupal's breadcrumb: "Trang chủ » Section", optionally the page title as plain text."""
    parts = [f'<a href="{PREFIX}">Trang chủ</a>'] + [f'<a href="{href}">{escape(text)}</a>' for href, text in links]
    if tail:
        parts.append(escape(tail))
    return f'<div id="breadcrumb"><div class="breadcrumb">{" » ".join(parts)}</div></div>\n'


def layout(
    *,
    head_title: str,
    body_classes: str,
    sections: list[tuple[str, str]],
    content: str,
    h1: str | None,
    links: str = "",
    crumbs: str = "",
    active: str | None = None,
) -> str:
    title = f'<h1 class="title" id="page-title">{escape(h1)}</h1>\n' if h1 else ""
    return (
        _head(head_title, links)
        + f'<body class="{body_classes}">\n'
        '<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Chuyển đến nội dung chính</a></div>\n'
        '<div id="page-wrapper"><div id="page">\n'
        + _HEADER
        + _navigation(sections, active)
        + crumbs
        + '<div id="main-wrapper"><div id="main" class="clearfix">\n'
        '<div id="content" class="column"><div class="section">\n'
        '<a id="main-content"></a>\n'
        + title
        + '<div class="region region-content">\n'
        + content
        + "</div>\n</div></div>\n"
        + _SIDEBAR
        + "</div></div>\n"
        + _FOOTER
        + "</div></div>\n</body>\n</html>\n"
    )


def _page_links(canonical: str, shortlink: str | None = None) -> str:
    out = ""
    if shortlink:
        out += f'<link rel="shortlink" href="{shortlink}" />\n'
    return out + f'<link rel="canonical" href="{canonical}" />\n'


_FEED_LINK = (
    f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} RSS" href="{PREFIX}rss.xml" />\n'
)

# --------------------------------------------------------------------------
# Article page
# --------------------------------------------------------------------------


def _submitted(model: ArticleModel) -> str:
    """The date line in the theme of the article's era."""
    style = model.style["date"]
    line = date_line(model.published)
    iso = iso_datetime(model.published)
    if style == "rdfa":
        return (f'<div class="submitted"><span property="dc:date dc:created" content="{iso}" '
                f'datatype="xsd:dateTime">{line}</span></div>\n')
    if style == "plain":
        return f'<div class="submitted">{line}</div>\n'
    if style == "plain_prefixed":
        return f'<div class="submitted">Gửi bởi <span class="username">admin</span> vào {line}</div>\n'
    if style == "time":
        return f'<p class="submitted"><time pubdate="pubdate" datetime="{iso}">{line}</time></p>\n'
    if style == "date_field":
        return (
            '<div class="field field-name-field-ngay-dang field-type-datetime field-label-hidden">'
            '<div class="field-items"><div class="field-item even">'
            f'<span class="date-display-single" property="dc:date" datatype="xsd:dateTime" content="{iso}">{line}</span>'
            "</div></div></div>\n"
        )
    raise ValueError(style)


def _article_crumbs(model: ArticleModel) -> str:
    style = model.style["breadcrumb"]
    if style == "none":
        return ""
    section = (f"{PREFIX}{model.section_path}", model.section_name)
    return breadcrumb(section, tail=model.title if style == "section_title" else None)


def _related_block(model: ArticleModel) -> str:
    """Views block "Tin liên quan" after the node (not part of the body field)."""
    if not model.related or model.style["related"] != "block":
        return ""
    rows = "".join(
        f'<li class="views-row"><a href="{link.href}">{escape(link.title)}</a> '
        f'<span class="date">({link.date_text})</span></li>'
        for link in model.related
    )
    return (
        f'<div id="block-views-tin-lien-quan-block" class="block block-views"><h2>{escape(model.related_heading)}</h2>'
        '<div class="content"><div class="view view-tin-lien-quan view-id-tin_lien_quan">'
        f'<div class="item-list"><ul>{rows}</ul></div></div></div></div>\n'
    )


def article_page(model: ArticleModel, body_html: str, sections: list[tuple[str, str]]) -> str:
    node = model.node_id
    alias = f"{PREFIX}{model.alias}"
    date_field = model.style["date"] == "date_field"
    node_html = (
        '<div id="block-system-main" class="block block-system">\n<div class="content">\n'
        f'<div id="node-{node}" class="node node-article node-promoted clearfix" about="{alias}" '
        'typeof="sioc:Item foaf:Document">\n'
        f'<span property="dc:title" content="{escape(model.title)}" class="rdf-meta element-hidden"></span>'
        '<span property="sioc:num_replies" content="0" datatype="xsd:integer" class="rdf-meta element-hidden"></span>\n'
        + ("" if date_field else _submitted(model))
        + '<div class="content">\n'
        + (_submitted(model) if date_field else "")
        + '<div class="field field-name-body field-type-text-with-summary field-label-hidden">'
        '<div class="field-items"><div class="field-item even" property="content:encoded">'
        + body_html
        + "</div></div></div>\n</div>\n"
        "</div>\n</div>\n</div>\n"
        + _related_block(model)
    )
    return layout(
        head_title=f"{model.title} | {SITE_NAME}",
        body_classes=("html not-front not-logged-in one-sidebar sidebar-second page-node page-node- "
                      f"page-node-{node} node-type-article"),
        sections=sections,
        links=_page_links(alias, f"{PREFIX}node/{node}"),
        crumbs=_article_crumbs(model),
        h1=model.title,
        content=node_html,
        active=model.section_path if model.style["breadcrumb"] != "none" else None,
    )


# --------------------------------------------------------------------------
# Listings (Views pages) and the pager
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Teaser:
    href: str
    title: str
    date_text: str
    summary: str
    thumbnail: str


def _teaser_rows(teasers: list[Teaser]) -> str:
    rows = []
    for number, teaser in enumerate(teasers, start=1):
        classes = f"views-row views-row-{number} views-row-{'odd' if number % 2 else 'even'}"
        if number == 1:
            classes += " views-row-first"
        if number == len(teasers):
            classes += " views-row-last"
        rows.append(
            f'<div class="{classes}">\n'
            '<div class="views-field views-field-field-image"><div class="field-content">'
            f'<a href="{teaser.href}"><img typeof="foaf:Image" src="{teaser.thumbnail}" width="100" height="67" alt="" /></a>'
            "</div></div>\n"
            f'<div class="views-field views-field-title"><span class="field-content"><a href="{teaser.href}">'
            f"{escape(teaser.title)}</a></span></div>\n"
            f'<div class="views-field views-field-created"><span class="field-content">{teaser.date_text}</span></div>\n'
            f'<div class="views-field views-field-body"><div class="field-content">{escape(teaser.summary)}</div></div>\n'
            "</div>\n"
        )
    return "".join(rows)


def pager(base: str, page: int, total_pages: int, quantity: int = 9) -> str:
    """Drupal 7's theme_pager: first/previous, up to 9 page links with ellipses, next/last.

    `page` is 0-based as in `?page=N`; page 0 links carry no query.
    """
    if total_pages <= 1:
        return ""
    current = page + 1
    middle = math.ceil(quantity / 2)
    first = current - middle + 1
    last = current + quantity - middle
    if last > total_pages:
        first += total_pages - last
        last = total_pages
    if first <= 0:
        last += 1 - first
        first = 1
    last = min(last, total_pages)

    def href(number: int) -> str:  # number is 1-based
        return base if number == 1 else f"{base}?page={number - 1}"

    items: list[tuple[str, str]] = []
    if current > 1:
        items.append(("pager-first", f'<a title="Đến trang đầu tiên" href="{href(1)}">« đầu</a>'))
        items.append(("pager-previous", f'<a title="Đến trang trước" href="{href(current - 1)}">‹ trước</a>'))
    if first > 1:
        items.append(("pager-ellipsis", "…"))
    for number in range(first, last + 1):
        if number == current:
            items.append(("pager-current", str(number)))
        else:
            items.append(("pager-item", f'<a title="Đến trang {number}" href="{href(number)}">{number}</a>'))
    if last < total_pages:
        items.append(("pager-ellipsis", "…"))
    if current < total_pages:
        items.append(("pager-next", f'<a title="Đến trang tiếp" href="{href(current + 1)}">tiếp ›</a>'))
        items.append(("pager-last", f'<a title="Đến trang cuối" href="{href(total_pages)}">cuối »</a>'))
    lis = []
    for number, (css, inner) in enumerate(items):
        if number == 0:
            css += " first"
        if number == len(items) - 1:
            css += " last"
        lis.append(f'<li class="{css}">{inner}</li>')
    return ('<h2 class="element-invisible">Trang</h2><div class="item-list"><ul class="pager">'
            + "\n".join(lis) + "</ul></div>\n")


def _dom_id(*parts: object) -> str:
    return hashlib.md5("/".join(map(str, parts)).encode()).hexdigest()


def listing_page(
    section_name: str,
    section_path: str,
    page: int,
    total_pages: int,
    teasers: list[Teaser],
    sections: list[tuple[str, str]],
) -> str:
    base = f"{PREFIX}{section_path}"
    if teasers:
        rows = f'<div class="view-content">\n{_teaser_rows(teasers)}</div>\n'
        pager_html = pager(base, page, total_pages)
    else:  # a page past the end: Views shows its empty text
        rows = '<div class="view-empty"><p>Chưa có bài viết nào.</p></div>\n'
        pager_html = ""
    view = (
        '<div id="block-system-main" class="block block-system">\n<div class="content">\n'
        '<div class="view view-danh-sach-tin view-id-danh_sach_tin view-display-id-page_1 '
        f'view-dom-id-{_dom_id(section_path, page)}">\n'
        + rows
        + pager_html
        + "</div>\n</div>\n</div>\n"
    )
    head_title = section_name if page == 0 else f"{section_name} | Trang {page + 1}"
    return layout(
        head_title=f"{head_title} | {SITE_NAME}",
        body_classes=f"html not-front not-logged-in one-sidebar sidebar-second page-{section_path}",
        sections=sections,
        links=_FEED_LINK + _page_links(base),
        crumbs=breadcrumb(),
        h1=section_name,
        content=view,
        active=section_path,
    )


# --------------------------------------------------------------------------
# Home page: Quick Tabs of the latest articles per section
# --------------------------------------------------------------------------


def home_page(
    panes: list[tuple[str, str, list[Teaser]]],
    active_tab: int,
    latest: list[Teaser],
    sections: list[tuple[str, str]],
) -> str:
    """`panes`: (section name, section path, newest teasers) per tab."""
    tabs = []
    for number, (name, _, _) in enumerate(panes):
        css = ' class="active"' if number == active_tab else ""
        tabs.append(
            f'<li{css}><a href="{PREFIX}home?quicktabs_{QUICKTABS_ID}={number}#quicktabs-{QUICKTABS_ID}" '
            f'id="quicktabs-tab-{QUICKTABS_ID}-{number}" class="{"active " if css else ""}qt-tab">{escape(name)}</a></li>'
        )
    bodies = []
    for number, (_, path, teasers) in enumerate(panes):
        hide = "" if number == active_tab else " quicktabs-hide"
        items = "".join(
            f'<li><a href="{t.href}">{escape(t.title)}</a> <span class="date">({t.date_text})</span></li>'
            for t in teasers
        )
        bodies.append(
            f'<div id="quicktabs-tabpage-{QUICKTABS_ID}-{number}" class="quicktabs-tabpage{hide}">'
            f'<div class="item-list"><ul>{items}</ul></div>'
            f'<div class="more-link"><a href="{PREFIX}{path}">Xem tiếp</a></div></div>'
        )
    quicktabs = (
        f'<div id="block-quicktabs-tin-tuc" class="block block-quicktabs"><h2>Tin tức</h2><div class="content">'
        f'<div id="quicktabs-{QUICKTABS_ID}" class="quicktabs-wrapper quicktabs-style-nostyle">'
        f'<div class="item-list"><ul class="quicktabs-tabs quicktabs-style-nostyle">{"".join(tabs)}</ul></div>'
        f'<div id="quicktabs-container-{QUICKTABS_ID}" class="quicktabs_main quicktabs-style-nostyle">'
        + "".join(bodies)
        + "</div></div></div></div>\n"
    )
    latest_rows = "".join(
        f'<div class="views-row views-row-{n}"><div class="views-field views-field-title"><span class="field-content">'
        f'<a href="{t.href}">{escape(t.title)}</a></span></div>'
        f'<div class="views-field views-field-created"><span class="field-content">{t.date_text}</span></div></div>\n'
        for n, t in enumerate(latest, start=1)
    )
    latest_block = (
        '<div id="block-views-tin-moi-block" class="block block-views"><h2>Tin mới nhất</h2><div class="content">'
        f'<div class="view view-tin-moi view-id-tin_moi"><div class="view-content">\n{latest_rows}</div></div>'
        "</div></div>\n"
    )
    return layout(
        head_title=SITE_NAME,
        body_classes="html front not-logged-in one-sidebar sidebar-second page-home",
        sections=sections,
        links=_FEED_LINK + _page_links(PREFIX),
        h1=None,
        content=quicktabs + latest_block,
        active="home",
    )
