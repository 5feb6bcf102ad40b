"""The news portal of the People's Committee of Lạng Sơn city (Drupal 7)."""

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

VERSIONS = (TPLS,)
"""Oldest first; each version's `valid_until` is the next one's first day."""
