"""The site profiles lsarchive knows, by name, and the registry of sites."""

from __future__ import annotations

from .base import SiteProfile
from .drupal7 import DRUPAL7
from .sites import GENERIC, REGISTERED, Site, generic_site, profile_for, registered_site, site_for_url
from .tpls import TPLS

PROFILES: dict[str, SiteProfile] = {name: site.current for name, site in REGISTERED.items()}
"""The current profile of each registered site."""
DEFAULT_PROFILE = TPLS


def get_profile(name: str = DEFAULT_PROFILE.name, base_url: str | None = None) -> SiteProfile:
    """The current profile of a registered site (served at `base_url` if given)."""
    try:
        profile = PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown site profile {name!r} (known: {', '.join(PROFILES)})") from None
    return profile.with_base_url(base_url) if base_url else profile


__all__ = [
    "SiteProfile", "PROFILES", "DEFAULT_PROFILE", "get_profile", "TPLS", "DRUPAL7", "Site", "GENERIC",
    "REGISTERED", "generic_site", "profile_for", "registered_site", "site_for_url",
]
