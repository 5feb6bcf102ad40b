"""Every command over bad arguments and bad files: one clear line, the documented
exit code, never a traceback.

The commands come from `lsarchive.cli.main.commands`, and the bad values from
each command's own options (an URL option gets bad URLs, a number option
words, a --db option files that are no archive...), so a command or an option
added later is tried too. Click's CliRunner runs them in-process (fast); a
few cases run the real `lsarchive` in a subprocess, and the read-only ones as
another user (root reads any file).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from lsarchive.cli import main
from lsarchive.cli.checks import ArchivePath, ProfileName, WebURL
from lsarchive.warc import Exchange, WarcWriter

from .helpers import as_another_user, free_port

GOLD = Path(__file__).parent / "gold" / "tpls" / "2019"
SEED_PAGE = GOLD / "01-seed-clean-paragraphs.html"
SEED_URL = "http://www.langson.gov.vn/tpls/node/1001"
COMMANDS = sorted(main.commands)
# Commands that only read the archive: they must also work on a read-only one.
READ_COMMANDS = ("stats", "search", "export")


@pytest.fixture(scope="module")
def files(tmp_path_factory, seed_archive):
    """Bad files of every kind, and good ones to damage."""
    folder = tmp_path_factory.mktemp("bad")
    paths = {
        "text": folder / "text.db", "random": folder / "random.db", "empty": folder / "empty.db",
        "corrupt": folder / "corrupt.db", "folder": folder / "a-folder", "missing": folder / "missing.db",
        "archive": folder / "archive.db", "page": folder / "page.html", "no-pairs": folder / "no-pairs",
        "not-warc": folder / "not-a-warc.warc.gz", "warc": folder / "warcs",
    }
    paths["text"].write_text("hello, I am not a database\n")
    paths["random"].write_bytes(os.urandom(8192))
    paths["empty"].write_bytes(b"")
    shutil.copy(seed_archive, paths["corrupt"])
    with open(paths["corrupt"], "r+b") as file:  # keep the header, damage the pages after it
        file.seek(4096)
        file.write(b"\xde\xad\xbe\xef" * 8192)
    paths["folder"].mkdir()
    shutil.copy(seed_archive, paths["archive"])
    paths["page"].write_bytes(SEED_PAGE.read_bytes())
    paths["no-pairs"].mkdir()
    (paths["no-pairs"] / "lonely.html").write_text("<html></html>")
    paths["bad-json"] = folder / "bad-json"
    paths["bad-json"].mkdir()
    (paths["bad-json"] / "page.html").write_text("<html></html>")
    (paths["bad-json"] / "page.json").write_text('{"page_url": "http://x/", "expect": ')
    paths["not-warc"].write_bytes(b"\x00\x01binary\xff\xfe garbage\x1b[31m" * 100)
    writer = WarcWriter(paths["warc"])
    body = SEED_PAGE.read_bytes()
    for n in range(3):
        writer.write_exchange(Exchange(
            url=f"{SEED_URL}?copy={n}", method="GET", request_headers=[("Host", "www.langson.gov.vn")],
            request_body=b"", status=200, reason="OK",
            response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            response_body=body))
    writer.close()
    whole = next(paths["warc"].glob("*.warc.gz"))
    paths["whole-warc"] = whole
    paths["truncated-warc"] = folder / "truncated.warc.gz"
    data = whole.read_bytes()
    paths["truncated-warc"].write_bytes(data[: int(len(data) * 0.8)])
    paths["bad-record-warc"] = folder / "bad-record.warc.gz"
    paths["bad-record-warc"].write_bytes(b"\x1f\x8b\x08\x00garbage-record" + data)
    return paths


def run(*args) -> "click.testing.Result":
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def assert_clean(result, code: int | tuple[int, ...], *args) -> None:
    """The exit code, and no traceback: an error is one line on stderr."""
    codes = code if isinstance(code, tuple) else (code,)
    where = f"lsarchive {' '.join(map(str, args))}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"{where} raised {type(result.exception).__name__}:\n{trace}")
    assert "Traceback" not in result.output and "Traceback" not in result.stderr, where
    assert result.exit_code in codes, f"{where} exited {result.exit_code}: {result.stderr or result.output}"
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("lsarchive"), f"{where}: {result.stderr!r}"
        assert lines[0].isprintable(), lines[0]


# Generic: every option of every command, given values it must refuse --------------------

def required_arguments(command: click.Command, files) -> list[str]:
    """Valid values for the command's required arguments (the bad value goes to an option)."""
    values = []
    for param in command.params:
        if not isinstance(param, click.Argument) or not param.required:
            continue
        if isinstance(param.type, click.Path) and param.type.exists and not param.type.file_okay:
            values.append(str(GOLD))
        elif isinstance(param.type, click.Path) and param.type.exists:
            values.append(str(files["whole-warc"]))
        elif param.name == "page":
            values.append(str(files["page"]))
        else:
            values.append("thi dua")
    return values


