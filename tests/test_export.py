"""`lsarchive export` (JSON Lines and CSV) and the articles-per-month timeline."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from lsarchive.cli.research import export
from lsarchive.export import Filters, csv_row, record_from_tables, records
from lsarchive.record import CONTRACT_FIELDS
from lsarchive.timeline import articles_per_month

# The seed article and two others (tests/conftest.py): three dates, two sections.
SEED_TITLE = "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017"
FESTIVAL = "Lễ hội Kỳ Cùng năm 2018"  # 2018-02-20, Văn hóa - Xã hội
MEETING = "Hội nghị triển khai nhiệm vụ năm 2018"  # 2017-12-28, Tin tức - Sự kiện


@pytest.fixture(scope="module")
def articles(seed):
    return [seed.article(), *seed.others()]


@pytest.fixture(scope="module")
def saved(articles):
    """title → the record saved for it."""
    return {a.title: a.to_dict() for a in articles}


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory, seed, articles):
    return seed.build_archive(tmp_path_factory.mktemp("export") / "archive.db", articles)


def run_export(archive_path, *args) -> str:
    result = CliRunner().invoke(export, ["--db", str(archive_path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def jsonl_titles(output: str) -> list[str]:
    return [json.loads(line)["title"] for line in output.splitlines()]


# JSON Lines -------------------------------------------------------------------------------
def test_jsonl_lines_are_the_saved_records_with_every_contract_field(archive_path, saved):
    lines = run_export(archive_path, "--format", "jsonl").splitlines()
    assert len(lines) == len(saved)
    for line in lines:
        record = json.loads(line)
        assert set(CONTRACT_FIELDS) <= set(record)
        assert record == saved[record["title"]]


def test_jsonl_is_oldest_first_and_utf8_to_a_file(archive_path, tmp_path):
    out = tmp_path / "articles.jsonl"
    run_export(archive_path, "-o", str(out))
    text = out.read_bytes().decode("utf-8")  # UTF-8, not \u escapes
    assert SEED_TITLE in text
    dates = [json.loads(line)["published_at"] for line in text.splitlines()]
    assert dates == sorted(dates)


# CSV ----------------------------------------------------------------------------------------
def test_csv_has_the_same_rows(archive_path, tmp_path, saved):
    out = tmp_path / "articles.csv"
    run_export(archive_path, "--format", "csv", "-o", str(out))
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(saved)
    for row in rows:
        assert list(row) == list(CONTRACT_FIELDS)
        record = saved[row["title"]]
        assert row["body"].split("\n\n") == record["body"]
        for name in ("images", "credits", "credit_lines", "attachments"):
            assert json.loads(row[name]) == record[name]
        assert row["node_id"] == str(record["node_id"])
        assert row["published_at"] == record["published_at"]


def test_csv_row_writes_missing_values_as_empty_cells(seed):
    record = dict(seed.article().to_dict(), node_id=None, section=None)
    row = csv_row(record)
    assert row["node_id"] == "" and row["section"] == ""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=CONTRACT_FIELDS).writerow(row)  # writable as is


# Filters -------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, expected", [
    (["--since", "2017-12-28"], [MEETING, FESTIVAL]),
    (["--until", "2017-12-28"], [SEED_TITLE, MEETING]),
    (["--since", "2017-01-10", "--until", "2017-01-10"], [SEED_TITLE]),
    (["--since", "2018-03-01"], []),
    (["--section", "Văn hóa - Xã hội"], [FESTIVAL]),
    (["--section", "tin tuc - su kien"], [SEED_TITLE, MEETING]),
    (["--query", "thi dua"], [SEED_TITLE]),
    (["--query", "THÌ ĐUA"], [SEED_TITLE]),
    (["--query", "hội nghị", "--since", "2017-06-01"], [MEETING]),
    (["--query", '"thi đua" OR "kỳ cùng"', "--section", "Văn hóa - Xã hội"], [FESTIVAL]),
])
def test_filters(archive_path, args, expected):
    assert jsonl_titles(run_export(archive_path, *args)) == expected
    csv_rows = list(csv.DictReader(io.StringIO(run_export(archive_path, "--format", "csv", *args))))
    assert [r["title"] for r in csv_rows] == expected


@pytest.mark.parametrize("args", [["--since", "10/01/2017"], ["--until", "2017-13-01"],
                                  ["--since", "2017-1-1"], ["--query", "NOT"]])
def test_bad_filters_are_usage_errors(archive_path, args):
    result = CliRunner().invoke(export, ["--db", str(archive_path), *args])
    assert result.exit_code == 2
    assert "lsarchive:" in result.stderr


def test_missing_archive_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(export, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no archive" in result.stderr


# Records without a stored revision ---------------------------------------------------------
def test_records_rebuilt_from_tables_equal_the_stored_ones(archive_path):
    conn = sqlite3.connect(archive_path)
    for article_id, stored in conn.execute(
            "select a.id, r.record from articles a join revisions r "
            "on r.article_id = a.id and r.revision = a.revision"):
        assert record_from_tables(conn, article_id) == json.loads(stored)


def test_export_falls_back_to_tables_without_revisions(tmp_path, seed):
    path = seed.build_archive(tmp_path / "archive.db", [seed.article()])
    conn = sqlite3.connect(path)
    conn.execute("delete from revisions")
    conn.commit()
    assert list(records(conn, Filters())) == [seed.article().to_dict()]


# Timeline --------------------------------------------------------------------------------------
def test_articles_per_month_includes_empty_months(archive_path, articles):
    series = articles_per_month(sqlite3.connect(archive_path))
    assert series[0] == ("2017-01", 1) and series[-1] == ("2018-02", 1)
    assert len(series) == 14  # 2017-01 .. 2018-02, gaps included
    assert dict(series)["2017-06"] == 0
    assert sum(n for _, n in series) == len(articles)


def test_timeline_png(archive_path, tmp_path):
    pytest.importorskip("matplotlib", reason="the timeline needs the 'plot' extra (matplotlib)")
    from lsarchive.timeline import plot_timeline

    out = tmp_path / "timeline.png"
    assert plot_timeline(sqlite3.connect(archive_path), out) == 14
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
