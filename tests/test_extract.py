"""The extractor against pages with expected records, and per concern.

Page tests: every page of ../shared/realworld (real editor markup) and of
tests/gold (portal pages written for each kind of markup) must give exactly
its expected record, field by field.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from lsarchive.extract import extract_article
from lsarchive.extract.credits import parse_credit_line
from lsarchive.extract.dates import parse_machine_date, parse_visible_date
from lsarchive.extract.sanitize import sanitize_body
from lsarchive.normalize import clean_text
from lsarchive.profiles import TPLS
from lsarchive.record import CONTRACT_FIELDS, ExtractionError, NotAnArticle

from .helpers import REALWORLD_DIR, require_shared

HERE = Path(__file__).parent
GOLD = HERE / "gold" / "tpls" / "2019"
REALWORLD = REALWORLD_DIR
URL = "http://www.langson.gov.vn/tpls/node/5000"


def _pages(directory: Path) -> list:
    if not directory.is_dir():
        return [pytest.param(directory, id="missing")]  # skipped, or failed under CI
    pages = sorted(p for p in directory.glob("*.json") if p.with_suffix(".html").exists())
    return [pytest.param(p, id=p.stem) for p in pages]


def _check_page(record_path: Path) -> None:
    record = json.loads(record_path.read_text(encoding="utf-8"))
    html = record_path.with_suffix(".html").read_bytes()
    got = extract_article(html, record["page_url"]).to_dict()
    expected = record["expect"]
    assert list(got) == list(CONTRACT_FIELDS)
    for name in CONTRACT_FIELDS:
        if name in ("body", "images", "credits", "credit_lines", "attachments"):
            _compare_lists(name, expected[name], got[name])
        else:
            assert got[name] == expected[name], f"{name}: expected {expected[name]!r}, got {got[name]!r}"


def _compare_lists(name: str, expected: list, got: list) -> None:
    for index, (want, have) in enumerate(zip(expected, got)):
        if name == "images":  # pages written before `after_paragraph` existed do not give it
            have = {key: value for key, value in have.items() if key in want}
        assert have == want, f"{name}[{index}]: expected {want!r}\n got {have!r}"
    assert len(got) == len(expected), (
        f"{name}: expected {len(expected)} items, got {len(got)}; "
        f"missing {expected[len(got):]!r}, extra {got[len(expected):]!r}")


@pytest.mark.parametrize("record_path", _pages(REALWORLD))
def test_realworld_page(record_path):
    _check_page(require_shared(record_path))


@pytest.mark.parametrize("record_path", _pages(GOLD))
def test_gold_page(record_path):
    _check_page(record_path)


def test_gold_set_covers_the_seed_in_three_markups():
    seeds = [json.loads(p.read_text(encoding="utf-8"))["expect"] for p in sorted(GOLD.glob("0[123]-seed-*.json"))]
    assert len(seeds) == 3
    without_identity = [{k: v for k, v in s.items() if k not in ("url", "node_id")} for s in seeds]
    assert without_identity[0] == without_identity[1] == without_identity[2]
    assert len(list(GOLD.glob("*.json"))) >= 30


# a minimal page ------------------------------------------------------------------------

def article(body: str, *, title: str = "Tiêu đề bài viết", submitted: str | None = None,
            head: str = "", breadcrumb: str = "", body_class: str = "page-node page-node-5000") -> str:
    if submitted is None:
        submitted = ('<span property="dc:date dc:created" content="2017-01-10T20:04:51+07:00">'
                     "Thứ Ba, 10/01/2017 - 20:04</span>")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | Trang</title>
<link rel="shortlink" href="/tpls/node/5000" />{head}</head>
<body class="html {body_class}">{breadcrumb}<h1 id="page-title" class="title">{title}</h1>
<div id="node-5000" class="node node-article"><div class="submitted">{submitted}</div>
<div class="content"><div class="field field-name-body"><div class="field-items"><div class="field-item even">{body}</div></div></div></div>
</div></body></html>"""


def extract(body: str, **kw):
    return extract_article(article(body, **kw), URL)


# normalisation ------------------------------------------------------------------------

