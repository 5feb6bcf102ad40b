"""Hostile pages: bad bytes, declared charsets, parser limits, script URLs.

Each test starts from a gold page (its expected record is known) and damages
it the way a broken or hostile server would; the record must stay right, or
the extractor must say why it could not read the page (ExtractionError with
a reason), never return a silently emptied article.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import pytest

from lsarchive.extract import extract_article
from lsarchive.profiles import TPLS
from lsarchive.record import ExtractionError, NotAnArticle

GOLD = Path(__file__).parent / "gold" / "tpls" / "2019"
SEED = GOLD / "01-seed-clean-paragraphs"
FIRST_WORDS = "Ngày 09/1/2017".encode()


@pytest.fixture(scope="module")
def seed():
    record = json.loads(SEED.with_suffix(".json").read_text(encoding="utf-8"))
    return SEED.with_suffix(".html").read_bytes(), record["page_url"], record["expect"]


def inserted(page: bytes, markup: bytes, before: bytes = FIRST_WORDS) -> bytes:
    position = page.index(before)
    return page[:position] + markup + page[position:]


def assert_record_intact(article, expect, first_paragraph_prefix: str = "") -> None:
    assert article.title == expect["title"]
    assert article.published_at == expect["published_at"]
    assert [c.to_dict() if hasattr(c, "to_dict") else {"name": c.name, "roles": c.roles}
            for c in article.credits] == expect["credits"]
    assert article.body[1:] == expect["body"][1:]
    assert article.body[0] == first_paragraph_prefix + expect["body"][0]


# Decoding ------------------------------------------------------------------------

def test_one_invalid_byte_in_a_utf8_page_is_one_replacement_character(seed):
    page, url, expect = seed
    article = extract_article(inserted(page, b"\xff"), url)
    assert_record_intact(article, expect, "\ufffd")


def test_one_invalid_byte_without_any_declared_charset(seed):
    page, url, expect = seed
    undeclared = page.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />', b"")
    assert b"charset" not in undeclared.lower()
    article = extract_article(inserted(undeclared, b"\xff"), url)
    assert_record_intact(article, expect, "\ufffd")


def test_the_http_header_charset_is_believed_before_the_meta(seed):
    page, url, expect = seed
    as_1258 = to_cp1258(page.decode("utf-8").replace("charset=utf-8", "charset=windows-1258"))
    # A page really in windows-1258, its <meta> saying UTF-8: only the header is
    # right (the profile's fallback is another charset, so no guess can pass).
    western = dataclasses.replace(TPLS, fallback_encoding="cp1252")
    article = extract_article(as_1258.replace(b"charset=windows-1258", b"charset=utf-8"), url, western,
                              content_type="text/html; charset=windows-1258")
    assert_record_intact(article, expect)
    # The header wins over a wrong <meta>: UTF-8 bytes labelled cp1258 in the meta.
    mislabelled = page.replace(b"charset=utf-8", b"charset=windows-1258")
    article = extract_article(mislabelled, url, content_type="text/html; charset=utf-8")
    assert_record_intact(article, expect)


def test_a_header_charset_of_utf16_without_bom(seed):
    page, url, expect = seed
    for codec in ("utf-16-le", "utf-16-be"):
        utf16 = page.decode("utf-8").encode(codec)
        assert not utf16.startswith((b"\xff\xfe", b"\xfe\xff"))
        article = extract_article(utf16, url, content_type="text/html; charset=UTF-16")
        assert_record_intact(article, expect)


def test_a_single_byte_label_on_utf8_bytes_is_a_wrong_label(seed):
    page, url, expect = seed
    article = extract_article(page, url, content_type="text/html; charset=iso-8859-1")
    assert_record_intact(article, expect)


def to_cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: tones are combining marks after the base letter."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tone = "".join(mark for mark in parts if mark in TONES)
            base = "".join(mark for mark in parts if mark not in TONES)
            out.append((unicodedata.normalize("NFC", base) + tone).encode("cp1258"))
    return b"".join(out)


TONES = "\u0300\u0301\u0303\u0309\u0323"


# Parser limits -----------------------------------------------------------------------

def test_300_nested_tags_are_read(seed):
    page, url, expect = seed
    deep = b"<span>" * 300 + "Sâu. ".encode() + b"</span>" * 300
    article = extract_article(inserted(page, deep), url)
    assert_record_intact(article, expect, "Sâu. ")


def test_nesting_beyond_the_parser_limit_is_an_error_with_a_reason(seed):
    page, url, _ = seed
    deep = b"<span>" * 3000 + b"x" + b"</span>" * 3000
    with pytest.raises(ExtractionError) as caught:
        extract_article(inserted(page, deep), url)
    assert not isinstance(caught.value, NotAnArticle)
    assert caught.value.stage == "parse" and "deeper" in caught.value.reason


def test_a_control_character_in_a_relative_image_url(seed):
    page, url, expect = seed
    article = extract_article(inserted(page, b'<p><img src="anh\x01tin.jpg"></p>'), url)
    assert article.title == expect["title"] and article.body == expect["body"]
    assert article.images[0].src.endswith("/anh%01tin.jpg")
    assert "\x01" not in article.body_html_clean


def test_a_text_node_over_10_mb(seed):
    page, url, expect = seed
    huge = b"x" * 11_000_000
    article = extract_article(inserted(page, b"<p>" + huge + b"</p>"), url)
    assert article.title == expect["title"]
    assert article.body[0] == "x" * 11_000_000
    assert article.body[1:] == expect["body"]


# Only http(s) becomes a link or an attachment -------------------------------------------

SCRIPT_URLS = ["javascript:alert(1)//x.pdf", " JaVa\tScRiPt:alert(1)//x.pdf", "vbscript:msgbox(1)//x.doc",
               "data:text/html,<script>alert(1)</script>//x.pdf"]


@pytest.mark.parametrize("href", SCRIPT_URLS)
def test_script_urls_are_no_attachment_and_no_link(seed, href):
    page, url, expect = seed
    link = f'<p><a href="{href}">Tải về kế hoạch</a> <a href="/tpls/files/ke-hoach.pdf">Kế hoạch</a></p>'
    article = extract_article(inserted(page, link.encode()), url)
    assert [a.href for a in article.attachments] == ["http://www.langson.gov.vn/tpls/files/ke-hoach.pdf"]
    assert article.body[0] == "Tải về kế hoạch Kế hoạch"  # the text stays in the record
    clean = article.body_html_clean.lower()
    assert "script:" not in clean and "data:text" not in clean
    assert '<a>tải về kế hoạch</a>' in clean


def test_a_script_canonical_is_not_the_record_url(seed):
    page, url, expect = seed
    canonical = b'rel="canonical" href="/tpls/tin-tuc/'
    bad = page.replace(canonical, b'rel="canonical" href="javascript:alert(document.domain)//', 1)
    assert bad != page
    article = extract_article(bad, url)
    assert article.url == url
