"""Extraction on themes no profile describes: the fallback rules, the record's
provenance, the choice of a profile version, and pages that are not articles."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from lsarchive import __version__
from lsarchive.crawl.items import ARTICLE, PageItem
from lsarchive.evaluate import load_pages, paragraph_f1
from lsarchive.extract import extract_article, extract_for_site
from lsarchive.profiles import DRUPAL7, Site, profile_for
from lsarchive.record import ExtractionError, NotAnArticle
from lsarchive.stages import PageWriter, extract_page
from lsarchive.store.archive import NEW, UNCHANGED, UPDATED, Archive

from .helpers import REALWORLD_DIR, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "unknown_theme"
GOLD = Path(__file__).parent / "gold"
URL = "http://www.langson.gov.vn/bqlkkt/tin-tuc/hoi-cho"


def extract_fixture(name: str, profile=DRUPAL7):
    return extract_article((FIXTURES / name).read_bytes(), URL, profile)


def provenance(fallbacks: list[str], profile=DRUPAL7) -> dict:
    return {"profile": profile.name, "profile_version": profile.version, "fallbacks": fallbacks,
            "lsarchive_version": __version__}


# Unknown themes, field by field --------------------------------------------------------

def test_a_theme_without_drupal_classes_is_read_by_og_title_and_meta_date():
    article = extract_fixture("og-title-meta-date.html")
    assert article.title == "Khai mạc Hội chợ thương mại biên giới 2020"
    assert article.published_at == "2020-02-03T08:15:00+07:00"
    assert article.published_text is None
    assert article.node_id is None and article.section is None and article.url == URL
    assert article.body == [
        "Sáng 03/02, tại Khu kinh tế cửa khẩu Đồng Đăng, Ban Quản lý Khu kinh tế tỉnh tổ chức khai mạc "
        "Hội chợ thương mại biên giới năm 2020 với sự tham gia của hơn 200 gian hàng trong và ngoài nước.",
        "Hội chợ diễn ra trong 5 ngày, giới thiệu các sản phẩm nông sản, hàng thủ công mỹ nghệ và hàng "
        "tiêu dùng của các doanh nghiệp hai bên biên giới.",
        "Phát biểu tại lễ khai mạc, lãnh đạo Ban Quản lý nhấn mạnh hội chợ là dịp để doanh nghiệp kết nối, "
        "mở rộng thị trường và thúc đẩy xuất nhập khẩu qua các cửa khẩu của tỉnh.",
    ]
    [image] = article.images
    assert image.src == "http://www.langson.gov.vn/bqlkkt/files/hoi-cho-2020.jpg"
    assert image.caption == "Các đại biểu cắt băng khai mạc hội chợ"  # <figure><figcaption>
    assert image.after_paragraph == 1
    assert [(c.name, c.roles) for c in article.credits] == [("Minh Anh", ["text", "photo"])]
    assert article.credit_lines == ["Tin, ảnh: Minh Anh"]  # a trailing bold line
    # The meta timestamp is the fallback's: without the node, the profile's
    # date selectors have nowhere to look.
    assert article.extraction == provenance(["title", "date", "body"])
    assert "Lượt xem" not in " ".join(article.body) and "Tin mới" not in " ".join(article.body)


def test_a_theme_with_only_an_h1_and_a_date_line_near_it():
    article = extract_fixture("h1-visible-date-line.html")
    assert article.title == "Huyện Cao Lộc ra quân làm giao thông nông thôn"
    # Not the sidebar's dates (earlier in the page), not the body's "Ngày 01/02/2020".
    assert article.published_at == "2020-02-03T08:15:00+07:00"
    assert article.published_text == "08:15, Thứ Hai, 03/02/2020"
    assert article.body == [
        "Ngày 01/02/2020, huyện Cao Lộc tổ chức lễ ra quân làm đường giao thông nông thôn tại xã Thụy Hùng "
        "với sự tham gia của hơn 500 cán bộ, đoàn viên và nhân dân.",
        "Năm 2020, huyện phấn đấu cứng hóa thêm 40 km đường giao thông nông thôn, góp phần hoàn thành các "
        "tiêu chí xây dựng nông thôn mới.",
    ]
    [image] = article.images
    assert image.caption == "Cán bộ và nhân dân xã Thụy Hùng làm đường giao thông"  # the table cell below
    assert image.alt == "Ra quân"
    assert [(c.name, c.roles) for c in article.credits] == [("Hoàng Long", ["text"])]
    assert article.credit_lines == ["Hoàng Long"]
    assert article.extraction["fallbacks"] == ["title", "date", "body"]


def test_a_body_found_by_density_among_menus_sidebars_and_related_links():
    article = extract_fixture("density-among-sidebars.html")
    assert article.title == "Sở Y tế triển khai phòng chống dịch bệnh"
    assert (article.published_at, article.published_text) == ("2020-02-03T00:00:00+07:00", "03-02-2020")
    # The heading and the date line share the body's block: they are not paragraphs.
    assert article.body == [
        "Chiều 02/02, Sở Y tế tỉnh Lạng Sơn họp triển khai các biện pháp phòng chống dịch bệnh viêm đường "
        "hô hấp cấp, yêu cầu các đơn vị trong ngành sẵn sàng các phương án cách ly và điều trị.",
        "Theo đó, các bệnh viện bố trí khu vực cách ly riêng, chuẩn bị đủ thuốc, vật tư và trang thiết bị; "
        "các trung tâm y tế tăng cường giám sát tại cửa khẩu và cộng đồng.",
        "Sở cũng đề nghị người dân chủ động khai báo y tế, thực hiện đeo khẩu trang nơi công cộng và rửa tay "
        "thường xuyên bằng xà phòng.",
    ]
    assert article.images == []  # not the sidebar's teaser image
    assert [(c.name, c.roles) for c in article.credits] == [("Thu Hà", ["text", "photo"])]
    assert article.credit_lines == ["Bài, ảnh: Thu Hà"]
    assert article.extraction["fallbacks"] == ["title", "date", "body"]


@pytest.mark.parametrize("line, expected_at, expected_text", [
    ("Cập nhật lúc 08:15, Thứ Hai, 03/02/2020", "2020-02-03T08:15:00+07:00", "08:15, Thứ Hai, 03/02/2020"),
    ("Ngày đăng: 03-02-2020", "2020-02-03T00:00:00+07:00", "03-02-2020"),
    ("03/02/2020 08:15", "2020-02-03T08:15:00+07:00", "03/02/2020 08:15"),
])
def test_vietnamese_date_lines_near_the_title(line, expected_at, expected_text):
    article = extract_article(unknown_theme_page(f'<div class="meta">{line}</div>'), URL, DRUPAL7)
    assert (article.published_at, article.published_text) == (expected_at, expected_text)
    assert article.extraction["fallbacks"] == ["title", "date", "body"]
    assert all(line not in paragraph for paragraph in article.body)


def test_a_known_node_with_an_unknown_date_line_falls_back_for_the_date_alone():
    page = ('<html><body class="page-node page-node-9"><div id="node-9" class="node">'
            '<h1 class="title">Tiêu đề bài</h1><p class="ngay-cap-nhat">Cập nhật lúc 08:15, Thứ Hai, 03/02/2020</p>'
            '<div class="field-name-body"><div class="field-item"><p>Nội dung bài viết đủ dài để là một đoạn '
            'văn của bài.</p></div></div></div></body></html>').encode()
    article = extract_article(page, URL, DRUPAL7)
    assert (article.node_id, article.title, article.published_at) == (9, "Tiêu đề bài", "2020-02-03T08:15:00+07:00")
    assert article.body == ["Nội dung bài viết đủ dài để là một đoạn văn của bài."]
    assert article.extraction["fallbacks"] == ["date"]


def test_a_date_is_never_read_in_a_sidebar_or_comments_even_next_to_the_title():
    page = unknown_theme_page('<aside><span>Cập nhật lúc 10:00, 01/01/2019</span></aside>'
                              '<div id="comments"><p>Bình luận 02/01/2019 09:00</p></div>'
                              '<p class="ngay">Ngày đăng: 03-02-2020</p>')
    assert extract_article(page, URL, DRUPAL7).published_at == "2020-02-03T00:00:00+07:00"


def test_an_article_of_an_unknown_theme_without_any_date_is_an_error_not_a_guess():
    page = unknown_theme_page("", body_date="")
    with pytest.raises(NotAnArticle) as raised:  # no node body and no date: a static page
        extract_article(page, URL, DRUPAL7)
    assert raised.value.stage == "date"


def unknown_theme_page(after_title: str, body_date: str = "Ngày 01/02/2020, ") -> bytes:
    paragraphs = "".join(
        f"<p>{body_date if n == 0 else ''}Đoạn văn thứ {n + 1} của bài viết, đủ dài để là nội dung chính "
        f"của trang và không phải một dòng chú thích hay một liên kết ngắn.</p>" for n in range(3))
    return (f'<html><head><title>Bài viết thử | Một trang</title></head><body>'
            f'<div class="menu-ngang"><a href="/a">Trang chủ</a> <a href="/b">Tin tức</a></div>'
            f'<div class="cot-giua"><h1>Bài viết thử</h1>{after_title}'
            f'<div class="noi-dung">{paragraphs}</div></div></body></html>').encode()


# Pages that are not articles -----------------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("soft-404.html", "error page"),
    ("search-results.html", "search page"),
    ("listing.html", "listing page"),
])
def test_pages_that_are_not_articles_say_why(name, reason):
    with pytest.raises(NotAnArticle) as raised:
        extract_fixture(name)
    assert raised.value.reason.startswith(reason)


def test_a_node_without_body_is_no_article_even_with_text_around_it():
    sidebar = "".join(f"<p>Tin khác số {n}: một đoạn tin ngắn trong cột bên, đủ dài để có điểm.</p>" for n in range(5))
    page = (f'<html><head><title>Tiêu đề | Trang</title></head><body class="page-node page-node-7">'
            f'<div id="node-7" class="node"><h1 class="title">Tiêu đề</h1><div class="submitted">03/02/2020 08:15'
            f'</div></div><div class="region-sidebar-second">{sidebar}</div></body></html>').encode()
    with pytest.raises(NotAnArticle) as raised:
        extract_article(page, URL, DRUPAL7)
    assert raised.value.reason == "no article body on the page"


@pytest.mark.parametrize("name, reason", [
    ("soft-404.html", "error page"),
    ("search-results.html", "search page"),
    ("listing.html", "listing page"),
])
def test_extract_exits_1_with_one_line_for_a_page_that_is_no_article(name, reason):
    result = run_cli("extract", FIXTURES / name, "--url", URL, check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"lsarchive: not an article: {reason}") and result.stderr.count("\n") == 1


def test_extract_shows_the_provenance_only_when_asked():
    plain = json.loads(run_cli("extract", FIXTURES / "og-title-meta-date.html", "--url", URL).stdout)
    assert "extraction" not in plain
    shown = json.loads(run_cli("extract", FIXTURES / "og-title-meta-date.html", "--url", URL,
                               "--provenance").stdout)
    # bqlkkt has no profile of its own: the generic Drupal 7 one reads it.
    assert shown["extraction"] == provenance(["title", "date", "body"])
    assert {k: v for k, v in shown.items() if k != "extraction"} == plain


def test_a_profile_for_another_platform_changes_the_conventions():
    page = (b'<html><head><title>Oops</title></head><body class="error404 post-id-42">'
            b'<h1 class="entry-title">Hello</h1></body></html>')
    with pytest.raises(NotAnArticle, match="error page"):
        extract_article(page, URL, replace(DRUPAL7, error_body_classes=("error404",)))
    other = replace(DRUPAL7, node_page_body_class_re=r"(?:^|\s)post-id-(\d+)(?:\s|$)",
                    node_css="article", title_css=("h1.entry-title",), body_css=("div.entry-content",),
                    submitted_css=("span.posted-on",))
    article = extract_article(
        b'<html><body class="single post-id-42"><article><h1 class="entry-title">Hello</h1>'
        b'<span class="posted-on">03/02/2020 08:15</span><div class="entry-content"><p>Text of the post, '
        b'long enough to be a body paragraph of an article.</p></div></article></body></html>', URL, other)
    assert article.node_id == 42 and article.title == "Hello"
    assert article.extraction["fallbacks"] == []


# Known themes: the profile's selectors do all the work ---------------------------------

def test_gold_and_real_pages_use_no_fallbacks():
    dirs = [GOLD] + ([REALWORLD_DIR] if REALWORLD_DIR.exists() else [])
    pages = load_pages(dirs)
    assert len(pages) >= 39
    for name, html, record in pages:
        profile = profile_for(record["page_url"], record.get("origin", {}).get("captured_at"))
        if profile.name == "drupal7" and "bqlkkt" in record["page_url"]:
            continue  # the theme no profile names: read by the fallback rules on purpose
        article = extract_article(html, record["page_url"], profile)
        assert article.extraction == provenance([], profile), name
        assert article.title == record["expect"]["title"], name
        assert article.published_at == record["expect"]["published_at"], name


# A profile whose selectors match nothing: what the fallback rules alone make of known pages.
BLIND = dict(title_css=(), title_rdfa_property="", title_meta_properties=(), title_from_head=False,
             node_css="div.no-such-class", body_css=("div.no-such-class",), node_element_id_prefix="no-such-",
             node_page_body_class_re=r"no-such-(\d+)", node_path_re=r"/no-such/(\d+)",
             shortlink_css='link[rel="no-such"]', teaser_css="div.no-such-class")


def test_the_fallback_rules_alone_read_the_gold_pages():
    dirs = [GOLD] + ([REALWORLD_DIR] if REALWORLD_DIR.exists() else [])
    f1s = []
    for name, html, record in load_pages(dirs):
        expected = record["expect"]
        profile = replace(profile_for(record["page_url"]), **BLIND)
        article = extract_article(html, record["page_url"], profile)
        assert article.extraction["fallbacks"] == ["title", "date", "body"], name
        assert (article.title, article.published_at) == (expected["title"], expected["published_at"]), name
        f1s.append(paragraph_f1(expected["body"], article.body))
    assert sum(f1s) / len(f1s) >= 0.97, sorted(f1s)[:5]


def test_provenance_stays_out_of_the_record_and_its_hash():
    article = extract_fixture("og-title-meta-date.html")
    assert "extraction" not in article.to_dict()
    before = article.content_hash()
    article.extraction = provenance([])
    assert article.content_hash() == before


# Profile versions ----------------------------------------------------------------------

OLD = replace(DRUPAL7, name="demo", version="2009", valid_until=__import__("datetime").date(2019, 1, 1),
              title_css=("h1.tieu-de",), body_css=("div.noi-dung-cu",))
NEW_MARKUP = replace(DRUPAL7, name="demo", version="2019", title_css=("h1.title",),
                     body_css=("div.field-name-body",))
DEMO = Site("demo", (OLD, NEW_MARKUP))


def versioned_page(title_class: str, body_class: str, date: str) -> bytes:
    return (f'<html><body><div class="node"><h1 class="{title_class}">Tiêu đề</h1>'
            f'<div class="submitted">{date}</div><div class="{body_class}"><p>Nội dung bài viết đủ dài để '
            f'là một đoạn văn của bài, không phải một dòng ngắn hay một liên kết.</p></div></div></body></html>').encode()


def test_the_capture_date_picks_the_version_unless_another_versions_markup_reads_the_page():
    page = versioned_page("tieu-de", "noi-dung-cu", "03/02/2015 08:00")
    assert extract_for_site(page, URL, DEMO, captured_at="2015-03-01").extraction == provenance([], OLD)
    # A redesign's date is known roughly: the markup the page is in wins over the date.
    assert extract_for_site(page, URL, DEMO, captured_at="2020-03-01").extraction == provenance([], OLD)
    neither = versioned_page("khac", "khac-nua", "03/02/2015 08:00")
    later = extract_for_site(neither, URL, DEMO, captured_at="2020-03-01")
    assert later.extraction["profile_version"] == "2019" and later.extraction["fallbacks"]


def test_without_a_capture_date_the_newest_version_that_needs_no_fallback_wins():
    old_page = versioned_page("tieu-de", "noi-dung-cu", "03/02/2015 08:00")
    assert extract_for_site(old_page, URL, DEMO).extraction == {**provenance([], OLD)}
    new_page = versioned_page("title", "field-name-body", "03/02/2020 08:00")
    assert extract_for_site(new_page, URL, DEMO).extraction == {**provenance([], NEW_MARKUP)}


def test_when_every_version_falls_back_the_publication_date_picks():
    for date, version in (("03/02/2015 08:00", "2009"), ("03/02/2020 08:00", "2019")):
        page = versioned_page("khac", "khac-nua", date)
        article = extract_for_site(page, URL, DEMO)
        assert article.extraction["profile_version"] == version and article.extraction["fallbacks"]


def test_without_a_capture_date_a_page_no_version_reads_raises_the_newest_versions_error():
    with pytest.raises(ExtractionError):
        extract_for_site((FIXTURES / "listing.html").read_bytes(), URL, DEMO)


# The archive keeps the provenance per revision -----------------------------------------

def test_the_archive_keeps_provenance_per_revision_and_finds_articles_by_it(tmp_path):
    db = tmp_path / "archive.db"
    article = extract_fixture("og-title-meta-date.html")
    with Archive(db) as archive:
        article_id, outcome = archive.save_article(article, site="bqlkkt", fetched_at="2020-02-04T00:00:00Z")
        assert outcome == NEW
        # The same text read by another profile version: no new revision, the article says so.
        again = extract_fixture("og-title-meta-date.html", replace(DRUPAL7, version="2025"))
        assert archive.save_article(again, site="bqlkkt", fetched_at="2020-02-05T00:00:00Z")[1] == UNCHANGED
        changed = extract_fixture("og-title-meta-date.html")
        changed.body = changed.body[:1]
        assert archive.save_article(changed, site="bqlkkt", fetched_at="2020-02-06T00:00:00Z")[1] == UPDATED
        assert archive.articles_made_by(fallback="body") == [(article_id, URL)]
        assert archive.articles_made_by(profile="drupal7", profile_version="2009") == [(article_id, URL)]
        assert archive.articles_made_by(profile="tpls") == []
        assert archive.articles_made_by(any_fallback=True, site="tpls") == []
    conn = sqlite3.connect(db)
    rows = conn.execute("select revision, extraction from revisions order by revision").fetchall()
    assert [(n, json.loads(made)) for n, made in rows] == [
        (1, provenance(["title", "date", "body"])), (2, provenance(["title", "date", "body"]))]
    assert "extraction" not in json.loads(conn.execute("select record from revisions").fetchone()[0])


def test_an_archive_made_before_provenance_gets_the_columns_and_no_new_revisions(tmp_path):
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        article_id, _ = archive.save_article(extract_fixture("og-title-meta-date.html"), site="bqlkkt",
                                             fetched_at="2020-02-04T00:00:00Z")
    conn = sqlite3.connect(db)
    for table in ("articles", "revisions"):
        conn.execute(f"alter table {table} drop column extraction")
    conn.execute("alter table pages drop column not_article")
    conn.commit()
    conn.close()
    with Archive(db) as archive:  # opened for writing: migrated
        assert "extraction" in archive.db["articles"].columns_dict
        assert "extraction" in archive.db["revisions"].columns_dict
        assert archive.articles_made_by(unknown=True) == [(article_id, URL)]
        _, outcome = archive.save_article(extract_fixture("og-title-meta-date.html"), site="bqlkkt",
                                          fetched_at="2020-02-05T00:00:00Z")
        assert outcome == UNCHANGED
        assert archive.articles_made_by(unknown=True) == []
        assert archive.db.execute("select count(*) from revisions").fetchone()[0] == 1


# A crawl counts non-articles apart from errors -----------------------------------------

def test_a_page_met_as_an_article_that_is_none_is_counted_not_recorded_as_an_error(tmp_path):
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        run_id = archive.start_run("bqlkkt", "http://www.langson.gov.vn/bqlkkt/", {})
        writer = PageWriter(archive, site="bqlkkt", run_id=run_id)
        for name in ("soft-404.html", "og-title-meta-date.html"):
            item = PageItem(url=f"{URL}/{name}", status=200, kind=ARTICLE,
                            body=(FIXTURES / name).read_bytes(), fetched_at="2020-02-04T00:00:00Z")
            writer.write(extract_page(item, DRUPAL7))
        broken = PageItem(url=f"{URL}/no-date", status=200, kind=ARTICLE, fetched_at="2020-02-04T00:00:00Z",
                          body=versioned_page("title", "field-name-body", "no date here"))
        writer.write(extract_page(broken, DRUPAL7))
        assert (writer.non_articles, writer.errors, writer.counts[NEW]) == (1, 1, 1)
        archive.finish_run(run_id, "finished")  # counts reconciled from what was stored
        assert archive.db["crawl_runs"].get(run_id)["non_articles"] == 1
        assert archive.db["crawl_runs"].get(run_id)["errors"] == 1
    conn = sqlite3.connect(db)
    assert conn.execute("select url, stage from extraction_errors").fetchall() == [(f"{URL}/no-date", "date")]
    [(url, why)] = conn.execute("select url, not_article from pages where not_article is not null")
    assert url.endswith("soft-404.html") and why.startswith("error page")
    conn.close()
    stats = run_cli("stats", "--db", db).stdout
    assert "1 pages met as articles were not articles" in stats and "error page" in stats
    assert "1 not articles, 1 errors" in stats


def test_a_crawl_stage_given_a_site_reads_each_capture_with_its_version():
    page = versioned_page("tieu-de", "noi-dung-cu", "03/02/2015 08:00")
    old = extract_page(PageItem(url=URL, status=200, kind=ARTICLE, body=page,
                                fetched_at="2015-03-01T00:00:00+00:00"), DEMO)
    assert old.error is None and old.article.extraction == provenance([], OLD)
    new_page = versioned_page("title", "field-name-body", "03/02/2020 08:00")
    new = extract_page(PageItem(url=URL, status=200, kind=ARTICLE, body=new_page,
                                fetched_at="2020-03-01T00:00:00+00:00"), DEMO)
    assert new.article.extraction == provenance([], NEW_MARKUP)


def test_a_body_written_as_one_div_per_paragraph_is_found_whole():
    """Editors also write each paragraph as a <div> of text alone: the body is
    their container, not the longest of them."""
    paragraphs = ["Ban Quản lý Khu kinh tế cửa khẩu công khai các thủ tục hành chính thuộc thẩm quyền. " * 4,
                  "Các đại biểu đã tập trung thảo luận, đóng góp nhiều ý kiến.",
                  "File đính kèm: Danh mục dự án kêu gọi đầu tư năm 2020"]
    html = ("<html><head><title>Hội chợ thương mại | Ban Quản lý</title></head><body>"
            "<div id='menu'><a href='/'>Trang chủ</a></div><div class='chitiet'>"
            "<h3 class='tieu-de'>Hội chợ thương mại</h3><div class='ngay'>Cập nhật lúc 08:15, Thứ Hai, 03/02/2020</div>"
            "<div class='noi-dung'>" + "".join(f"<div>{text}</div>" for text in paragraphs[:2]) +
            "<div>File đính kèm: <a href='/bqlkkt/sites/bqlkkt/files/dm.doc'>Danh mục dự án kêu gọi đầu tư "
            "năm 2020</a></div>" +
            "<div style='text-align: right;'><strong>Văn phòng Ban Quản lý Khu kinh tế</strong></div></div></div>"
            "<div id='cot-phu'><ul><li><a href='/x'>Một tin khác ở cột bên</a></li></ul></div></body></html>")
    article = extract_article(html, URL, DRUPAL7)
    assert article.body == [" ".join(text.split()) for text in paragraphs]
    assert [a.text for a in article.attachments] == ["Danh mục dự án kêu gọi đầu tư năm 2020"]
    assert [c.name for c in article.credits] == ["Văn phòng Ban Quản lý Khu kinh tế"]
    assert "body" in article.extraction["fallbacks"]