def test_entities_and_decomposed_letters_come_out_nfc():
    nfd = unicodedata.normalize("NFD", "Thành phố Lạng Sơn")
    got = extract(f"<p>Th&agrave;nh ph&ocirc;&#769; L&#7841;ng S&#417;n</p><p>{nfd}</p><p>t&ocirc;̀n tại</p>")
    assert got.body == ["Thành phố Lạng Sơn", "Thành phố Lạng Sơn", "tồn tại"]
    assert all(unicodedata.is_normalized("NFC", p) for p in got.body)


def test_white_space_collapses_but_nothing_else_changes():
    got = extract("<p>&nbsp;&nbsp; Ghi  nhận\t và\n biểu dương , hoà / hòa ,…góp phần&nbsp;</p>")
    assert got.body == ["Ghi nhận và biểu dương , hoà / hòa ,…góp phần"]


@pytest.mark.parametrize("text", [
    "", " ", "a\xa0\xa0b", "\n\tx  y \u2003z\u3000", "a\u200bb  c", "e\u0301 \u0301", "x\x1cy", "  lead", "trail\xa0",
    "Hội\u00a0 \u00a0nghị", "\x85\u2028\u2029", "\ufeffBOM",
])
def test_fast_clean_text_equals_the_contract_rule(text):
    """clean_text takes shortcuts for speed; CONTRACT.md's rule is NFC, white space runs as one space, trimmed."""
    import re
    import unicodedata

    assert clean_text(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def test_empty_and_whitespace_paragraphs_are_dropped():
    got = extract("<p>&nbsp;</p><p> </p><div><br></div><p>\u200b</p><p>Một đoạn.</p><p><o:p>&nbsp;</o:p></p>")
    assert got.body == ["Một đoạn."]


# paragraphs ---------------------------------------------------------------------------

def test_br_br_splits_and_single_br_is_a_space():
    got = extract("<div>Dòng một<br>dòng hai<br><br>Đoạn hai<br />&nbsp;<br />Đoạn ba</div>")
    assert got.body == ["Dòng một dòng hai", "Đoạn hai", "Đoạn ba"]


def test_list_items_and_headings_are_paragraphs():
    got = extract("<h2>Mục một</h2><ul><li>Ý thứ nhất</li><li>Ý thứ hai<ol><li>Ý con</li></ol></li></ul>")
    assert got.body == ["Mục một", "Ý thứ nhất", "Ý thứ hai", "Ý con"]


def test_leading_title_repeat_is_removed_but_not_later_ones():
    title = "Hội nghị tổng kết năm 2016"
    got = extract(f"<p><strong>{title.upper()}</strong></p><p>Nội dung.</p><p>{title}</p>", title=title)
    assert got.body == ["Nội dung.", title]


def test_title_repeat_only_at_the_top():
    got = extract("<p>Nội dung trước.</p><p>Tiêu đề bài viết</p>")
    assert got.body == ["Nội dung trước.", "Tiêu đề bài viết"]


# related links ------------------------------------------------------------------------

def test_related_links_block_is_cut_with_its_list():
    got = extract('<p>Nội dung.</p><p><strong>Tin liên quan:</strong></p><ul><li><a href="/a">Bài A</a></li>'
                  '<li><a href="/b">Bài B</a></li></ul><p>Đoạn sau danh sách.</p>')
    assert got.body == ["Nội dung.", "Đoạn sau danh sách."]


def test_inline_see_also_line_is_cut():
    got = extract('<p>Nội dung.</p><p>Xem thêm: <a href="/x">Một bài khác của chuyên mục</a></p>')
    assert got.body == ["Nội dung."]


def test_a_related_word_inside_a_sentence_is_body():
    got = extract("<p>Các tin khác nhau được tổng hợp gửi lãnh đạo thành phố.</p>")
    assert got.body == ["Các tin khác nhau được tổng hợp gửi lãnh đạo thành phố."]


# captions -----------------------------------------------------------------------------

def test_italic_line_after_image_is_its_caption():
    got = extract('<p><img src="/a.jpg"></p><p>&nbsp;</p><p><em>Chú thích ảnh</em></p><p>Thân bài.</p>')
    assert [(i.src, i.caption) for i in got.images] == [("http://www.langson.gov.vn/a.jpg", "Chú thích ảnh")]
    assert got.body == ["Thân bài."]


def test_italic_line_not_after_an_image_is_body():
    got = extract('<p><img src="/a.jpg"></p><p>Thân bài.</p><p><em>Câu in nghiêng</em></p><p>Tiếp.</p>')
    assert got.images[0].caption is None
    assert got.body == ["Thân bài.", "Câu in nghiêng", "Tiếp."]


def test_figcaption_is_one_caption_even_with_a_photo_credit():
    got = extract('<figure><img src="/a.jpg" alt=""><figcaption>Lễ khai mạc. Ảnh: Minh Anh</figcaption></figure>'
                  "<p>Thân bài.</p>")
    assert got.images[0].caption == "Lễ khai mạc. Ảnh: Minh Anh"
    assert got.images[0].alt is None
    assert got.credits == [] and got.credit_lines == []


# credits ------------------------------------------------------------------------------

CREDIT_LINES = [
    ("Tin, ảnh: Thanh Huệ", [("Thanh Huệ", ["text", "photo"])]),
    ("Bài và ảnh: Hoàng Long", [("Hoàng Long", ["text", "photo"])]),
    ("Bài, ảnh: Hồng Nhung", [("Hồng Nhung", ["text", "photo"])]),
    ("Tin/ảnh: Quang Huy", [("Quang Huy", ["text", "photo"])]),
    ("Tin: Minh Anh; Ảnh: Thu Trang", [("Minh Anh", ["text"]), ("Thu Trang", ["photo"])]),
    ("Tin: Minh Anh - Ảnh: Thu Trang", [("Minh Anh", ["text"]), ("Thu Trang", ["photo"])]),
    ("Tin, ảnh: Minh Anh, Thu Trang", [("Minh Anh", ["text", "photo"]), ("Thu Trang", ["text", "photo"])]),
    ("Tin, ảnh: Minh Anh và Thu Trang", [("Minh Anh", ["text", "photo"]), ("Thu Trang", ["text", "photo"])]),
    ("Ảnh: Ngọc Hà", [("Ngọc Hà", ["photo"])]),
    ("Video: Văn Tùng", [("Văn Tùng", ["video"])]),
    ("Tác giả: Lê Văn Hùng", [("Lê Văn Hùng", ["text"])]),
    ("Người viết: Nông Thị Mai", [("Nông Thị Mai", ["text"])]),
    ("Nguồn: Báo Lạng Sơn", [("Báo Lạng Sơn", ["source"])]),
    ("Nguồn: https://baodaklak.vn/", [("https://baodaklak.vn/", ["source"])]),
    ("Theo LCĐT", [("LCĐT", ["source"])]),
    ("Theo baolangson.vn", [("baolangson.vn", ["source"])]),
    ("(Theo Báo Lạng Sơn)", [("Báo Lạng Sơn", ["source"])]),
    ("Thảo Nguyên", [("Thảo Nguyên", ["text"])]),
    ("Đài TT-TH TPLS", [("Đài TT-TH TPLS", ["unit"])]),
    ("Tin, ảnh: Bảo Ngọc (CTV)", [("Bảo Ngọc (CTV)", ["text", "photo"])]),
    ("Tin: Thanh Huệ - Đài TT-TH TPLS", [("Thanh Huệ", ["text"]), ("Đài TT-TH TPLS", ["unit"])]),
    ("Tin, ảnh: Hoàng Anh - Minh Đức", [("Hoàng Anh", ["text", "photo"]), ("Minh Đức", ["text", "photo"])]),
    ("Ảnh: Báo Lạng Sơn", [("Báo Lạng Sơn", ["photo"])]),
    ("Tin: Lan Anh; Nguồn ảnh: Internet", [("Lan Anh", ["text"]), ("Internet", ["photo"])]),
    ("Thực hiện: Nhóm PV", [("Nhóm PV", ["text"])]),
    ("Tin: Minh Anh/Ảnh: Thu Trang", [("Minh Anh", ["text"]), ("Thu Trang", ["photo"])]),
    ("Thu Hà (Trung tâm VH-TT thành phố)", [("Thu Hà (Trung tâm VH-TT thành phố)", ["text"])]),
    ("Nguồn: Sở Văn hóa, Thể thao và Du lịch", [("Sở Văn hóa, Thể thao và Du lịch", ["source"])]),
    ("Văn phòng HĐND và UBND thành phố", [("Văn phòng HĐND và UBND thành phố", ["unit"])]),
]


@pytest.mark.parametrize("line,expected", CREDIT_LINES, ids=[c[0] for c in CREDIT_LINES])
def test_credit_line_forms(line, expected):
    credits = parse_credit_line(line, TPLS)
    assert credits is not None, line
    assert [(c.name, c.roles) for c in credits] == expected


NOT_CREDITS = [
    "Theo đó, trong những ngày qua, dịch COVID-19 diễn biến phức tạp.",
    "Theo kế hoạch, hội nghị diễn ra trong 2 ngày",
    "Theo Ban Tổ chức, Hội nghị đã nhận 155 bài báo khoa học",
    "Một số hình ảnh tại Hội thảo:",
    "Tháng 4: Khí hậu là một lợi thế ở Phú Linh",
    "Ảnh: Đồng chí Bùi Văn Côi phát biểu tại hội nghị",
    "Xin trân trọng giới thiệu!",
    "Hội nghị kết thúc lúc 11 giờ cùng ngày.",
    "Ban Tổ chức tổng kết năm 2016 và trao giải",
    "Tin, ảnh:",
    "",
]


@pytest.mark.parametrize("line", NOT_CREDITS)
def test_lines_that_are_not_credits(line):
    assert parse_credit_line(line, TPLS) is None


def test_credits_are_only_trailing_lines():
    got = extract("<p>Tin, ảnh: Thanh Huệ</p><p>Nội dung bài viết dài hơn một câu, có dấu chấm.</p>")
    assert got.credits == []
    assert got.body[0] == "Tin, ảnh: Thanh Huệ"


def test_same_name_twice_merges_roles_and_unit_line_follows():
    got = extract("<p>Nội dung.</p><p>Bài: Minh Thư</p><p>Ảnh: Minh Thư</p>"
                  '<p style="text-align:right">Đài TT-TH TPLS</p>')
    assert [(c.name, c.roles) for c in got.credits] == [("Minh Thư", ["text", "photo"]), ("Đài TT-TH TPLS", ["unit"])]
    assert got.credit_lines == ["Bài: Minh Thư", "Ảnh: Minh Thư", "Đài TT-TH TPLS"]
    assert got.body == ["Nội dung."]


def test_credit_and_unit_in_one_paragraph_split_by_br():
    got = extract('<p>Nội dung.</p><p style="text-align:right">Tin, ảnh: Thanh Huệ<br>Đài TT-TH TPLS</p>')
    assert got.credit_lines == ["Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS"]


def test_an_organisation_sentence_alone_at_the_end_is_not_a_unit():
    got = extract("<p>Nội dung.</p><p>Phòng Tài chính - Kế hoạch thành phố</p>")
    assert got.credits == []
    assert got.body == ["Nội dung.", "Phòng Tài chính - Kế hoạch thành phố"]


# dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("2017-01-10T20:04:51+07:00", ("2017-01-10T20:04:51+07:00", True)),
    ("2017-01-10T13:04:51Z", ("2017-01-10T20:04:51+07:00", True)),
    ("2017-01-10T13:04:51+0000", ("2017-01-10T20:04:51+07:00", True)),
    ("2017-01-10T15:04:51.123+02:00", ("2017-01-10T20:04:51+07:00", True)),
    ("2017-01-10 20:04:51", ("2017-01-10T20:04:51+07:00", True)),
    ("2017-01-10T20:04", ("2017-01-10T20:04:00+07:00", True)),
    ("2017-01-10", ("2017-01-10T00:00:00+07:00", False)),
    ("1484053491", ("2017-01-10T20:04:51+07:00", True)),
    ("2017-13-45T20:04:51+07:00", None),
    ("hôm qua", None),
    ("", None),
])
def test_machine_dates(value, expected):
    assert parse_machine_date(value) == expected


