"""The site registry: every profile version has gold pages it reads perfectly;
pages find their site by URL and their profile version by date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from lsarchive.evaluate import evaluate, gold_root, load_pages
from lsarchive.profiles import GENERIC, REGISTERED, TPLS, Site, profile_for, site_for_url

from .helpers import REPO

VERSIONS = [(site, profile) for site in (*REGISTERED.values(), GENERIC) for profile in site.versions]
IDS = [f"{site.name}-{profile.version}" for site, profile in VERSIONS]


def test_gold_root_is_the_projects():
    assert gold_root() == REPO / "tests" / "gold"


@pytest.mark.parametrize(("site", "profile"), VERSIONS, ids=IDS)
def test_every_profile_version_has_gold_pages(site, profile):
    directory = gold_root() / site.name / profile.version
    assert directory.is_dir(), f"{site.name} version {profile.version} has no gold pages in {directory}"
    pages = load_pages([directory])
    assert pages, f"{directory} holds no NAME.html + NAME.json pairs with an expected record"
    for name, _, record in pages:
        assert record["expect"].get("title"), f"{name}: the expected record has no title"


@pytest.mark.parametrize(("site", "profile"), VERSIONS, ids=IDS)
def test_every_profile_version_reads_its_gold_pages_perfectly(site, profile):
    report = evaluate([gold_root() / site.name / profile.version], compare_trafilatura=False,
                      repeats=1, profile=profile)
    assert report.failures == 0, [page.error for page in report.pages if page.error]
    wrong = {field: score for field, score in report.fields.items() if score < 1.0}
    mismatches = [(p.name, m.field) for p in report.pages for m in p.mismatches]
    assert not wrong, f"{site.name} {profile.version}: {wrong} {mismatches[:5]}"


def test_gold_directories_name_only_known_sites_and_versions():
    """A gold directory nobody evaluates would be a test that cannot fail."""
    known = {(site.name, profile.version) for site, profile in VERSIONS}
    for directory in sorted(p for p in gold_root().glob("*/*") if p.is_dir()):
        assert (directory.parent.name, directory.name) in known, f"{directory}: no such site or version"


# site_for_url ------------------------------------------------------------------------

def _deeper_site() -> Site:
    news = replace(TPLS, name="tpls-news", base_url="http://www.langson.gov.vn/tpls/tin-tuc/")
    return Site("tpls-news", (news,))


def test_the_most_specific_registered_site_wins():
    sites = {"tpls": REGISTERED["tpls"], "tpls-news": _deeper_site()}
    assert site_for_url("http://www.langson.gov.vn/tpls/tin-tuc/le-hoi", sites).name == "tpls-news"
    assert site_for_url("http://www.langson.gov.vn/tpls/kinh-te/cho-moi", sites).name == "tpls"
    assert site_for_url("http://www.langson.gov.vn/tpls/node/5").name == "tpls"


def test_another_province_sub_site_gets_the_generic_profile_under_its_path_name():
    for url in ("http://www.langson.gov.vn/sotnmt/node/5", "https://langson.gov.vn/sotnmt/tin-tuc/x"):
        site = site_for_url(url)
        assert (site.name, site.registered) == ("sotnmt", False)
        assert site.base_url == "http://www.langson.gov.vn/sotnmt/"
        assert site.current.name == GENERIC.current.name == "drupal7"
    assert profile_for("http://www.langson.gov.vn/bqlkkt/node/9").base_url == "http://www.langson.gov.vn/bqlkkt/"


def test_other_hosts_and_the_province_root_have_no_site():
    assert site_for_url("http://example.com/sotnmt/node/5") is None
    assert site_for_url("http://baolangson.vn/tin-tuc/x") is None
    assert site_for_url("http://www.langson.gov.vn/") is None
    assert site_for_url("http://www.langson.gov.vn/robots.txt") is None
    assert profile_for("http://example.com/x") is None


def test_a_registered_site_served_elsewhere_is_found_by_its_path():
    """A local mirror or a staging copy (old captures of the mirror) keeps its site."""
    assert site_for_url("http://127.0.0.1:8000/tpls/node/5").name == "tpls"


# Site.profile_at ------------------------------------------------------------------------

def _redesigned_site() -> tuple[Site, object, object]:
    old = replace(TPLS, version="2009", valid_until=date(2019, 6, 1), title_css=("h2.title",))
    return Site("tpls", (old, TPLS)), old, TPLS


@pytest.mark.parametrize(("when", "expected"), [
    ("2012-03-04T10:00:00+07:00", "2009"),
    (date(2019, 5, 31), "2009"),
    (datetime(2019, 5, 31, 23, 59), "2009"),
    ("2019-06-01", "2019"),
    (date(2025, 1, 1), "2019"),
    (None, "2019"),
    ("", "2019"),
])
def test_the_capture_date_picks_the_profile_version(when, expected):
    site, _, _ = _redesigned_site()
    assert site.profile_at(when).version == expected


def test_a_version_is_found_by_name_and_an_unknown_one_is_named():
    site, old, current = _redesigned_site()
    assert site.version("2009") is old and site.version("2019") is current and site.current is current
    with pytest.raises(KeyError, match="no profile version '2030'"):
        site.version("2030")


def test_registered_versions_are_oldest_first_and_only_the_last_is_current():
    for site in (*REGISTERED.values(), GENERIC):
        *earlier, last = site.versions
        assert last.valid_until is None
        assert all(p.valid_until is not None for p in earlier)
        ends = [p.valid_until for p in earlier]
        assert ends == sorted(ends)
