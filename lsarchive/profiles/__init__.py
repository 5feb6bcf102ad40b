"""The site profiles lsarchive knows, by name."""

from __future__ import annotations

from .base import SiteProfile
from .tpls import TPLS

PROFILES: dict[str, SiteProfile] = {TPLS.name: TPLS}
DEFAULT_PROFILE = TPLS


def get_profile(name: str = DEFAULT_PROFILE.name, base_url: str | None = None) -> SiteProfile:
    try:
        profile = PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown site profile {name!r} (known: {', '.join(PROFILES)})") from None
    return profile.with_base_url(base_url) if base_url else profile


__all__ = ["SiteProfile", "PROFILES", "DEFAULT_PROFILE", "get_profile", "TPLS"]