def _patterns():
    import re
    return tuple(re.compile(p) for p in TPLS.date_visible_patterns)


@pytest.mark.parametrize("text,expected", [
    ("Thứ Ba, 10/01/2017 - 20:04", ("2017-01-10T20:04:00+07:00", "Thứ Ba, 10/01/2017 - 20:04")),
    ("Gửi bởi admin vào Thứ Ba, 10/01/2017 - 20:04", ("2017-01-10T20:04:00+07:00", "Thứ Ba, 10/01/2017 - 20:04")),
    ("Chủ nhật, 28/05/2023 - 19:40", ("2023-05-28T19:40:00+07:00", "Chủ nhật, 28/05/2023 - 19:40")),
    ("Cập nhật lúc 20:04 - 10/01/2017", ("2017-01-10T20:04:00+07:00", "20:04 - 10/01/2017")),
    ("Ngày 10.1.2017 lúc 8h05", ("2017-01-10T08:05:00+07:00", "Ngày 10.1.2017 lúc 8h05")),
    ("10/01/2017", ("2017-01-10T00:00:00+07:00", "10/01/2017")),
    ("31/02/2017 - 20:04", None),
    ("Không có ngày", None),
])
def test_visible_dates(text, expected):
    assert parse_visible_date(text, _patterns()) == expected


