"""The portal spider: fetches a Drupal news portal and yields its pages.

The spider only fetches and classifies. Extraction and storage are item
pipelines, so the same stages run on pages read back from WARC captures.
Everything site-specific comes from a SiteProfile; spiders/ binds profiles
to names (`scrapy crawl tpls`).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from ..profiles import SiteProfile
from .items import ARTICLE, HOME, LISTING, PageItem

logger = logging.getLogger(__name__)


def is_loopback(url: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the offline mirror's hosts."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class PortalSpider(scrapy.Spider):
    """Home page → sections → every listing page → every article."""

    profile: SiteProfile  # set by subclasses in spiders/

    def __init__(self, *args, site_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if site_url:
            self.profile = self.profile.with_base_url(site_url)
        self.sections_seen: dict[str, str] = {}

    # Settings that depend on the target -----------------------------------
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        site_url = kwargs.get("site_url") or crawler.settings.get("LSARCHIVE_SITE_URL")
        if site_url:
            kwargs["site_url"] = site_url
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.polite = cls._configure_politeness(crawler.settings, spider.profile.base_url)
        return spider

    @staticmethod
    def _configure_politeness(settings, base_url: str) -> bool:
        """Decide politeness for this target, before Scrapy freezes the settings."""
        mode = str(settings.get("LSARCHIVE_POLITENESS", "auto")).lower()
        polite = mode == "on" or (mode == "auto" and not is_loopback(base_url))
        if not polite:
            if not is_loopback(base_url):
                logger.warning(
                    "Politeness is off for %s: no Crawl-delay, no AutoThrottle. "
                    "Use this only with the site owner's consent.",
                    base_url,
                )
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="spider")
        contact = settings.get("LSARCHIVE_CONTACT_URL")
        user_agent = settings.get("USER_AGENT", "")
        if contact and contact not in user_agent and user_agent.startswith("lsarchive/"):
            settings.set("USER_AGENT", user_agent.split(" (+")[0] + f" (+{contact})", priority="spider")
        return polite

    # Crawl -----------------------------------------------------------------
    @property
    def allowed_domains(self) -> list[str]:  # read by Scrapy's OffsiteMiddleware
        return [urlsplit(self.profile.base_url).hostname or ""]

    async def start(self):
        yield scrapy.Request(self.profile.home_url, callback=self.parse_home, errback=self.on_error)

    def page_item(self, response: Response, kind: str, section: str | None = None) -> PageItem:
        headers = {
            key.decode("latin-1"): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()
        }
        return PageItem(
            url=response.url,
            status=response.status,
            kind=kind,
            body=response.body,
            headers=headers,
            fetched_at=utc_now(),
            section=section,
        )

    def parse_home(self, response: Response):
        yield self.page_item(response, HOME)
        for name, url in self.find_sections(response):
            yield response.follow(
                url, callback=self.parse_listing, errback=self.on_error,
                cb_kwargs={"section": name},
            )

    def find_sections(self, response: Response) -> list[tuple[str, str]]:
        """The profile's known sections, then any other section in the menu."""
        found: dict[str, str] = {}
        for name, path in self.profile.section_paths:
            found[self.profile.absolute(path)] = name
        for link in response.css(self.profile.menu_link_css):
            url = response.urljoin(link.attrib.get("href", ""))
            name = " ".join(link.css("::text").getall()).strip()
            if url not in found and self.is_section_candidate(url):
                found[url] = name
        self.sections_seen.update({url: name for url, name in found.items()})
        return [(name, url) for url, name in found.items()]

    def is_section_candidate(self, url: str) -> bool:
        rest = self.profile.relative_path(url)
        if rest is None or self.profile.is_excluded(url):
            return False
        home = self.profile.home_path
        return rest.split("?")[0] not in ("", home, home + "/") and not self.profile.is_media(url)

    def parse_listing(self, response: Response, section: str):
        yield self.page_item(response, LISTING, section)
        for link in response.css(self.profile.listing_teaser_link_css):
            url = response.urljoin(link.attrib.get("href", ""))
            if self.profile.is_inside(url) and not self.profile.is_excluded(url):
                yield scrapy.Request(
                    url, callback=self.parse_article, errback=self.on_error,
                    cb_kwargs={"section": section},
                )
        next_page = response.css(self.profile.pager_next_css)
        if next_page:
            yield response.follow(
                next_page[0], callback=self.parse_listing, errback=self.on_error,
                cb_kwargs={"section": section},
            )

    def parse_article(self, response: Response, section: str | None = None):
        yield self.page_item(response, ARTICLE, section)

    def on_error(self, failure):
        """A request that failed for good (after retries): count it, go on."""
        request = failure.request
        self.crawler.stats.inc_value("lsarchive/fetch_errors")
        logger.warning("Failed to fetch %s: %s", request.url, failure.getErrorMessage())


def can_reach(url: str, timeout: float = 5.0) -> str | None:
    """None if a TCP connection to url's host can be made, else why not."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"cannot reach {parts.hostname}:{port} ({exc.strerror or exc})"
