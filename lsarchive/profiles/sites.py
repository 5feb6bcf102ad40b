"""The registry of sites: which profile reads which page.

A `Site` is one sub-site of the province portal with its profile versions,
oldest first (Fundus's publisher registry with dated parser versions). A new
sibling sub-site is a profile module listed in `REGISTERED` plus its gold
pages in tests/gold/<site>/<version>/ (docs/adding-a-site.md); nothing else
in the code names a site.

Pages are matched to sites by URL: the registered site whose base URL is the
longest prefix of the page's; any other sub-site of the province host is
read with the generic Drupal 7 profile under the name of its first path
segment (`http://www.langson.gov.vn/bqlkkt/node/5` → site `bqlkkt`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit

from . import caoloc, sotttt, tpls
from .base import SiteProfile
from .drupal7 import DRUPAL7, PROVINCE_HOSTS, PROVINCE_URL


@dataclass(frozen=True)
class Site:
    name: str
    """The archive's `site` value, the spider's `-a site=`, `--site`."""
    versions: tuple[SiteProfile, ...]
    """Profile versions, oldest first; the last is the current markup."""
    registered: bool = True
    """False for a sub-site read with the generic profile."""

    @property
    def current(self) -> SiteProfile:
        return self.versions[-1]

    @property
    def base_url(self) -> str:
        return self.current.base_url

    @property
    def title(self) -> str:
        return self.current.site_name

    def profile_at(self, when: date | datetime | str | None) -> SiteProfile:
        """The version whose markup was served on `when` (the current one if None)."""
        day = _day(when)
        if day is None:
            return self.current
        for profile in self.versions:
            if profile.valid_until is None or day < profile.valid_until:
                return profile
        return self.current

    def version(self, name: str) -> SiteProfile:
        for profile in self.versions:
            if profile.version == name:
                return profile
        known = ", ".join(p.version for p in self.versions)
        raise KeyError(f"site {self.name!r} has no profile version {name!r} (known: {known})")

    def with_base_url(self, base_url: str) -> "Site":
        """The same site served elsewhere (a staging copy, a local mirror)."""
        return replace(self, versions=tuple(p.with_base_url(base_url) for p in self.versions))


def _day(when: date | datetime | str | None) -> date | None:
    if when is None or when == "":
        return None
    if isinstance(when, str):
        return date.fromisoformat(when[:10])
    if isinstance(when, datetime):
        return when.date()
    return when


REGISTERED: dict[str, Site] = {
    site.name: site for site in (
        Site("tpls", tpls.VERSIONS),
        Site("sotttt", sotttt.VERSIONS),
        Site("caoloc", caoloc.VERSIONS),
    )
}
"""Every site with a profile of its own, by name."""

GENERIC = Site("drupal7", (DRUPAL7,), registered=False)
"""The generic Drupal 7 profile, as a site for `evaluate --site drupal7`."""


def registered_site(name: str) -> Site:
    try:
        return REGISTERED[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r} (known: {', '.join(REGISTERED)})") from None


def generic_site(name: str, base_url: str) -> Site:
    """A sub-site no profile describes, read with the generic Drupal 7 profile."""
    return Site(name, (DRUPAL7.with_base_url(base_url),), registered=False)


def site_for_url(url: str, sites: dict[str, Site] | None = None) -> Site | None:
    """The site a page belongs to: the most specific registered base URL,
    else the province sub-site its first path segment names; None when the
    URL is neither (another host)."""
    sites = REGISTERED if sites is None else sites
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    best, best_score = None, (-1, -1)
    for site in sites.values():
        base = urlsplit(site.base_url)
        if not parts.path.startswith(base.path):
            continue
        # The host must match, except for a site served elsewhere under the
        # same path (old captures of a local mirror): a same-host match wins.
        score = (int(host == (base.hostname or "").lower()), len(base.path))
        if score > best_score:
            best, best_score = site, score
    if best is not None and (best_score[0] or host not in PROVINCE_HOSTS):
        return best
    segment = parts.path.strip("/").split("/", 1)[0]
    if host in PROVINCE_HOSTS and segment and "." not in segment:
        return generic_site(segment, f"{PROVINCE_URL}{segment}/")
    return best


def profile_for(url: str, captured_at: date | datetime | str | None = None) -> SiteProfile | None:
    """The profile that reads the page at `url` as captured on `captured_at`."""
    site = site_for_url(url)
    return site.profile_at(captured_at) if site else None
