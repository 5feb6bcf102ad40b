"""Site profiles: everything that is specific to one portal.

A profile names where things are on a site (selectors), which URLs are what
(patterns) and how dates are written. Extraction and crawling read the
profile and nothing else about the site, so a sibling sub-site of the
province portal is a new profile, not a fork of the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    article_path_patterns: tuple[str, ...] = (r"node/(\d+)$",)
    """Regexes (on the path relative to base_url) of article URLs. Aliases are
    recognised from listings, not from their shape."""
    excluded_path_patterns: tuple[str, ...] = (
        r"^(user|admin|search|node/add|filter|comment)(/|$)",
        r"\?q=",
    )
    media_path_prefix: str = "sites/"
    crawl_delay_default: float = 10.0
    """Seconds between requests when robots.txt gives no Crawl-delay."""

    # Extraction -----------------------------------------------------------
    title_css: tuple[str, ...] = ("h1#page-title", "h1.title", "h1.node-title", "h2.node-title")
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
    date_visible_re: str = (
        r"(?:(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ\s+[Nn]hật)\s*,\s*)?"
        r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*-\s*(\d{1,2}):(\d{2}))?"
    )
    """The visible date line: Vietnamese weekday, dd/mm/yyyy, 24 h clock."""
    utc_offset: str = "+07:00"
    breadcrumb_link_css: str = "div.breadcrumb a"
    shortlink_css: str = 'link[rel="shortlink"]'
    canonical_css: str = 'link[rel="canonical"]'
    related_block_headings: tuple[str, ...] = (
        "các tin khác",
        "tin khác",
        "tin liên quan",
        "bài viết liên quan",
        "các tin đã đưa",
        "xem thêm",
    )
    attachment_extensions: tuple[str, ...] = (
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar",
    )
    unit_names: tuple[str, ...] = ()
    """Newsroom and office lines known on this site (credited as `unit`)."""
    extra: dict = field(default_factory=dict)

    # URL helpers ----------------------------------------------------------
    def absolute(self, path: str) -> str:
        return urljoin(self.base_url, path)

    @property
    def home_url(self) -> str:
        return self.absolute(self.home_path)

    @property
    def path_prefix(self) -> str:
        return urlsplit(self.base_url).path

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

    def is_inside(self, url: str) -> bool:
        return self.relative_path(url) is not None

    def is_excluded(self, url: str) -> bool:
        rest = self.relative_path(url)
        if rest is None:
            return True
        return any(re.search(p, rest) for p in self.excluded_path_patterns)

    def node_id_from_url(self, url: str) -> int | None:
        rest = self.relative_path(url)
        if rest is None:
            return None
        for pattern in self.article_path_patterns:
            match = re.search(pattern, rest.split("?")[0])
            if match:
                return int(match.group(1))
        return None

    def is_media(self, url: str) -> bool:
        rest = self.relative_path(url)
        return rest is not None and rest.startswith(self.media_path_prefix)
