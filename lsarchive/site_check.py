"""What a site profile finds on a site's pages: the pure part of `lsarchive check`.

Given one article page, one listing page and the site's robots.txt (bytes
and text, fetched by the command), say which of the profile's selectors
matched and how many elements, the record extracted, which fields fell back
on the rules that hold without the profile, the sections and pager of the
listing, and robots.txt's rules and Crawl-delay for the site. No network
here, so the report can be checked on files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from .extract import document, extract_article
from .profiles import SiteProfile
from .record import ExtractionError, NotAnArticle

ARTICLE_SELECTORS = ("title_css", "body_css", "submitted_css", "date_machine_css", "breadcrumb_css")
LISTING_SELECTORS = ("listing_teaser_link_css", "pager_next_css", "pager_last_css", "menu_link_css")

FIELD_SELECTORS = {
    "title": ("title_css",),
    "body": ("body_css",),
    "published_at": ("submitted_css", "date_machine_css"),
    "section": ("breadcrumb_css",),
}
"""The profile's selectors for each field: a field whose selectors all match
nothing was found by the fallback rules (if found at all)."""

REQUIRED_FIELDS = ("url", "node_id", "section", "title", "published_at", "body")
"""Fields every article of a portal sub-site has: empty means not extracted."""

ERROR_STAGE_FIELDS = {"title": "title", "body": "body", "date": "published_at", "section": "section"}


@dataclass
class SelectorMatch:
    name: str
    """The profile attribute (title_css, …)."""
    selectors: list[str]
    """The selectors it holds, in the order the extractor tries them."""
    matched: str | None
    """The first selector that matched (the one extraction uses), or None."""
    count: int
    """Elements the matched selector found."""


@dataclass
class ArticleCheck:
    url: str
    selectors: list[SelectorMatch]
    record: dict | None = None
    error: str | None = None
    """Why no record came out (the extractor's stage and reason)."""
    fallbacks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Fields that could not be extracted."""


@dataclass
class ListingCheck:
    url: str
    selectors: list[SelectorMatch]
    teasers: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    """(link text, URL) of the menu links inside the site."""
    known_sections_missing: list[str] = field(default_factory=list)
    """Sections the profile names that the listing's menu does not link to."""
    pager_next: str | None = None
    pager_last: str | None = None


@dataclass
class RobotsCheck:
    url: str
    site_path: str
    found: bool
    crawl_delay: float | None
    rules: list[str]
    """Allow/Disallow lines of the groups that apply to the crawler, for the site's path."""
    allowed: dict[str, bool]


def match_selectors(root, profile: SiteProfile, names: tuple[str, ...]) -> list[SelectorMatch]:
    report = []
    for name in names:
        value = getattr(profile, name)
        selectors = [value] if isinstance(value, str) else list(value)
        matched, count = None, 0
        for css in selectors:
            found = document.select(root, css)
            if found:
                matched, count = css, len(found)
                break
        report.append(SelectorMatch(name, selectors, matched, count))
    return report


def check_article(html: bytes, url: str, profile: SiteProfile, content_type: str | None = None) -> ArticleCheck:
    result = ArticleCheck(url=url, selectors=[])
    try:
        _, root = document.read_page(html, profile, content_type)
        if root is not None:
            result.selectors = match_selectors(root, profile, ARTICLE_SELECTORS)
        article = extract_article(html, url, profile, content_type=content_type)
    except ExtractionError as error:
        if error.stage in ERROR_STAGE_FIELDS:
            result.error = f"{error.stage}: {error.reason}"
            result.missing = [ERROR_STAGE_FIELDS[error.stage]]
        else:  # a listing, an error page, a page that does not parse: no field at all
            kind = "not an article" if isinstance(error, NotAnArticle) else f"failed at {error.stage}"
            result.error = f"{kind}: {error.reason}"
            result.missing = list(REQUIRED_FIELDS)
        return result
    result.record = article.to_dict()
    provenance = getattr(article, "extraction", None)
    if isinstance(provenance, dict) and "fallbacks" in provenance:
        result.fallbacks = list(provenance["fallbacks"])
    else:
        unmatched = {s.name for s in result.selectors if s.matched is None}
        result.fallbacks = [name for name, needed in FIELD_SELECTORS.items()
                            if all(n in unmatched for n in needed) and result.record.get(name)]
    result.missing = [name for name in REQUIRED_FIELDS if result.record.get(name) in (None, "", [])]
    return result


def check_listing(html: bytes, url: str, profile: SiteProfile, content_type: str | None = None) -> ListingCheck:
    """`profile` must be based where the page was served (with_base_url), so
    that "inside the site" means this copy of it."""
    try:
        _, root = document.read_page(html, profile, content_type)
    except ExtractionError:  # a page the parser refuses (nested past its limits)
        root = None
    if root is None:
        return ListingCheck(url=url, selectors=[])
    result = ListingCheck(url=url, selectors=match_selectors(root, profile, LISTING_SELECTORS))
    result.teasers = _links(root, profile.listing_teaser_link_css, url)
    result.pager_next = next(iter(_links(root, profile.pager_next_css, url)), None)
    result.pager_last = next(iter(_links(root, profile.pager_last_css, url)), None)
    seen = set()
    for el in document.select(root, profile.menu_link_css):
        href = (el.get("href") or "").strip()
        link = urljoin(url, href) if href else ""
        if not link or link in seen or profile.is_excluded(link) or link == profile.home_url:
            continue
        seen.add(link)
        result.sections.append((document.inline_text(el), link))
    found_paths = {profile.relative_path(link) for _, link in result.sections}
    result.known_sections_missing = [name for name, path in profile.section_paths if path not in found_paths]
    return result


def _links(root, css: str, base: str) -> list[str]:
    links = []
    for el in document.select(root, css):
        href = (el.get("href") or "").strip()
        if href and urljoin(base, href) not in links:
            links.append(urljoin(base, href))
    return links


def check_robots(text: str | None, robots_url: str, site_path: str, user_agent: str,
                 urls: list[str]) -> RobotsCheck:
    """robots.txt as Scrapy reads it (protego): the delay, and the rules for the site's path."""
    from protego import Protego

    if text is None:
        return RobotsCheck(robots_url, site_path, False, None, [], {u: True for u in urls})
    parser = Protego.parse(text)
    delay = parser.crawl_delay(user_agent)
    return RobotsCheck(
        url=robots_url, site_path=site_path, found=True, crawl_delay=float(delay) if delay is not None else None,
        rules=_rules_for(text, site_path, user_agent),
        allowed={u: parser.can_fetch(u, user_agent) for u in urls},
    )


def _rules_for(text: str, site_path: str, user_agent: str) -> list[str]:
    """Allow/Disallow lines of the `*` group and any group naming the crawler,
    whose path is inside the site's path or contains it."""
    agent = user_agent.split("/")[0].lower()
    rules, group, in_rules = [], set(), False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                group, in_rules = set(), False
            group.add(value.lower())
        elif key in ("allow", "disallow"):
            in_rules = True
            applies = "*" in group or any(name and name in agent for name in group)
            if applies and value and (value.startswith(site_path) or site_path.startswith(value)):
                rules.append(f"{key.capitalize()}: {value}")
    return rules


def site_path_of(profile: SiteProfile) -> str:
    return urlsplit(profile.base_url).path or "/"


def as_dict(check) -> dict:
    return asdict(check)