def test_machine_date_wins_and_keeps_seconds_visible_line_is_the_text():
    got = extract("<p>Nội dung.</p>")
    assert (got.published_at, got.published_text) == ("2017-01-10T20:04:51+07:00", "Thứ Ba, 10/01/2017 - 20:04")


def test_dates_in_the_body_or_sidebar_are_not_the_article_date():
    page = article('<p>Hạn chót <time datetime="2030-01-01T00:00:00+07:00">01/01/2030</time>.</p>',
                   submitted="Gửi bởi admin vào Thứ Ba, 10/01/2017 - 20:04")
    page = page.replace("</body>", '<div class="sidebar"><span class="date-display-single" '
                        'content="2031-05-05T05:05:05+07:00">05/05/2031</span></div></body>')
    got = extract_article(page, URL)
    assert got.published_at == "2017-01-10T20:04:00+07:00"


def test_article_without_date_fails_at_the_date_stage():
    with pytest.raises(ExtractionError) as caught:
        extract("<p>Nội dung.</p>", submitted="")
    assert caught.value.stage == "date" and not isinstance(caught.value, NotAnArticle)


# metadata -----------------------------------------------------------------------------

def test_section_is_last_breadcrumb_link_that_is_not_home():
    crumbs = ('<div class="breadcrumb"><a href="/tpls/">Trang chủ</a> » <a href="/tpls/tin-tuc">Tin tức</a>'
              ' » <a href="/tpls/kinh-te">Kinh tế</a> » Tiêu đề bài viết</div>')
    assert extract("<p>Nội dung.</p>", breadcrumb=crumbs).section == "Kinh tế"
    home_only = '<div class="breadcrumb"><a href="/tpls/">Trang chủ</a></div>'
    assert extract("<p>Nội dung.</p>", breadcrumb=home_only).section is None


