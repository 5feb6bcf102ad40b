"""Site profiles: everything that is specific to one portal.

A profile names where things are on a site (selectors), which URLs are what
(patterns) and how dates are written. Extraction and crawling read the
profile and nothing else about the site, so a sibling sub-site of the
province portal is a new profile, not a fork of the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class SiteProfile:
    # Identity -------------------------------------------------------------
    name: str
    """Short name, used as the spider name and in the archive's `site` column."""
    site_name: str
    """The portal's own title, as shown in its header."""
    base_url: str
    """Where the site lives, ending with '/': e.g. http://www.langson.gov.vn/tpls/"""
    version: str = ""
    """Which markup this profile describes, named by the year it came in
    (Fundus's dated parser versions): a site's profiles differ by version."""
    valid_until: date | None = None
    """The first day this markup was no longer served (a redesign), or None
    while it is the site's current markup. A capture's date picks the version."""

    # Crawling -------------------------------------------------------------
    home_path: str = "home"
    """The home page, relative to base_url."""
    section_paths: tuple[tuple[str, str], ...] = ()
    """Known sections as (name, path relative to base_url). The crawl also
    discovers sections from the menu, these are the ones it must not miss."""
    menu_link_css: str = "#navigation a, .quicktabs-tabs a, .block-menu a"
    listing_teaser_link_css: str = ".view-content .views-row .views-field-title a"
    pager_next_css: str = "ul.pager li.pager-next a"
    pager_last_css: str = "ul.pager li.pager-last a"
    excluded_path_patterns: tuple[str, ...] = (
        r"^(user|admin|search|node/add|filter|comment)(/|$)",
        r"\?q=",
    )
    media_path_prefix: str = "sites/"
    crawl_delay_default: float = 10.0
    """Seconds between requests when robots.txt gives no Crawl-delay."""

    # Extraction -----------------------------------------------------------
    title_css: tuple[str, ...] = ("h1#page-title", "h1.title", "h1.node-title", "h2.node-title")
    title_rdfa_property: str = "dc:title"
    """The RDFa property holding the node's title (Drupal 7's RDF module), or ""."""
    title_meta_properties: tuple[str, ...] = ("og:title",)
    """<meta property> titles the platform writes on a node page (Drupal 7's metatag)."""
    title_from_head: bool = True
    """Whether the platform's <title> is the node's title and the site suffix
    on a node page (Drupal 7's html.tpl.php): read when the selectors miss."""
    site_title_suffix_re: str = r"\s*\|\s*[^|]*$"
    node_css: str = "div.node"
    body_css: tuple[str, ...] = (
        "div.field-name-body div.field-item",
        "div.field-name-body",
        "div.node div.content",
        "article .content",
    )
    submitted_css: tuple[str, ...] = ("div.submitted", "span.submitted", "p.submitted", "div.meta")
    date_machine_css: tuple[str, ...] = (
        '[property~="dc:date"][content]',
        "time[datetime]",
        'meta[property="article:published_time"][content]',
        "span.date-display-single[content]",
    )
    date_visible_patterns: tuple[str, ...] = (
        # [weekday,] [ngày] dd/mm/yyyy [- | , | lúc] [HH:MM[:SS] | HHhMM]
        r"(?:(?:Thứ\s*(?:Hai|Ba|Tư|Năm|Sáu|Bảy|[2-7])|Chủ\s*[Nn]hật|CN|T[2-7])\s*[,-]?\s*)?"
        r"(?:[Nn]gày\s+)?(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
        r"(?:\s*(?:[-,|–]|lúc|vào)?\s*(?P<H>\d{1,2})\s*[:hH]\s*(?P<M>\d{2})(?::(?P<S>\d{2}))?(?!\d))?",
        # HH:MM [-|,] [weekday,] dd/mm/yyyy
        r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?:[-,|–]|ngày)?\s*"
        r"(?:(?:Thứ\s*(?:Hai|Ba|Tư|Năm|Sáu|Bảy|[2-7])|Chủ\s*[Nn]hật|CN|T[2-7])\s*[,-]?\s*)?"
        r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})",
    )
    """Visible date lines, tried in order; named groups d m y and optional H M S."""
    date_visible_css: tuple[str, ...] = (
        ".date-display-single", "time", ".date", ".post-date", ".field-name-post-date", ".created",
    )
    """Where else a visible date line may sit inside the node, after `submitted_css`."""
    date_excluded_css: str = "#comments, .comment, .field-name-body"
    """Dates inside these (comments, the body text) are never the article's."""
    utc_offset: str = "+07:00"
    breadcrumb_link_css: str = "div.breadcrumb a"
    """(Kept for other users; extraction reads `breadcrumb_css`.)"""
    breadcrumb_css: tuple[str, ...] = ("#breadcrumb a", ".breadcrumb a")
    """Breadcrumb links for extraction, the first selector that matches wins
    (`#breadcrumb` is an id lookup; the class selector is the fallback)."""
    home_link_texts: tuple[str, ...] = ("trang chủ", "trang chu", "home", "trang nhất")
    """Breadcrumb links that are the home page, not a section."""
    shortlink_css: str = 'link[rel="shortlink"]'
    canonical_css: str = 'link[rel="canonical"]'
    not_found_titles: tuple[str, ...] = (
        "page not found", "không tìm thấy trang", "trang không tồn tại", "không tìm thấy",
        "access denied", "truy cập bị từ chối", "lỗi 404", "404",
    )
    """Page titles of the CMS's error pages (compared lower-cased)."""
    teaser_css: str = ".node-teaser, .view-content .views-row"
    """Teasers of a listing page: a page made of these is not an article."""

    # The platform's conventions (Drupal 7 here): another platform's profile
    # changes these, extraction names none of them itself.
    node_page_body_class_re: str = r"(?:^|\s)page-node-(\d+)(?:\s|$)"
    """A <body> class saying the page shows one node, its number in group 1."""
    node_element_id_prefix: str = "node-"
    """The id of a node's wrapper element is this prefix and the node number."""
    node_path_re: str = r"/node/(\d+)(?:[/?#]|$)"
    """The node number in a shortlink or URL path, in group 1."""
    teaser_class: str = "node-teaser"
    """The class of a node shown as a teaser (on listings, or beside the article)."""
    error_body_classes: tuple[str, ...] = ("page-404", "page-403", "page-error")
    """<body> classes of the CMS's error pages."""
    search_body_classes: tuple[str, ...] = ("page-search",)
    """<body> classes of the site's search pages."""
    search_page_css: str = "ol.search-results, .search-results, form#search-form .search-results"
    """Where search results are listed: a page showing them is not an article."""
    search_page_titles: tuple[str, ...] = (
        "tìm kiếm", "kết quả tìm kiếm", "search", "search results", "tim kiem",
    )
    """Titles (before the site suffix, lower case) of search pages."""
    not_found_phrases: tuple[str, ...] = (
        "page not found", "could not be found", "không tìm thấy trang", "trang không tồn tại",
        "trang này không tồn tại", "trang bạn tìm", "trang bạn yêu cầu", "nội dung không tồn tại",
        "bài viết không tồn tại", "không tồn tại hoặc đã bị", "đường dẫn không đúng",
        "đường dẫn không tồn tại",
    )
    """Phrases (lower case) of a "page not found" notice: a short body saying one
    is an error page, whatever status it was served with (a soft 404)."""
    boilerplate_css: str = (
        "nav, aside, #header, #footer, .footer, #navigation, .navigation, "
        ".menu, .sidebar, #sidebar, .region-sidebar-first, .region-sidebar-second, "
        "#sidebar-first, #sidebar-second, .breadcrumb, #breadcrumb, #comments, .comment, "
        ".block-menu, .pager"
    )
    """Page regions that never hold the article: the fallback rules look for a
    title, a date or a body outside them."""
    related_block_headings: tuple[str, ...] = (
        "các tin khác",
        "tin khác",
        "tin liên quan",
        "bài viết liên quan",
        "các tin đã đưa",
        "xem thêm",
        "các bài viết khác",
        "bài liên quan",
        "tin bài liên quan",
        "các tin liên quan",
        "tin cùng chuyên mục",
        "đọc thêm",
        "tin đã đưa",
        "các tin đã đăng",
        "tin đã đăng",
        "tin cùng loại",
        "các tin mới hơn",
        "các tin cũ hơn",
        "tin mới hơn",
        "tin cũ hơn",
    )
    body_skip_classes: tuple[str, ...] = (
        "related", "tin-lien-quan", "tinlienquan", "addthis", "sharethis", "social-share",
        "share-buttons", "print-link", "fb-like", "zalo-share-button", "element-invisible",
        "element-hidden", "rdf-meta", "field-name-field-tags", "field-type-taxonomy-term-reference",
    )
    """Class names (whole words) of elements inside the body that are not article text."""
    caption_classes: tuple[str, ...] = (
        "caption", "image_desc", "image-desc", "imagedesc", "img_desc", "img-desc",
        "photo-desc", "photo_desc", "chu-thich", "chuthich", "chu_thich",
    )
    """Class names (substrings, lower case) that mark an image caption element
    (`MsoCaption`, `wp-caption-text` and `PhotoCMS_Caption` contain `caption`)."""
    caption_max_chars: int = 400
    """A caption found by position (table cell, same paragraph, the line after
    an image) is at most this long; longer text is body text."""
    attachment_extensions: tuple[str, ...] = (
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar",
    )
    credit_labels: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("tin", ("text",)),
        ("bài viết", ("text",)),
        ("bài", ("text",)),
        ("tác giả", ("text",)),
        ("người viết", ("text",)),
        ("thực hiện", ("text",)),
        ("phóng viên", ("text",)),
        ("hình ảnh", ("photo",)),
        ("nguồn ảnh", ("photo",)),
        ("ảnh", ("photo",)),
        ("video", ("video",)),
        ("clip", ("video",)),
        ("quay phim", ("video",)),
        ("nguồn", ("source",)),
        ("theo", ("source",)),
    )
    """Credit labels (lower case) and the roles they give. Composite labels
    (`Tin, ảnh`, `Bài và ảnh`, `Tin/ảnh`) combine these words."""
    source_words: tuple[str, ...] = ("theo", "nguồn")
    """Labels that may stand without a colon: `Theo Báo Lạng Sơn`."""
    unit_names: tuple[str, ...] = ()
    """Newsroom and office lines known on this site (credited as `unit`)."""
    unit_prefixes: tuple[str, ...] = (
        "Đài", "Phòng", "Văn phòng", "Trung tâm", "Ban", "UBND", "Ủy ban", "Uỷ ban", "Báo",
        "Cổng", "Hội", "Sở", "Trường", "Công an", "Đảng ủy", "Đảng uỷ", "Thành ủy", "Thành uỷ",
        "Huyện ủy", "Huyện uỷ", "Tỉnh ủy", "Tỉnh uỷ", "Thành đoàn", "Đoàn", "Mặt trận", "MTTQ",
        "Chi cục", "Cục", "BQL", "BCH", "Bộ Chỉ huy", "Ban Chỉ huy", "HĐND", "Kho bạc", "BHXH",
        "Bảo hiểm", "Bệnh viện", "Thư viện", "Bảo tàng", "Liên đoàn", "TTVH", "TTYT", "Đội",
    )
    """First words of an organisation line (a unit credit when it ends the body)."""
    fallback_encoding: str = "cp1258"
    """Encoding of undeclared pages that are not valid UTF-8 (Vietnamese Windows)."""

    # URL helpers ----------------------------------------------------------
    def absolute(self, path: str) -> str:
        return urljoin(self.base_url, path)

    @property
    def home_url(self) -> str:
        return self.absolute(self.home_path)

    def with_base_url(self, base_url: str) -> "SiteProfile":
        """The same site served elsewhere (the offline mirror, a staging copy)."""
        from dataclasses import replace

        if not base_url.endswith("/"):
            base_url += "/"
        return replace(self, base_url=base_url)

    def relative_path(self, url: str) -> str | None:
        """The part of `url` after base_url's path, or None if it is off-site."""
        parts = urlsplit(url)
        base = urlsplit(self.base_url)
        if parts.netloc.lower() != base.netloc.lower():
            return None
        if not parts.path.startswith(base.path):
            return None
        rest = parts.path[len(base.path):]
        return rest + ("?" + parts.query if parts.query else "")

    def site_path(self, url: str) -> str | None:
        """Like relative_path but ignoring the host: the same page of the site
        wherever it is served (live, mirror, another port)."""
        parts = urlsplit(url)
        base_path = urlsplit(self.base_url).path
        if not parts.path.startswith(base_path):
            return None
        rest = parts.path[len(base_path):]
        return rest + ("?" + parts.query if parts.query else "")

    def is_inside(self, url: str) -> bool:
        return self.relative_path(url) is not None

    def is_excluded(self, url: str) -> bool:
        rest = self.relative_path(url)
        if rest is None:
            return True
        return any(re.search(p, rest) for p in self.excluded_path_patterns)

    def is_media(self, url: str) -> bool:
        rest = self.relative_path(url)
        return rest is not None and rest.startswith(self.media_path_prefix)
