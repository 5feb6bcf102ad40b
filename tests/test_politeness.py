"""Politeness: robots.txt's Crawl-delay and AutoThrottle for every host but loopback."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time

import pytest
from scrapy.settings import Settings

from lsarchive.crawl.spider import PortalSpider, is_loopback
from lsarchive.mirror import MirrorServer, MirrorSite

from .helpers import REPO


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule("lsarchive.crawl.settings")
    for name, value in overrides.items():
        settings.set(name, value)
    return settings


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8000/tpls/", True), ("http://127.8.0.1/tpls/", True),
    ("http://localhost/tpls/", True), ("http://[::1]:80/tpls/", True),
    ("http://www.langson.gov.vn/tpls/", False), ("http://10.0.0.1/tpls/", False),
])
def test_loopback_hosts(url, expected):
    assert is_loopback(url) is expected


def test_live_site_is_crawled_politely_by_default():
    settings = project_settings()
    assert PortalSpider._configure_politeness(settings, "http://www.langson.gov.vn/tpls/") is True
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY") >= 10


def test_the_mirror_is_crawled_at_full_speed_by_default():
    settings = project_settings()
    assert PortalSpider._configure_politeness(settings, "http://127.0.0.1:8000/tpls/") is False
    assert not settings.getbool("AUTOTHROTTLE_ENABLED") and settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("ROBOTSTXT_OBEY")  # robots.txt is obeyed everywhere


def test_turning_politeness_off_for_a_live_site_warns(caplog):
    settings = project_settings(LSARCHIVE_POLITENESS="off")
    with caplog.at_level(logging.WARNING):
        assert PortalSpider._configure_politeness(settings, "http://www.langson.gov.vn/tpls/") is False
    assert "Politeness is off" in caplog.text


def test_user_agent_names_the_project_and_the_contact_url():
    settings = project_settings(LSARCHIVE_CONTACT_URL="https://archivist.example/contact")
    PortalSpider._configure_politeness(settings, "http://www.langson.gov.vn/tpls/")
    assert re.fullmatch(r"lsarchive/\S+ \(\+https://archivist\.example/contact\)", settings["USER_AGENT"])


def test_robots_crawl_delay_is_applied_when_polite(tmp_path):
    """The mirror's robots.txt says Crawl-delay: 10; in 2 s a polite crawl gets
    robots.txt and the home page, and no more (at full speed it would have
    fetched dozens of pages)."""
    site = MirrorSite(articles=10, seed=2)
    log = tmp_path / "crawl.log"
    with MirrorServer(site) as server, open(log, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "tpls", "-a", f"site_url={server.base_url}",
             "-s", "LSARCHIVE_POLITENESS=on", "-s", "CLOSESPIDER_TIMEOUT=2", "-s", "LOG_LEVEL=INFO",
             "-s", f"LSARCHIVE_DB={tmp_path / 'a.db'}"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=log_file,
        )
        try:
            # Once the 2 s are over there is nothing more to see.
            deadline = time.monotonic() + 120
            while "Closing spider (closespider_timeout)" not in log.read_text() and process.poll() is None:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
            paths = [path for _, path, _ in server.request_log]
        finally:
            process.kill()  # a clean close would wait for the queued requests' delay
            process.wait()
    assert "robots.txt Crawl-delay for 127.0.0.1: 10.0 s" in log.read_text()
    assert paths[0] == "/robots.txt" and len(paths) <= 2, paths
