"""The sites one crawl walks, and what the archive holds of each.

One crawl may walk several sub-sites of the province portal. They share one
spider, so they share Scrapy's download slot of their host: one Crawl-delay
and one AutoThrottle for the host, however many sites the run holds. Every
request is routed to its site by URL (the most specific base URL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..profiles import REGISTERED, Site, SiteProfile, generic_site, registered_site, site_for_url
from ..profiles.drupal7 import PROVINCE_URL

ALL = "all"


class UnknownSite(ValueError):
    """A site name that is neither registered nor a plausible sub-site path."""


def resolve_sites(names: str | list[str], site_url: str | None = None) -> dict[str, Site]:
    """Site names (comma-separated or a list; `all` = every registered site)
    → {name: Site}. A sub-site no profile describes is named by its base URL
    (http://www.langson.gov.vn/bqlkkt/) and read with the generic Drupal 7
    profile: a mistyped name is an error, not a crawl of a made-up site.
    `site_url` serves a single site elsewhere (a staging copy)."""
    wanted: list[str] = []
    for part in ([names] if isinstance(names, str) else names):
        for name in str(part).split(","):
            name = name.strip()
            if name == ALL:
                wanted += list(REGISTERED)
            elif name:
                wanted.append(name)
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        raise UnknownSite("no site named")
    sites: dict[str, Site] = {}
    for name in wanted:
        if name in REGISTERED:
            sites[name] = registered_site(name)
        elif name.startswith(("http://", "https://")):
            site = site_by_url(name)
            sites[site.name] = site
        else:
            raise UnknownSite(f"unknown site {name!r} (known: {', '.join(REGISTERED)}; a sub-site without "
                              f"a profile is named by its URL, e.g. {PROVINCE_URL}{name}/)")
    if site_url:
        if len(sites) > 1:
            raise UnknownSite("--site-url serves one site: name only one")
        name = next(iter(sites))
        sites[name] = sites[name].with_base_url(site_url)
    return sites


def site_by_url(url: str) -> Site:
    """The site a base URL names: registered, else read with the generic Drupal 7 profile."""
    if not url.endswith("/"):
        url += "/"
    site = site_for_url(url)
    if site is not None and (not site.registered or site.base_url == url):
        return site
    parts = urlsplit(url)
    name = parts.path.strip("/").rsplit("/", 1)[-1] or (parts.hostname or "site")
    return generic_site(name, url)


def crawl_label(sites: dict[str, Site]) -> str:
    """The run's `site` value and the job state's name: the sites, sorted."""
    return ",".join(sorted(sites))


def crawl_spec(sites: dict[str, Site]) -> str:
    """The sites again as `resolve_sites` reads them: a registered site by name,
    another by its base URL (what the spider is handed)."""
    return ",".join(name if site.registered else site.base_url for name, site in sites.items())


@dataclass
class SiteState:
    """One site of the crawl and what the archive proves it holds of it."""

    site: Site
    known_articles: set[str] = field(default_factory=set)
    known_media: set[str] = field(default_factory=set)
    owed_articles: list[str] = field(default_factory=list)
    owed_media: list[str] = field(default_factory=list)
    link_numbers: dict[str, int] = field(default_factory=dict)
    section_coverage: dict[str, int] = field(default_factory=dict)
    # Paths asked for with dont_filter=True (owed by the archive): Scrapy's
    # duplicate filter never sees those, so listings must not ask again.
    owed_paths: set[str] = field(default_factory=set)
    to_refresh: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.site.name

    @property
    def profile(self) -> SiteProfile:
        """Live pages are in the site's current markup."""
        return self.site.current

    def load(self, archive, stored_media: set[str], failed_media: list[str], *, full: bool) -> None:
        """Read what the archive proves of this site (see store/coverage.py)."""
        site_path = self.profile.site_path
        self.to_refresh = archive.articles_to_refresh(self.name)
        links = archive.article_links(self.name)
        self.section_coverage = {} if full else archive.section_coverage(self.name)
        self.known_articles = {site_path(url) for url, _, _ in self.to_refresh}
        self.link_numbers = {path: number for path, (number, _) in links.items()}
        self.owed_articles = [url for path, (_, url) in sorted(links.items(), key=lambda kv: kv[1][0])
                              if path not in self.known_articles]
        self.owed_paths = {site_path(url) for url in self.owed_articles}
        self.known_media = {path for path in map(site_path, stored_media) if path is not None}
        media_urls = archive.article_media_urls(self.name) + failed_media
        self.owed_media = list(dict.fromkeys(
            url for url in media_urls if site_path(url) is not None and site_path(url) not in self.known_media))
        self.owed_paths |= {site_path(url) for url in self.owed_media}


def route(states: dict[str, SiteState], url: str) -> SiteState | None:
    """The crawl's site that `url` belongs to: the longest base path holding it."""
    best, best_length = None, -1
    for state in states.values():
        if state.profile.relative_path(url) is None:
            continue
        length = len(urlsplit(state.profile.base_url).path)
        if length > best_length:
            best, best_length = state, length
    return best


def archive_state_path(settings) -> tuple[Path, Path]:
    db = Path(settings.get("LSARCHIVE_DB", "archive.db"))
    return db, Path(settings.get("LSARCHIVE_MEDIA_DIR") or db.parent / "media")
