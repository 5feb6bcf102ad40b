"""The portal spider: fetches a Drupal news portal and yields its pages.

The spider only fetches and classifies. Extraction and storage are item
pipelines, so the same stages run on pages read back from WARC captures.
Everything site-specific comes from the sites' profiles: `scrapy crawl
portal -a site=tpls,sotttt` (or `-a site=all`) walks several sub-sites in one
run, sharing their host's politeness budget (crawl/targets.py).

Incremental by default, on what the archive can prove (store/coverage.py):
a section's pager is followed until a page lists only links that a completed
earlier walk of that section already vouched for; a section never walked to
its end is walked whole. Every article link seen on a listing but not
archived, and every image or attachment of an archived article whose bytes
are not stored, is asked for again, whatever happened to earlier runs.
`full` walks every listing page; `refresh` also asks for every archived
article again with conditional requests (304 if unchanged).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from functools import cached_property
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from ..clock import utc_now
from ..profiles import SiteProfile
from . import discovery
from .guards import PagerBounds, failure_reason
from .items import ARTICLE, HOME, LISTING, MEDIA, PageItem
from .targets import SiteState, archive_state_path, crawl_label, resolve_sites, route

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


def as_bool(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


class PortalSpider(scrapy.Spider):
    """Home page → sections → listing pages → articles (→ their media), for
    each site of the run. The spider's name is its sites, sorted and joined
    (`tpls`, `caoloc,sotttt,tpls`): the archive's run and job state use it."""

    name = "portal"
    default_site = "tpls"

    def __init__(self, *args, site: str | None = None, site_url: str | None = None, full=False,
                 refresh=False, media=True, **kwargs):
        sites = resolve_sites(site or self.default_site, site_url)
        kwargs.setdefault("name", crawl_label(sites))
        super().__init__(*args, **kwargs)
        self.sites: dict[str, SiteState] = {name: SiteState(s) for name, s in sites.items()}
        self.profile: SiteProfile = next(iter(self.sites.values())).profile
        """The first site's profile: what a single-site crawl's helpers read."""
        self.full = as_bool(full)
        self.refresh = as_bool(refresh)
        self.fetch_media = as_bool(media)
        self.expected_articles = 0
        self.crawl_delay: float | None = None
        self.section_urls: dict[str, str] = {}
        """Every section found so far (URL → name): never taken for an article."""

    @property
    def base_urls(self) -> list[str]:
        return [state.profile.base_url for state in self.sites.values()]

    def site_of(self, url: str) -> SiteState | None:
        return route(self.sites, url)

    def profile_of(self, url: str) -> SiteProfile:
        """The profile of the crawl's site that `url` belongs to (the first site's otherwise)."""
        state = self.site_of(url)
        return state.profile if state else self.profile

    # Settings that depend on the target -----------------------------------
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        kwargs = cls._site_arguments(settings, kwargs)
        kwargs.setdefault("full", settings.getbool("LSARCHIVE_FULL"))
        kwargs.setdefault("refresh", settings.getbool("LSARCHIVE_REFRESH"))
        kwargs.setdefault("media", settings.getbool("LSARCHIVE_MEDIA", True))
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Through the mirror as a proxy, the target is on this machine.
        target = settings.get("LSARCHIVE_PROXY") or spider.profile.base_url
        spider.polite = cls._configure_politeness(settings, target)
        if not settings.get("LSARCHIVE_SITE_URL"):
            settings.set("LSARCHIVE_SITE_URL", spider.profile.base_url, priority="spider")
        return spider

    @staticmethod
    def _site_arguments(settings, kwargs: dict) -> dict:
        """The spider's arguments (-a), the sites' settings filling in what they leave out."""
        kwargs = {**kwargs}
        kwargs.setdefault("site_url", settings.get("LSARCHIVE_SITE_URL"))
        if settings.get("LSARCHIVE_SITES"):
            kwargs.setdefault("site", settings.get("LSARCHIVE_SITES"))
        return kwargs

    @classmethod
    def check_sites(cls, settings, spider_arguments: dict) -> None:
        """Raise UnknownSite where constructing the spider with these arguments
        would: `scrapy crawl` (crawl/commands/crawl.py) asks before Scrapy starts."""
        kwargs = cls._site_arguments(settings, spider_arguments)
        resolve_sites(kwargs.get("site") or cls.default_site, kwargs.get("site_url"))

    @staticmethod
    def _configure_politeness(settings, base_url: str) -> bool:
        """Decide politeness for this target, before Scrapy freezes the settings."""
        mode = str(settings.get("LSARCHIVE_POLITENESS", "auto")).lower()
        polite = mode == "on" or (mode == "auto" and not is_loopback(base_url))
        if not polite:
            if not is_loopback(base_url):
                logger.warning(
                    "Politeness is off for %s: no Crawl-delay, no AutoThrottle. "
                    "Use this only with the site owner's consent.", base_url,
                )
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="spider")
        elif settings.get("LSARCHIVE_CRAWL_DELAY") is not None:
            delay = float(settings.get("LSARCHIVE_CRAWL_DELAY")) + settings.getfloat("LSARCHIVE_DELAY_MARGIN")
            settings.set("DOWNLOAD_DELAY", delay, priority="spider")
            settings.set("AUTOTHROTTLE_START_DELAY", delay, priority="spider")
        contact = settings.get("LSARCHIVE_CONTACT_URL")
        user_agent = settings.get("USER_AGENT", "")
        if contact and contact not in user_agent and user_agent.startswith("lsarchive/"):
            settings.set("USER_AGENT", user_agent.split(" (+")[0] + f" (+{contact})", priority="spider")
        return polite

    @property
    def allowed_domains(self) -> list[str]:  # read by Scrapy's OffsiteMiddleware
        return sorted({urlsplit(url).hostname or "" for url in self.base_urls})

    # What the archive already holds ---------------------------------------
    def load_archive_state(self) -> None:
        """Read what the archive proves of each site: archived articles, the
        article links and section walks of earlier runs, stored media (checked
        on disk)."""
        from ..store.archive import Archive

        path, media_dir = archive_state_path(self.settings)
        if not path.exists():
            return
        with Archive(path, readonly=True) as archive:
            stored_media = archive.stored_media(media_dir)
            failed_media = archive.failed_media_urls()
            for state in self.sites.values():
                state.load(archive, stored_media, failed_media, full=self.full)

    # Crawl -----------------------------------------------------------------
    async def start(self):
        self.load_archive_state()
        for state in self.sites.values():
            logger.info("%s: archive holds %d articles; %d article links and %d media owed; "
                        "%d sections walked before; refresh=%s", state.name,
                        len(state.known_articles), len(state.owed_articles), len(state.owed_media),
                        len(state.section_coverage), self.refresh)
        for state in self.sites.values():
            for request in self.start_requests_of(state):
                yield request

    def start_requests_of(self, state: SiteState):
        profile = state.profile
        yield scrapy.Request(profile.home_url, callback=self.parse_home,
                             errback=self.on_error, dont_filter=True)
        if self.refresh:
            for url, etag, last_modified in state.to_refresh:
                yield self.conditional_request(profile, url, etag, last_modified)
        # Seen on a listing, never archived (a killed or failed run, a fetch
        # error): asked for again, even if a job state says it was requested.
        for url in state.owed_articles:
            yield scrapy.Request(profile.absolute(profile.site_path(url)), callback=self.parse_article,
                                 errback=self.on_error, dont_filter=True)
        if self.fetch_media:
            for url in state.owed_media:
                for request in self.media_request(profile.absolute(profile.site_path(url)), owed=True):
                    yield request

    def conditional_request(self, profile: SiteProfile, url: str, etag: str | None, last_modified: str | None):
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        url = profile.absolute(profile.site_path(url) or url)
        return scrapy.Request(
            url, headers=headers, callback=self.parse_article, errback=self.on_error,
            dont_filter=True, meta={"handle_httpstatus_list": [304]},
        )

    def page_item(self, response: Response, kind: str, section: str | None = None) -> PageItem:
        headers = {
            key.decode("latin-1"): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()
        }
        warc = response.meta.get("warc") or {}
        capture_error = response.meta.get("capture_error")  # set by WarcCaptureMiddleware
        state = self.site_of(response.url)
        return PageItem(
            url=response.url, status=response.status, kind=kind, body=response.body,
            site=state.name if state else self.name,
            headers=headers, fetched_at=warc.get("date") or utc_now(), section=section,
            warc=warc, error=("capture", capture_error) if capture_error else None,
        )

    def parse_home(self, response: Response):
        yield self.page_item(response, HOME)
        for name, url in self.find_sections(response):
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 cb_kwargs={"section": name})

    def find_sections(self, response: Response) -> list[tuple[str, str]]:
        """The profile's known sections, then any other section in the menu."""
        profile = self.profile_of(response.url)
        found: dict[str, str] = {}
        for name, path in profile.section_paths:
            found[profile.absolute(path)] = name
        menu = [(discovery.link_text(a), response.urljoin(a.attrib.get("href", "")))
                for a in response.css(profile.menu_link_css)]
        if not any(self.is_section_candidate(profile, url) for _, url in menu):
            # A theme the profile does not describe: its menus, wherever they are.
            menu = discovery.menu_links(response)
            self.crawler.stats.inc_value("lsarchive/fallbacks/menu")
        for name, url in menu:
            if url not in found and self.is_section_candidate(profile, url):
                found[url] = name
        self.section_urls.update(found)
        return [(name, url) for url, name in found.items()]

    @staticmethod
    def is_section_candidate(profile: SiteProfile, url: str) -> bool:
        rest = profile.relative_path(url)
        if rest is None or profile.is_excluded(url) or profile.is_media(url):
            return False
        home = profile.home_path
        return rest.split("?")[0] not in ("", home, home + "/")

    def parse_listing(self, response: Response, section: str):
        state = self.site_of(response.url)
        if state is None:  # a redirect the scope guard let through: not ours to walk
            return
        profile = state.profile
        teasers = response.css(profile.listing_teaser_link_css)
        if teasers:
            article_urls = [
                url for url in (response.urljoin(a.attrib.get("href", "")) for a in teasers)
                if profile.is_inside(url) and not profile.is_excluded(url)
            ]
        else:  # a theme the profile does not describe: the links that read like headlines
            article_urls = discovery.headline_links(response, profile, set(self.section_urls))
            self.crawler.stats.inc_value("lsarchive/fallbacks/listing", bool(article_urls))
        page = self.page_number(response.url)
        if page == 0:
            self.expected_articles += self.estimate_section_size(response, profile, len(article_urls))
        links = [(profile.site_path(url), url) for url in article_urls]
        next_page = response.css(profile.pager_next_css)
        vouched = self.vouched_for(state, response.url.split("?")[0], links)
        item = self.page_item(response, LISTING, section)
        item.listing = {"section_url": response.url.split("?")[0], "links": links,
                        "starts_walk": page == 0, "ends_walk": vouched or not next_page}
        yield item
        for path, url in links:
            # Stored articles are refreshed (or not) by the archive's rule; owed
            # ones are asked for at the start. Scrapy's duplicate filter drops
            # the links that other listings of this run already asked for.
            if path in state.known_articles or path in state.owed_paths:
                continue
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                 cb_kwargs={"section": section})
        if vouched:
            logger.info("%s: page %d lists only links an earlier complete walk vouched for; stopping here",
                        section, page)
            return
        if next_page and not self.pager_stops(response, profile, section, article_urls, next_page[0]):
            yield response.follow(next_page[0], callback=self.parse_listing, errback=self.on_error,
                                  cb_kwargs={"section": section})

    @cached_property
    def pager_bounds(self) -> PagerBounds:
        return PagerBounds(self.settings.getint("LSARCHIVE_MAX_LISTING_PAGES", 1000),
                           self.settings.getint("LSARCHIVE_PAGER_STALE_PAGES", 3))

    def pager_stops(self, response: Response, profile: SiteProfile, section: str, article_urls: list[str],
                    next_link) -> bool:
        """Whether a pager trap ends here: see PagerBounds."""
        last = response.css(profile.pager_last_css)
        last_url = response.urljoin(last[0].attrib.get("href", "")) if last else None
        announced_last = self.page_number(last_url) if last_url and profile.is_inside(last_url) else None
        why = self.pager_bounds.why_stop(
            # Sections are told apart by URL: two sites may both have "Tin tức".
            response.url.split("?")[0], self.page_number(response.url),
            self.page_number(response.urljoin(next_link.attrib.get("href", ""))), announced_last,
            article_urls,  # whole URLs: two sites may both have a node/5
        )
        if why:
            self.crawler.stats.inc_value("lsarchive/pagers_stopped")
            logger.info("%s: pager not followed after %s: %s", section, response.url, why)
        return why is not None

    @staticmethod
    def vouched_for(state: SiteState, section_url: str, links: list[tuple[str, str]]) -> bool:
        """Did a completed earlier walk of this section already see every link here?"""
        covered = state.section_coverage.get(section_url)
        if covered is None or not links:
            return False
        return all(state.link_numbers.get(path, covered + 1) <= covered for path, _ in links)

    @staticmethod
    def page_number(url: str) -> int:
        values = parse_qs(urlsplit(url).query).get("page", ["0"])
        return int(values[0]) if values[0].isdigit() else 0

    @staticmethod
    def estimate_section_size(response: Response, profile: SiteProfile, per_page: int) -> int:
        """Teasers per page × pages, from the pager's "last" link."""
        last = response.css(profile.pager_last_css)
        if not last:
            return per_page
        match = re.search(r"page=(\d+)", last[0].attrib.get("href", ""))
        return per_page * (int(match.group(1)) + 1) if match else per_page

    def parse_article(self, response: Response, section: str | None = None):
        yield self.page_item(response, ARTICLE, section)
        if self.fetch_media and response.status == 200:
            yield from self.media_requests(response)

    def media_requests(self, response: Response):
        """Images and attached documents of the article body, once each."""
        profile = self.profile_of(response.url)
        body = response.css(profile.body_css[0]) or response
        urls = body.css("img::attr(src)").getall() + [
            href for href in body.css("a::attr(href)").getall()
            if self.is_attachment(href)
        ]
        for src in urls:
            yield from self.media_request(response.urljoin(src.strip()))

    def media_request(self, url: str, owed: bool = False):
        """A request for one media file, unless it is stored or owed (asked for
        at the start); Scrapy's duplicate filter drops the repeats of this run."""
        state = self.site_of(url)
        if state is None or not url.startswith("http"):
            return  # outside every site of the crawl
        path = state.profile.site_path(url)
        if path in state.known_media:
            return
        if path in state.owed_paths and not owed:
            return
        yield scrapy.Request(url, callback=self.parse_media, errback=self.on_media_error, priority=-1,
                             dont_filter=owed)

    def is_attachment(self, href: str) -> bool:
        path = urlsplit(href).path.lower()
        return path.rsplit(".", 1)[-1] in self.profile.attachment_extensions

    def parse_media(self, response: Response):
        item = self.page_item(response, MEDIA)
        # Recorded under the URL the article links to, which is how the
        # archive knows it is stored, even when the server redirected.
        item.url = response.meta.get("redirect_urls", [response.url])[0]
        yield item

    def on_media_error(self, failure):
        """A media file that could not be fetched: recorded, retried next run."""
        self.crawler.stats.inc_value("lsarchive/media_errors")
        response = getattr(failure.value, "response", None)
        state = self.site_of(failure.request.url)
        yield PageItem(
            url=failure.request.url, status=response.status if response is not None else 0,
            kind=MEDIA, body=b"", fetched_at=utc_now(), site=state.name if state else self.name,
            error=failure_reason(failure),
        )

    def on_error(self, failure):
        """A page that failed for good (after retries): recorded by the pipelines,
        under the URL the crawl asked for (the first of a redirect chain)."""
        request = failure.request
        response = getattr(failure.value, "response", None)
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        kind = PAGE_KINDS.get(getattr(request.callback, "__name__", ""), ARTICLE)
        if kind == ARTICLE:
            self.pager_bounds.note_failure(url)
        state = self.site_of(url)
        yield PageItem(
            url=url, site=state.name if state else self.name,
            status=response.status if response is not None else 0,
            kind=kind,
            body=response.body if response is not None else b"",
            fetched_at=utc_now(), section=request.cb_kwargs.get("section"),
            error=failure_reason(failure), warc=request.meta.get("warc") or {},
        )


PAGE_KINDS = {"parse_home": HOME, "parse_listing": LISTING, "parse_article": ARTICLE}


def can_reach(url: str, timeout: float = 5.0) -> str | None:
    """None if a TCP connection to url's host can be made, else why not."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"cannot reach {parts.hostname}:{port} ({exc.strerror or exc})"