def test_url_and_node_id():
    got = extract("<p>Nội dung.</p>", head='<link rel="canonical" href="/tpls/tin-tuc/bai-viet" />')
    assert got.url == "http://www.langson.gov.vn/tpls/tin-tuc/bai-viet"
    assert got.node_id == 5000
    assert extract("<p>Nội dung.</p>").url == URL


# attachments --------------------------------------------------------------------------

def test_attachments_by_extension():
    got = extract('<p><a href="/f/a.PDF?x=1">Văn bản</a> <a href="/f/b.docx#p">Mẫu</a> <a href="/f/c.html">Trang</a>'
                  ' <a href="/f/d.pdf.html">Không</a> <a href="/f/e.xlsx"></a></p>')
    assert [(a.href, a.text) for a in got.attachments] == [
        ("http://www.langson.gov.vn/f/a.PDF?x=1", "Văn bản"),
        ("http://www.langson.gov.vn/f/b.docx#p", "Mẫu"),
        ("http://www.langson.gov.vn/f/e.xlsx", "e.xlsx"),
    ]


# body HTML ----------------------------------------------------------------------------

def test_body_html_is_the_source_exactly():
    body = '\n<p class="x">Th&agrave;nh  <b>phố</b></p>\n<div><div>A</div></div><!-- c -->\n'
    assert extract(body).body_html == body


