"""The mirror's pages that are not news: 404, 403, login, search, contact,
map and the RSS feed, in the same Drupal 7 layout as the rest (pages.py)."""

from __future__ import annotations

from html import escape
from xml.sax.saxutils import escape as xml_escape

from .pages import (
    PREFIX,
    SITE_NAME,
    breadcrumb,
    layout,
)


# --------------------------------------------------------------------------
# Other pages
# --------------------------------------------------------------------------


def simple_page(title: str, html_content: str, sections: list[tuple[str, str]], body_class: str) -> str:
    content = (
        '<div id="block-system-main" class="block block-system">\n<div class="content">\n'
        f"{html_content}\n</div>\n</div>\n"
    )
    return layout(
        head_title=f"{title} | {SITE_NAME}",
        body_classes=f"html not-front not-logged-in one-sidebar sidebar-second {body_class}",
        sections=sections,
        crumbs=breadcrumb(),
        h1=title,
        content=content,
    )


def not_found_page(path: str, sections: list[tuple[str, str]], page=simple_page) -> str:
    return page(
        "Không tìm thấy trang",
        f"<p>Không tìm thấy trang yêu cầu &quot;{escape(path)}&quot;.</p>",
        sections,
        "page-not-found",
    )


def access_denied_page(sections: list[tuple[str, str]], page=simple_page) -> str:
    return page(
        "Truy cập bị từ chối", "<p>Bạn không có quyền truy cập trang này.</p>", sections, "page-access-denied"
    )


LOGIN_FORM = (
    f'<form action="{PREFIX}user/login" method="post" id="user-login" accept-charset="UTF-8"><div>'
    '<div class="form-item form-type-textfield form-item-name"><label for="edit-name">Tên đăng nhập '
    '<span class="form-required" title="Trường này là bắt buộc.">*</span></label>'
    '<input type="text" id="edit-name" name="name" value="" size="60" maxlength="60" class="form-text required" /></div>'
    '<div class="form-item form-type-password form-item-pass"><label for="edit-pass">Mật khẩu '
    '<span class="form-required" title="Trường này là bắt buộc.">*</span></label>'
    '<input type="password" id="edit-pass" name="pass" size="60" maxlength="128" class="form-text required" /></div>'
    '<input type="hidden" name="form_id" value="user_login" />'
    '<div class="form-actions form-wrapper" id="edit-actions"><input type="submit" id="edit-submit" name="op" '
    'value="Đăng nhập" class="form-submit" /></div></div></form>'
)
SEARCH_FORM = (
    f'<form action="{PREFIX}search/node" method="post" id="search-form" accept-charset="UTF-8"><div>'
    '<div class="form-item form-type-textfield form-item-keys"><label for="edit-keys">Nhập từ khóa </label>'
    '<input type="text" id="edit-keys" name="keys" value="" size="40" maxlength="255" class="form-text" /></div>'
    '<input type="submit" id="edit-submit" name="op" value="Tìm kiếm" class="form-submit" /></div></form>'
)
CONTACT_TEXT = (
    "<p><strong>Ủy ban nhân dân thành phố Lạng Sơn</strong></p>\n"
    "<p>Địa chỉ: Số 30 Đường Lê Lợi, phường Vĩnh Trại, thành phố Lạng Sơn, tỉnh Lạng Sơn</p>\n"
    "<p>Điện thoại: (025) 3.876.672; Fax: (025) 3.870.145</p>"
)
MAP_TEXT = (
    f'<p><img src="{PREFIX}sites/tpls/files/bando.jpg" alt="Bản đồ hành chính thành phố Lạng Sơn" '
    'width="800" height="600" /></p>'
)

# The pages whose content never changes: name → (title, content, body class).
FIXED_PAGES: dict[str, tuple[str, str, str]] = {
    "login": ("Tài khoản", LOGIN_FORM, "page-user page-user-login"),
    "search": ("Tìm kiếm", SEARCH_FORM, "page-search page-search-node"),
    "contact": ("Liên hệ", CONTACT_TEXT, "page-lien-he"),
    "map": ("Bản đồ hành chính", MAP_TEXT, "page-ban-do-hanh-chinh"),
}


def fixed_page(name: str, sections: list[tuple[str, str]], page=simple_page) -> str:
    """One of FIXED_PAGES in the site's layout."""
    title, content, body_class = FIXED_PAGES[name]
    return page(title, content, sections, body_class)


def rss_feed(base_url: str, items: list[tuple[str, str, str, str]], title: str = SITE_NAME) -> str:
    """Drupal's rss.xml: (absolute link, title, summary, RFC 822 date) of the newest nodes."""
    entries = "".join(
        f"<item>\n <title>{xml_escape(title)}</title>\n <link>{xml_escape(link)}</link>\n"
        f" <description>{xml_escape(summary)}</description>\n <pubDate>{date}</pubDate>\n"
        f" <dc:creator>admin</dc:creator>\n <guid isPermaLink=\"false\">{xml_escape(link)}</guid>\n</item>\n"
        for link, title, summary, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xml:base="' + xml_escape(base_url) + '" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel>\n <title>{xml_escape(title)}</title>\n <link>{xml_escape(base_url)}</link>\n"
        " <description></description>\n <language>vi</language>\n"
        + entries
        + "</channel>\n</rss>\n"
    )
