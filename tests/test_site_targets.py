"""Which sites a crawl or a replay walks, and which of them a URL belongs to."""

from __future__ import annotations

import pytest

from lsarchive.crawl.spider import PortalSpider
from lsarchive.crawl.targets import SiteState, UnknownSite, crawl_label, resolve_sites, route
from lsarchive.profiles import REGISTERED
from lsarchive.replay import PageSites


def test_all_names_every_registered_site():
    assert list(resolve_sites("all")) == list(REGISTERED)


def test_names_may_be_repeated_or_comma_separated():
    sites = resolve_sites(["tpls", "tpls,http://www.langson.gov.vn/bqlkkt/"])
    assert list(sites) == ["tpls", "bqlkkt"]
    assert crawl_label(sites) == "bqlkkt,tpls"


def test_a_sub_site_without_a_profile_is_named_by_its_url_and_read_with_the_generic_profile():
    site = resolve_sites("http://www.langson.gov.vn/bqlkkt")["bqlkkt"]
    assert not site.registered
    assert site.base_url == "http://www.langson.gov.vn/bqlkkt/"
    assert site.current.name == "drupal7"


def test_a_mistyped_name_is_an_error_not_a_crawl_of_a_made_up_site():
    with pytest.raises(UnknownSite, match="unknown site 'tplss'"):
        resolve_sites("tplss")
    with pytest.raises(UnknownSite, match="one site"):
        resolve_sites("tpls,http://www.langson.gov.vn/bqlkkt/", site_url="http://127.0.0.1:9/tpls/")


def test_requests_are_routed_to_the_most_specific_site():
    sites = resolve_sites(["tpls", "http://www.langson.gov.vn/bqlkkt/"])
    states = {name: SiteState(site) for name, site in sites.items()}
    assert route(states, "http://www.langson.gov.vn/tpls/node/5").name == "tpls"
    assert route(states, "http://www.langson.gov.vn/bqlkkt/node/5").name == "bqlkkt"
    assert route(states, "http://www.langson.gov.vn/sotttt/node/5") is None
    assert route(states, "http://example.org/tpls/node/5") is None


def test_one_spider_holds_every_site_and_names_itself_after_them():
    spider = PortalSpider(site="tpls,http://www.langson.gov.vn/bqlkkt/")
    assert spider.name == "bqlkkt,tpls"
    assert spider.allowed_domains == ["www.langson.gov.vn"]  # one host: one download slot
    assert spider.profile_of("http://www.langson.gov.vn/bqlkkt/node/1").name == "drupal7"
    assert PortalSpider().name == "tpls"


def test_replays_place_every_page_of_the_province_unless_told_which_sites():
    every = PageSites()
    assert every.key("http://www.langson.gov.vn/tpls/node/5") == ("tpls", "node/5")
    assert every.key("http://www.langson.gov.vn/sonoivu/node/5") == ("sonoivu", "node/5")
    assert every.key("http://example.org/sonoivu/node/5") is None
    # Captures of a mirror on another host: the same path of a registered site.
    assert every.key("http://127.0.0.1:8000/tpls/node/5") == ("tpls", "node/5")
    only = PageSites(resolve_sites("tpls"))
    assert only.key("http://www.langson.gov.vn/sonoivu/node/5") is None
    assert only.label == "tpls" and every.label == "all"
