"""The Department of Information and Communications (Sở Thông tin và Truyền
thông tỉnh Lạng Sơn): a Zen-style HTML5 Drupal 7 theme since 2014."""

from .base import SiteProfile

SOTTTT = SiteProfile(
    name="sotttt",
    version="2014",
    site_name="Sở Thông tin và Truyền thông tỉnh Lạng Sơn",
    base_url="http://www.langson.gov.vn/sotttt/",
    home_path="",
    section_paths=(
        ("Tin hoạt động", "tin-hoat-dong"),
        ("Chuyển đổi số", "chuyen-doi-so"),
        ("Báo chí - Xuất bản", "bao-chi-xuat-ban"),
        ("Thông báo", "thong-bao"),
    ),
    menu_link_css="nav#main-menu a",
    listing_teaser_link_css="div.view-tin-bai article.teaser h3.teaser__title a",
    teaser_css="div.view-tin-bai article.teaser",
    title_css=("h1#page-title",),
    node_css="article.node",
    # The article text is a field of its own ("Nội dung"), not Drupal's body.
    body_css=("div.field-name-field-noi-dung div.field-item",),
    submitted_css=("p.submitted",),
    date_machine_css=("p.submitted time[datetime]",),
    date_excluded_css="#comments, .comment, .field-name-field-noi-dung",
    breadcrumb_css=("nav.breadcrumb a",),
    unit_names=("Trung tâm Công nghệ thông tin và Truyền thông", "Văn phòng Sở"),
)

VERSIONS = (SOTTTT,)
