"""The news portal of the People's Committee of Lạng Sơn city (Drupal 7)."""

from dataclasses import replace
from datetime import date

from .base import SiteProfile

TPLS = SiteProfile(
    name="tpls",
    version="2019",
    site_name="Trang thông tin điện tử UBND thành phố Lạng Sơn",
    base_url="http://www.langson.gov.vn/tpls/",
    home_path="home",
    section_paths=(
        ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
        ("Chính trị", "chinh-tri"),
        ("Kinh tế", "kinh-te"),
        ("Văn hóa - Xã hội", "van-hoa-xa-hoi"),
        ("Quốc phòng - An ninh", "quoc-phong-an-ninh"),
        ("Thông báo", "thong-bao"),
    ),
    unit_names=(
        "Đài TT-TH TPLS",
        "Đài TT-TH thành phố",
        "Đài Truyền thanh - Truyền hình thành phố",
        "Văn phòng HĐND và UBND thành phố",
        "Phòng Văn hóa và Thông tin thành phố",
    ),
)
"""The theme since the 2019 redesign (the live site's markup in 2025)."""

TPLS_2012 = replace(
    TPLS,
    version="2012",
    valid_until=date(2019, 1, 1),
    home_path="",
    menu_link_css="ul#menu-chinh a",
    listing_teaser_link_css="table.news-list td.news-item a.news-link",
    teaser_css="table.news-list td.news-item",
    title_css=("div.news-detail h2.news-title",),
    node_css="div.news-detail",
    body_css=("div.news-detail div.news-content",),
    submitted_css=("div.news-date",),
    date_machine_css=(),
    date_excluded_css="#comments, .comment, .news-content, .tin-khac",
    breadcrumb_css=("div.duongdan a",),
    body_skip_classes=TPLS.body_skip_classes + ("tin-khac",),
)
"""The table-based theme of 2012-2018: `Cập nhật: dd/mm/yyyy HH:MM`, no machine date."""

VERSIONS = (TPLS_2012, TPLS)
"""Oldest first; each version's `valid_until` is the next one's first day."""
