"""The People's Committee of Cao Lộc district (UBND huyện Cao Lộc): a
Bootstrap portal theme on Drupal 7 since 2016."""

from .base import SiteProfile

# Its date line writes the weekday in lower case: "Thứ hai, 14/11/2016 | 10:56".
_WEEKDAY = r"(?:[Tt]hứ\s*(?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy|[2-7])|[Cc]hủ\s*[Nn]hật)"

CAOLOC = SiteProfile(
    name="caoloc",
    version="2016",
    site_name="UBND huyện Cao Lộc",
    base_url="http://www.langson.gov.vn/caoloc/",
    home_path="",
    section_paths=(
        ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
        ("Kinh tế - Xã hội", "kinh-te-xa-hoi"),
        ("Quốc phòng - An ninh", "quoc-phong-an-ninh"),
        ("Thông báo", "thong-bao"),
    ),
    menu_link_css="ul#nice-menu-1 a",
    listing_teaser_link_css="ul.list-news li.item h4.news-title a",
    teaser_css="ul.list-news li.item",
    title_css=("h1.title-detail",),
    body_css=("div.content-detail div.field-name-body div.field-item",),
    submitted_css=("div.post-date",),
    date_machine_css=('meta[property="article:published_time"][content]',),
    date_visible_patterns=(
        rf"(?:{_WEEKDAY}\s*,?\s*)?(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})"
        r"(?:\s*\|\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    ),
    breadcrumb_css=("div.breadcrumb-wrap div.breadcrumb a",),
    body_skip_classes=SiteProfile.body_skip_classes + ("other-news", "share-tools"),
    unit_names=("Văn phòng HĐND và UBND huyện", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện Cao Lộc"),
)

VERSIONS = (CAOLOC,)
