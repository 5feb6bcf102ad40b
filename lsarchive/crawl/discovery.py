"""Sections and article links on a theme no profile describes.

A sub-site read with the generic Drupal 7 profile may have a menu and
listings that Drupal's default classes do not name. When the profile's
selectors find nothing, these rules still find the way:

- sections: the links of the page's menus (`nav`, anything whose id or
  class says menu or nav);
- article links on a listing: links whose text reads like a headline (five
  words or more) outside menus, headers, footers, breadcrumbs and pagers.

They are fallbacks: where a profile's selectors match, they are not used.
"""

from __future__ import annotations

from scrapy.http import Response

from ..profiles import SiteProfile

MENU_LINKS = "nav a, [id*='menu'] a, [class*='menu'] a, [id*='nav'] a, [class*='nav'] a"
NAVIGATION = ("ancestor-or-self::*[self::nav or self::header or self::footer"
              " or contains(@id, 'menu') or contains(@class, 'menu')"
              " or contains(@id, 'nav') or contains(@class, 'nav')"
              " or contains(@class, 'breadcrumb') or contains(@class, 'pager')"
              " or contains(@id, 'footer') or contains(@class, 'footer')]")
HEADLINE_WORDS = 5
"""News headlines of the portal family run to 8-20 words; menu items to 1-4."""


def link_text(anchor) -> str:
    return " ".join(" ".join(anchor.css("::text").getall()).split())


def menu_links(response: Response) -> list[tuple[str, str]]:
    """(text, absolute URL) of every link in the page's menus."""
    return [(link_text(a), response.urljoin(a.attrib.get("href", ""))) for a in response.css(MENU_LINKS)
            if a.attrib.get("href")]


def headline_links(response: Response, profile: SiteProfile, skip: set[str]) -> list[str]:
    """Links that read like headlines, in page order, once each: a listing's articles."""
    found: dict[str, None] = {}
    for anchor in response.css("a[href]"):
        if len(link_text(anchor).split()) < HEADLINE_WORDS or anchor.xpath(NAVIGATION):
            continue
        url = response.urljoin(anchor.attrib["href"]).split("#")[0]
        rest = profile.relative_path(url)
        if rest is None or url in skip or profile.is_excluded(url) or profile.is_media(url) \
                or "page=" in rest or rest.strip("/") in ("", profile.home_path):
            continue
        found[url] = None
    return list(found)
