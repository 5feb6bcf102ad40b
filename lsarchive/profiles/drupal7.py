"""The generic profile of a langson.gov.vn sub-site that has no profile of its own.

The province's departments, districts and boards run sub-sites on the same
Drupal 7 platform (`http://www.langson.gov.vn/<sub-site>/`). SiteProfile's
defaults describe that platform's conventions (Drupal's node, field and
Views classes, its pager, the portal family's Vietnamese date lines, caption
and credit habits); where a theme departs from them, extraction falls back
on rules that hold for any news page.
"""

from .base import SiteProfile

PROVINCE_HOSTS = ("www.langson.gov.vn", "langson.gov.vn")
PROVINCE_URL = "http://www.langson.gov.vn/"

DRUPAL7 = SiteProfile(
    name="drupal7",
    site_name="Sub-site of the Lạng Sơn province portal",
    base_url=PROVINCE_URL,
    version="2009",
    home_path="",  # the sub-site's root: Drupal's front page, whatever the theme
)
