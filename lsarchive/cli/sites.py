"""Commands about the sites lsarchive knows: `lsarchive sites` and `lsarchive check`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from .checks import WebURL
from .common import DB_OPTION, EXIT_OK, EXIT_PARTIAL, EXIT_UNREACHABLE, EXIT_USAGE, fail, open_archive


# sites -----------------------------------------------------------------------
@click.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site.")
def sites(db, as_json):
    """The sites lsarchive knows, and what the archive holds of each.

    Registered sites have a profile of their own (lsarchive/profiles/sites.py);
    any other sub-site of www.langson.gov.vn is read with the generic Drupal 7
    profile, and is listed here once the archive holds pages of it. Profile
    versions are listed oldest first, each with the day its markup ended.
    """
    from ..profiles import GENERIC, REGISTERED, generic_site
    from ..profiles.drupal7 import PROVINCE_URL
    from ..store.sites import archived_sites, site_holdings

    known = list(REGISTERED.values())
    holdings = None
    if Path(db).exists():
        archive = open_archive(db)
        conn = archive.db.conn
        known += [generic_site(name, f"{PROVINCE_URL}{name}/")
                  for name in archived_sites(conn) if name not in REGISTERED]
        holdings = site_holdings(conn, [s.name for s in known], site_of)
    rows = [_site_row(site, holdings[site.name] if holdings else None) for site in known]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in rows:
        click.echo(_site_text(row))
    generic = GENERIC.current
    click.echo(f"Any other sub-site of {PROVINCE_URL} is read with the generic Drupal 7 profile "
               f"({generic.name}, version {generic.version}).")
    if holdings is None:
        click.echo(f"(no archive at {db}: no counts)", err=True)


def _site_row(site, holding) -> dict:
    row = {
        "site": site.name, "title": site.title, "base_url": site.base_url,
        "profile": "own" if site.registered else "generic drupal7",
        "versions": [{"name": p.name, "version": p.version,
                      "valid_until": p.valid_until.isoformat() if p.valid_until else None}
                     for p in site.versions],
    }
    if holding is not None:
        row.update(articles=holding.articles, errors=holding.errors, last_run=holding.last_run)
    return row


def _site_text(row: dict) -> str:
    versions = ", ".join(f"{v['name']} {v['version']} (until {v['valid_until']})" if v["valid_until"]
                         else f"{v['name']} {v['version']} (current)" for v in row["versions"])
    lines = [f"{row['site']}  {row['title']}", f"    {row['base_url']}",
             f"    profile: {row['profile']}; versions: {versions}"]
    if "articles" in row:
        run = row["last_run"]
        last = (f"last crawl #{run['id']} {run['started_at']} {run['status'] or ''}".rstrip()
                if run else "never crawled")
        lines.append(f"    archive: {row['articles']:,} articles, {row['errors']:,} errors, {last}")
    return "\n".join(lines) + "\n"


SITE_FILTER = click.option("--site", "site", default=None, metavar="NAME",
                           help="Only this site's articles (`lsarchive sites` lists them).")


def require_site(conn, name: str | None) -> None:
    """A --site filter names a registered site or one the archive holds: else one line, exit 2."""
    from ..profiles import REGISTERED
    from ..store.sites import archived_sites

    if name is None or name in REGISTERED:
        return
    known = sorted({*REGISTERED, *archived_sites(conn)})
    if name not in known:
        fail(f"no site {name!r} in the registry or the archive (known: {', '.join(known)})")


def site_of(url: str) -> str | None:
    """The name of the site a page belongs to (the registry's answer)."""
    from ..profiles import site_for_url

    return getattr(site_for_url(url), "name", None)


# check -----------------------------------------------------------------------
MAX_PAGE_BYTES = 20_000_000
"""A crawl's default --max-page-size."""


class _Unreachable(Exception):
    pass


class _Refused(Exception):
    pass


@click.command()
@click.argument("url", type=WebURL())
@click.option("--listing", "listing_url", type=WebURL(), default=None,
              help="A listing page [default: the site's first section, else its home page].")
@click.option("--site", "site_name", default=None, metavar="NAME",
              help="Read the pages as this site [default: the site the URL belongs to]; "
                   "drupal7 for the generic Drupal 7 profile.")
@click.option("--version", "version", default=None, metavar="V", help="Use this profile version [default: the current one].")
@click.option("--proxy", type=WebURL(), default=None,
              help="Fetch through this HTTP proxy (the offline mirror: `lsarchive mirror` answers as one).")
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
def check(url, listing_url, site_name, version, proxy, as_json):
    """Check a site's profile on one live article page and one listing page.

    Run it before pointing a crawl at a site nobody has crawled yet: it shows
    the site and profile version chosen, which selectors of the profile
    matched (and how many elements), the record extracted, which fields fell
    back on the rules that hold without the profile, the sections and pager
    of the listing, and robots.txt's rules and Crawl-delay for the site.
    Three requests (robots.txt, the article, the listing), nothing stored;
    robots.txt is obeyed and its Crawl-delay kept between them (not on a
    loopback host: the offline mirror).

    Exit 0 when every field was extracted, 1 when one was not (named), 2 for
    bad input (or a page robots.txt forbids), 3 when the site is unreachable.
    """
    from .. import site_check
    from ..crawl.settings import USER_AGENT

    site, profile = _site_and_profile(url, site_name, version)
    profile = _served_at(profile, url)
    listing_url = listing_url or (profile.absolute(profile.section_paths[0][1]) if profile.section_paths
                                  else profile.home_url)
    fetch = _fetcher(proxy, USER_AGENT)
    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        robots_text = fetch(robots_url, missing_ok=True)[0]
        robots = site_check.check_robots(None if robots_text is None else robots_text.decode("utf-8", "replace"),
                                         robots_url, site_check.site_path_of(profile), USER_AGENT,
                                         [url, listing_url])
        for page, allowed in robots.allowed.items():
            if not allowed:
                raise _Refused(f"robots.txt forbids {page} to lsarchive: not fetched")
        pause = _politeness(robots.crawl_delay, proxy or url)
        pause()
        body, content_type = fetch(url)
        article = site_check.check_article(body, url, profile, content_type)
        pause()
        body, content_type = fetch(listing_url)
        listing = site_check.check_listing(body, listing_url, profile, content_type)
    except _Unreachable as exc:
        fail(f"check: {exc}", EXIT_UNREACHABLE)
    except _Refused as exc:
        fail(f"check: {exc}", EXIT_USAGE)
    report = {
        "site": site.name, "registered": site.registered, "profile": profile.name,
        "profile_version": profile.version, "base_url": profile.base_url,
        "article": site_check.as_dict(article), "listing": site_check.as_dict(listing),
        "robots": site_check.as_dict(robots),
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        from .site_report import format_check

        click.echo(format_check(report))
    if article.missing:
        fail(f"check: not extracted: {', '.join(article.missing)}"
             + (f" ({article.error})" if article.error else ""), EXIT_PARTIAL)
    sys.exit(EXIT_OK)


def _site_and_profile(url: str, site_name: str | None, version: str | None):
    from ..profiles import GENERIC, REGISTERED, generic_site, site_for_url

    parts = urlsplit(url)
    segment = parts.path.strip("/").split("/", 1)[0]
    if site_name is None:
        site = site_for_url(url)
        if site is None:
            fail(f"check: no site profile for {url} (give --site NAME: one of {', '.join(REGISTERED)}, "
                 f"or {GENERIC.name} for the generic Drupal 7 profile)")
    elif site_name in REGISTERED:
        site = REGISTERED[site_name]
    elif site_name == GENERIC.name:
        if not segment:
            fail(f"check: {url} names no sub-site (http://HOST/SUBSITE/...)")
        site = generic_site(segment, f"{parts.scheme}://{parts.netloc}/{segment}/")
    else:
        fail(f"check: unknown site {site_name!r} (known: {', '.join([*REGISTERED, GENERIC.name])})")
    try:
        profile = site.version(version) if version else site.profile_at(None)
    except KeyError as exc:
        fail(f"check: {exc.args[0]}")
    return site, profile


def _politeness(crawl_delay: float | None, connected_to: str):
    """Wait robots.txt's Crawl-delay before each request after the first, as a
    crawl does; not on a loopback host (the offline mirror), as a crawl's
    `--politeness auto` does not."""
    import time

    from ..crawl.spider import is_loopback

    if not crawl_delay or is_loopback(connected_to):
        return lambda: None

    def pause():
        click.echo(f"waiting {crawl_delay:g} s (robots.txt Crawl-delay)", err=True)
        time.sleep(crawl_delay)

    return pause


def _served_at(profile, url: str):
    """The profile based where the page is served (a mirror's port, a staging host)."""
    parts, base = urlsplit(url), urlsplit(profile.base_url)
    if (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc.lower()):
        return profile
    return profile.with_base_url(f"{parts.scheme}://{parts.netloc}{base.path}")


def _fetcher(proxy: str | None, user_agent: str):
    """fetch(url) → (bytes, Content-Type); HTTP 404 of robots.txt gives (None, None)."""
    import socket
    import urllib.error
    import urllib.request

    handlers = [urllib.request.ProxyHandler({"http": proxy, "https": proxy})] if proxy else []
    opener = urllib.request.build_opener(*handlers)

    def fetch(url: str, missing_ok: bool = False):
        request = urllib.request.Request(url, headers={"User-Agent": user_agent})
        try:
            with opener.open(request, timeout=30) as response:
                body = response.read(MAX_PAGE_BYTES + 1)
                if len(body) > MAX_PAGE_BYTES:
                    raise _Refused(f"{url}: larger than {MAX_PAGE_BYTES // 1_000_000} MB, not a page to check")
                return body, response.headers.get("Content-Type")
        except urllib.error.HTTPError as exc:
            if missing_ok and 400 <= exc.code < 500:
                return None, None
            if exc.code >= 500 or exc.code in (407, 429):
                raise _Unreachable(f"{url}: HTTP {exc.code}") from None
            raise _Refused(f"{url}: HTTP {exc.code} (is the URL right?)") from None
        except (urllib.error.URLError, socket.timeout, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise _Unreachable(f"cannot fetch {url}: {reason}") from None

    return fetch