def bad_values(param: click.Parameter, files) -> list[str]:
    kind = param.type
    if isinstance(kind, WebURL):
        return ["garbage", "htp://x", "http://[::1", "http://x:99999/", "mailto:a@b", "http://"]
    if isinstance(kind, ProfileName):
        return ["nope"]
    if isinstance(kind, ArchivePath):
        return [files["text"], files["random"], files["folder"]]
    if isinstance(kind, click.Choice):
        return ["nope"]
    if isinstance(kind, click.IntRange):
        return ["many", "-1"] if kind.min is not None and kind.min >= 0 else ["many"]
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return ["many"]
    if isinstance(kind, click.Path) and kind.exists:
        return [files["missing"]]
    if isinstance(kind, click.Path) and not kind.dir_okay:
        return [files["folder"]]
    return []


def option_cases(files) -> list:
    cases = []
    for name in COMMANDS:
        command = main.commands[name]
        cases.append(pytest.param(name, ["--no-such-option"], id=f"{name}-unknown-option"))
        for param in command.params:
            if not isinstance(param, click.Option) or param.is_flag or param.name in ("help",):
                continue
            for value in bad_values(param, files):
                cases.append(pytest.param(name, [param.opts[0], str(value)],
                                          id=f"{name}-{param.opts[0]}-{Path(str(value)).name}"))
    return cases


def test_every_command_refuses_every_bad_option_value(files):
    tried = set()
    count = 0
    for case in option_cases(files):
        name, option_args = case.values
        args = [name, *option_args, *required_arguments(main.commands[name], files)]
        assert_clean(run(*args), 2, *args)
        tried.add(name)
        count += 1
    assert tried == set(COMMANDS) and count > 40, (tried, count)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_without_its_arguments_or_with_an_extra_one(name, files):
    command = main.commands[name]
    required = required_arguments(command, files)
    if required:
        assert_clean(run(name), 2, name)
    if not any(isinstance(p, click.Argument) and p.nargs == -1 for p in command.params):
        args = [name, *required, "unexpected-extra-argument"]
        assert_clean(run(*args), 2, *args)


# Every command that reads an archive, given files that are none ---------------------------

def db_commands() -> list[str]:
    return [name for name in COMMANDS if any(p.name == "db" for p in main.commands[name].params)]


@pytest.mark.timeout(120)  # a serve that wrongly starts would never end
@pytest.mark.parametrize("kind", ["text", "random", "empty", "corrupt", "missing", "folder"])
@pytest.mark.parametrize("name", [n for n in db_commands() if n in (*READ_COMMANDS, "serve")])
def test_read_commands_refuse_a_file_that_is_no_archive(name, kind, files):
    extra = {"search": ["thi dua"], "serve": ["--port", str(free_port())]}.get(name, [])
    args = [name, "--db", files[kind], *extra]
    result = run(*args)
    assert_clean(result, 2, *args)
    assert "serving" not in result.stderr
    if kind == "missing":
        assert not files["missing"].exists()


def test_export_and_stats_still_read_a_damaged_archive_as_far_as_they_can(files):
    """A corrupt archive: one line naming the problem (exit 2), or the rows that can be read."""
    for args in (["stats", "--db", files["corrupt"]], ["export", "--db", files["corrupt"]],
                 ["search", "thi", "--db", files["corrupt"]]):
        assert_clean(run(*args), (0, 2), *args)


# The cases of the issue, one by one -------------------------------------------------------

@pytest.mark.parametrize("query", ["thi dua)", "NEAR(thi dua)", "thi AND", "(thi", '"thi dua'])
def test_fts_syntax_errors_in_search_and_export(query, files):
    for args in (["search", query, "--db", files["archive"]],
                 ["export", "--query", query, "--db", files["archive"]]):
        result = run(*args)
        assert_clean(result, (0, 2), *args)  # 0: the query layer made sense of it
        if result.exit_code == 2:
            assert "search" in result.stderr


