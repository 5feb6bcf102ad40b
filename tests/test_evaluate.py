"""evaluate(): the scoring on the real pages, and its arithmetic on tiny cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lsarchive.evaluate import evaluate, format_report, paragraph_f1, score_page

from .helpers import REALWORLD_DIR, require_shared

REALWORLD = REALWORLD_DIR
GOLD = Path(__file__).parent / "gold" / "tpls" / "2019"


def test_realworld_scores_full_marks_for_title():
    require_shared(REALWORLD)
    report = evaluate([REALWORLD], compare_trafilatura=False, repeats=1)
    assert len(report.pages) == 10
    assert report.failures == 0
    assert report.fields["title"] == 1.0
    assert report.fields["published_at"] == 1.0
    text = format_report(report, verbose=True)
    assert "title" in text and "100.0%" in text


def test_paragraph_f1():
    assert paragraph_f1([], []) == 1.0
    assert paragraph_f1(["a", "b"], ["a", "b"]) == 1.0
    assert paragraph_f1(["a", "b"], []) == 0.0
    assert paragraph_f1(["a", "b", "c", "d"], ["a", "b"]) == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert paragraph_f1(["a"], ["a", "a"]) == pytest.approx(2 * 0.5 * 1.0 / 1.5)  # a duplicate is an error


def _record(**changes):
    record = {"url": "u", "node_id": 1, "section": "S", "title": "T", "published_at": "2017-01-10T20:04:00+07:00",
              "published_text": "x", "body": ["a", "b"],
              "images": [{"src": "i1", "alt": None, "caption": "c1"}, {"src": "i2", "alt": None, "caption": None}],
              "credits": [{"name": "N", "roles": ["text", "photo"]}], "credit_lines": ["Tin, ảnh: N"], "attachments": []}
    record.update(changes)
    return record


def test_score_page_counts_each_field():
    perfect = score_page("p", _record(), _record())
    assert perfect.body_f1 == 1.0 and perfect.captions_right == 2 and not perfect.mismatches
    wrong = score_page("p", _record(), _record(
        title="X", body=["a"], images=[{"src": "i1", "alt": None, "caption": "other"}, {"src": "i2", "caption": None}],
        credits=[{"name": "N", "roles": ["text"]}]))
    assert wrong.exact["title"] is False
    assert wrong.body_f1 == pytest.approx(2 / 3)
    assert wrong.captions_right == 1
    assert wrong.names == (1, 1, 1) and wrong.credits == (0, 1, 1)
    assert {m.field for m in wrong.mismatches} == {"title", "body", "captions", "credits"}


def test_a_wrong_expected_record_lowers_the_scores(tmp_path):
    page = next(GOLD.glob("04-*.json"))
    shutil.copy(page.with_suffix(".html"), tmp_path / "01-page.html")
    record = json.loads(page.read_text(encoding="utf-8"))
    record["expect"]["title"] = "Một tiêu đề khác"
    record["expect"]["body"] = record["expect"]["body"][:2] + ["Đoạn không có trong trang."]
    record["expect"]["credits"].append({"name": "Người Khác", "roles": ["text"]})
    (tmp_path / "01-page.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = evaluate([tmp_path], compare_trafilatura=False, repeats=1)
    assert report.fields["title"] == 0.0
    # expected 3 paragraphs, 2 found among the 5 extracted
    assert report.fields["body"] == pytest.approx(2 * (2 / 5) * (2 / 3) / (2 / 5 + 2 / 3))
    assert report.fields["credit_names"] == pytest.approx(2 * 1 * (2 / 3) / (1 + 2 / 3))
    assert report.fields["published_at"] == 1.0
    text = format_report(report, verbose=True)
    assert "01-page: title" in text and "Một tiêu đề khác" in text


def test_failures_are_counted(tmp_path):
    (tmp_path / "01-empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "01-empty.json").write_text(json.dumps({"page_url": "http://x/", "expect": _record()}), encoding="utf-8")
    report = evaluate([tmp_path], compare_trafilatura=False, repeats=1)
    assert report.failures == 1 and report.fields["body"] == 0.0
    assert "FAILED" in format_report(report, verbose=True)


def test_trafilatura_side_by_side():
    pytest.importorskip("trafilatura")
    report = evaluate([GOLD], compare_trafilatura=True, repeats=1)
    assert report.trafilatura_f1 is not None and 0.0 <= report.trafilatura_f1 <= 1.0
    assert report.fields["body"] > report.trafilatura_f1
    assert "trafilatura" in format_report(report)