def test_sanitiser_removes_active_content_and_absolutises_urls():
    body = ('<p onclick="evil()" style="color:red">Chữ <a href="javascript:alert(1)">x</a> '
            '<a href="/tpls/a">y</a> <a href="JaVa&#x09;ScRiPt:alert(2)">z</a></p>'
            '<script>alert(3)</script><style>p{}</style><iframe src="http://evil"></iframe>'
            '<object data="x.swf"></object><embed src="x.swf"><form action="/x"><input name="q"></form>'
            '<img src="data:text/html;base64,PHNjcmlwdD4=" onerror="evil()"><img src="data:image/png;base64,iVBOR">'
            '<p style="width: expression(alert(4))">Kết</p><table><tr><td><em>Bảng</em></td></tr></table>')
    clean = extract(body).body_html_clean
    lowered = clean.lower()
    for bad in ("<script", "<style", "<iframe", "<object", "<embed", "<form", "<input", "onclick", "onerror",
                "javascript", "expression", "data:text"):
        assert bad not in lowered, bad
    assert 'href="http://www.langson.gov.vn/tpls/a"' in clean
    assert 'src="data:image/png;base64,iVBOR"' in clean
    assert 'style="color:red"' in clean and "<table>" in clean and "<em>Bảng</em>" in clean


def test_sanitiser_cleans_styles_and_urls_of_ordinary_paragraphs():
    clean = extract('<p style="color: red; width: expression(alert(1))">Một</p>'
                    '<p style="background: url(javascript:alert(2))">Hai</p><p><a href="vbscript:x">Ba</a></p>'
                    '<div><a href="/tpls/node/1" target="_blank">Bốn</a></div>').body_html_clean
    assert "expression" not in clean and "javascript" not in clean and "vbscript" not in clean
    assert '<a href="http://www.langson.gov.vn/tpls/node/1" target="_blank">Bốn</a>' in clean


def test_sanitiser_leaves_the_page_tree_alone_unless_asked():
    from lxml import etree

    root = etree.fromstring('<div><p onclick="x()">a</p><script>s</script></div>', etree.HTMLParser())
    div = root.find(".//div")
    assert "onclick" not in sanitize_body(div, URL)
    assert b"<script>" in etree.tostring(div)


# not articles and failures ------------------------------------------------------------

LISTING = """<html><head><title>Tin tức - Sự kiện | Trang</title></head>
<body class="html not-front page-taxonomy-term"><h1 id="page-title">Tin tức - Sự kiện</h1>
<div class="view-content">
<div class="views-row"><div id="node-11" class="node node-teaser"><h2><a href="/tpls/node/11">Bài một</a></h2>
<div class="field-name-body"><div class="field-item"><p>Tóm tắt một</p></div></div></div></div>
<div class="views-row"><div id="node-12" class="node node-teaser"><h2><a href="/tpls/node/12">Bài hai</a></h2>
<div class="field-name-body"><div class="field-item"><p>Tóm tắt hai</p></div></div></div></div>
</div><ul class="pager"><li class="pager-next"><a href="?page=1">sau</a></li></ul></body></html>"""

NOT_FOUND = """<html><head><title>Không tìm thấy trang | Trang thông tin điện tử UBND thành phố Lạng Sơn</title></head>
<body class="html not-front"><h1 id="page-title">Không tìm thấy trang</h1>
<div class="content">Không tìm thấy trang yêu cầu "/tpls/abc".</div></body></html>"""


@pytest.mark.parametrize("html", [LISTING, NOT_FOUND, "", "   ", b"\x00\x01", "<html><body><p>Chỉ có chữ</p></body></html>",
                                  article("<p>&nbsp;</p>"), article("<p>Nội dung.</p>", title="")])
def test_pages_that_are_not_articles(html):
    with pytest.raises(NotAnArticle) as caught:
        extract_article(html, URL)
    assert caught.value.reason and "\n" not in caught.value.reason


def test_unexpected_errors_become_extraction_errors_with_a_stage(monkeypatch):
    from lsarchive.extract import metadata

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(metadata, "title", broken)
    with pytest.raises(ExtractionError) as caught:
        extract("<p>Nội dung.</p>")
    assert caught.value.stage == "title" and "boom" in caught.value.reason


def test_bytes_with_a_declared_charset_and_undeclared_windows_1258():
    page = article("<p>Thành phố Lạng Sơn</p>")
    assert extract_article(page.encode("utf-8"), URL).body == ["Thành phố Lạng Sơn"]
    legacy = article("<p>Thanh pho\u0300 L\u1ea1ng S\u01a1n</p>", title="Tieu de",
                     submitted="10/01/2017 - 20:04").replace('<meta charset="utf-8">', "")
    legacy_bytes = legacy.replace("\u1ea1", "a\u0323").encode("cp1258")  # tones are combining marks in cp1258
    assert extract_article(legacy_bytes, URL).body == ["Thanh phò Lạng Sơn"]