@pytest.mark.parametrize("args, needle", [
    (["crawl", "--site-url", "garbage"], "http"),
    (["crawl", "--site-url", "htp://x"], "http"),
    (["crawl", "--site-url", "http://[::1"], "URL"),
    (["crawl", "--site-url", "http://127.0.0.1:9/tpls/", "--articles", "5"], "--mirror"),
    (["crawl", "--site-url", "http://127.0.0.1:9/tpls/", "--seed", "5"], "--mirror"),
    (["crawl", "--mirror", "--site-url", "http://127.0.0.1:9/tpls/"], "exclusive"),
    (["crawl", "--spider", "nope"], "nope"),
    (["extract", "{folder}", "--url", SEED_URL], "folder"),
    (["extract", "{page}", "--url", SEED_URL, "--profile", "nope"], "nope"),
    (["extract", "{page}", "--url", "notaurl"], "notaurl"),
    (["extract", "{page}"], "--url"),
    (["extract", "{missing}", "--url", SEED_URL], "no such file"),
    (["extract", "http://[::1"], "URL"),
    (["evaluate", "{no-pairs}", "--no-trafilatura"], "no pages"),
    (["evaluate", "{folder}", "--no-trafilatura"], "no pages"),
    (["evaluate", "{bad-json}", "--no-trafilatura"], "cannot read the records"),
    (["reextract", "--db", "{archive}", "--warcs", "{folder}"], "no WARC"),
    (["serve", "--db", "{text}"], "SQLite"),
    (["serve", "--db", "{empty}"], "not an lsarchive archive"),
    (["stats", "--db", "{missing}"], "no archive"),
    (["export", "--since", "yesterday", "--db", "{archive}"], "since"),
    (["import-warc", "{missing}"], "missing"),
])
def test_bad_input_of_the_issue(args, needle, files):
    args = [str(a).format(**{k: v for k, v in files.items()}) for a in args]
    result = run(*args)
    assert_clean(result, 2, *args)
    assert needle in result.stderr


IMPORT_WARC_CASES = [
    pytest.param("not-warc", (1, 2), id="not-a-warc"),
    pytest.param("truncated-warc", 1, id="truncated"),
    pytest.param("bad-record-warc", 1, id="bad-record"),
]


@pytest.mark.parametrize("kind, codes", IMPORT_WARC_CASES)
def test_import_warc_of_a_bad_file_is_one_printable_line(kind, codes, files, tmp_path):
    db = tmp_path / "imported.db"
    args = ["import-warc", files[kind], "--db", db]
    result = run(*args)
    failures = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        failures.append(f"raised {result.exception!r}")
    if result.exit_code not in (codes if isinstance(codes, tuple) else (codes,)):
        failures.append(f"exit {result.exit_code}")
    if not all(line.isprintable() for line in result.stderr.splitlines()):
        failures.append("unprintable message")
    if db.exists():
        running = sqlite3.connect(db).execute("select count(*) from crawl_runs where status = 'running'")
        if running.fetchone()[0]:
            failures.append("a run left 'running'")
    if failures:
        pytest.fail(f"import-warc {kind}: {'; '.join(failures)}")


# Read-only archives ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def read_only_archive(seed_archive):
    """The seed archive, chmod 444, in a folder chmod 555 that other users may enter."""
    folder = Path(tempfile.mkdtemp(prefix="lsarchive-ro-"))
    os.chmod(folder, 0o755)
    db = folder / "archive.db"
    shutil.copy(seed_archive, db)
    for leftover in folder.glob("archive.db-*"):
        leftover.unlink()
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    yield db
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)


@pytest.mark.parametrize("args, expect", [
    (["stats"], "3 articles"),
    (["search", "thi dua"], "1 hit"),
    (["export", "--format", "jsonl"], "3 articles exported"),
    (["export", "--format", "csv", "--query", "thi dua"], "1 article exported"),
])
def test_read_commands_fully_work_on_a_read_only_archive(read_only_archive, args, expect):
    result = subprocess.run(as_another_user([sys.executable, "-m", "lsarchive.cli", *args,
                                             "--db", str(read_only_archive)]),
                            capture_output=True, text=True, timeout=120, cwd="/")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert expect in result.stdout + result.stderr


# A few real subprocesses: what a shell user sees -------------------------------------------

@pytest.mark.parametrize("args", [
    ["search", "thi dua)", "--db", "{archive}"],
    ["crawl", "--site-url", "http://[::1"],
    ["serve", "--db", "{text}", "--port", "{port}"],
    ["stats", "--db", "{random}"],
    ["extract", "{folder}"],
])
def test_real_processes_print_one_line_and_exit_2(args, files):
    names = {k: str(v) for k, v in files.items()} | {"port": str(free_port())}
    args = [a.format(**names) for a in args]
    result = subprocess.run([sys.executable, "-m", "lsarchive.cli", *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "serving" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
