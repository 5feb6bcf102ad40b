"""What the commands check before they start: one clear line and exit 2 for bad input.

- OneLineErrors: the `lsarchive` group; click's usage errors (bad option
  values, missing arguments) come as one line, and an archive found damaged
  halfway through a read ("database disk image is malformed") too, instead
  of a traceback.
- WebURL, ProfileName: option types for URLs (http(s) only, a host, a port
  that parses) and site profile names.
- OnlyWith: a command class refusing options given without the flag they
  belong to (`crawl --articles` without `--mirror`).
- open_archive: an archive for reading, checked (an SQLite file holding the
  archive's tables), readable on a read-only file or folder.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"lsarchive: {message}", err=True)
    sys.exit(code)


def _printable(text: str, limit: int = 200) -> str:
    """Bad input quoted in a message: no control characters, no screenful."""
    text = str(text)
    shown = "".join(c if c.isprintable() else "?" for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")


class OneLineErrors(click.Group):
    """A group whose usage errors are one line: `lsarchive: crawl: <what is wrong>`.

    Click's own handling (standalone mode: Ctrl-C, broken pipes, --help) is
    kept; only the display of usage errors changes, and an archive found
    damaged halfway through a read becomes one line too.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise  # `lsarchive` alone: the help, as click shows it
        except click.ClickException as error:
            _fail_in_one_line(error)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.ClickException as error:
            _fail_in_one_line(error)
        except sqlite3.DatabaseError as error:  # an archive damaged past its first pages
            fail(f"cannot read the archive: {_printable(error)} (is it an lsarchive archive, and whole?)")


def _fail_in_one_line(error: click.ClickException) -> None:
    context = getattr(error, "ctx", None)
    path = context.command_path if context is not None else ""
    where = path.split(" ", 1)[1] + ": " if " " in path else ""
    hint = f" (see {path} --help)" if isinstance(error, click.UsageError) and path else ""
    fail(f"{where}{_printable(error.format_message(), 400)}{hint}", error.exit_code)


class WebURL(click.ParamType):
    """An http(s) URL with a host; returned as typed (stripped)."""

    name = "URL"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        try:
            parts = urlsplit(text)
            parts.port  # raises on a port that is not a number
        except ValueError as exc:
            self.fail(f"{_printable(text)!r} is not a valid URL ({exc})", param, ctx)
        if parts.scheme.lower() not in ("http", "https"):
            self.fail(f"{_printable(text)!r} is not an http:// or https:// URL", param, ctx)
        if not parts.hostname:
            self.fail(f"{_printable(text)!r} has no host name", param, ctx)
        return text


class ProfileName(click.ParamType):
    """The name of a site profile lsarchive knows (lsarchive.profiles.PROFILES)."""

    name = "PROFILE"

    def convert(self, value, param, ctx):
        from ..profiles import PROFILES

        if value not in PROFILES:
            self.fail(f"unknown site profile {_printable(value)!r} (known: {', '.join(PROFILES)})", param, ctx)
        return value


def only_with(**requirements: str):
    """A command class refusing an option typed without its flag:
    only_with(articles="use_mirror") refuses `--articles 5` without `--mirror`."""

    class OnlyWith(click.Command):
        def invoke(self, ctx):
            for option, flag in requirements.items():
                typed = ctx.get_parameter_source(option) == ParameterSource.COMMANDLINE
                if typed and not ctx.params.get(flag):
                    names = {p.name: p.opts[0] for p in self.params}
                    raise click.UsageError(f"{names[option]} only goes with {names[flag]}", ctx)
            return super().invoke(ctx)

    return OnlyWith


# Archives for reading -------------------------------------------------------------------

def open_archive(db: str, *, whole: bool = False):
    """The archive at `db` for reading, or one line and exit 2 saying why not.

    `whole`: also run SQLite's quick_check (`serve` does, before it says
    "serving": a server answering 500 on every page helps nobody; commands
    that read once meet the damage, if any, as one line instead)."""
    from ..store.archive import Archive

    path = Path(db)
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as exc:  # a folder on the way that this user may not enter
        fail(f"cannot read {db}: {exc.strerror or exc}")
    if not exists:
        fail(f"no archive at {db} (run `lsarchive crawl` first, or pass --db)")
    if not is_file:
        fail(f"{db} is not a file")
    try:
        archive = Archive(path, readonly=True)
    except PermissionError:
        fail(f"cannot read {db}: permission denied")
    except sqlite3.DatabaseError as exc:
        fail(f"{db} is not an lsarchive archive ({exc})")
    if "articles" not in archive.tables:
        archive.close()
        fail(f"{db} is not an lsarchive archive (no articles table)")
    if whole:
        try:
            verdict = archive.db.execute("pragma quick_check(1)").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            verdict = str(exc)
        if verdict != "ok":
            archive.close()
            fail(f"{db} is damaged ({_printable(verdict.replace(chr(10), '; '))}): not served")
    if getattr(archive, "immutable", False) and Path(f"{path}-wal").exists():
        click.echo(f"note: {db} is read-only and so is its folder: writes still in {path.name}-wal "
                   "(a crawl that did not finish) are not shown", err=True)
    return archive


def check_page_pairs(dirs) -> None:
    """`lsarchive evaluate`: each folder must hold NAME.html + NAME.json pairs."""
    from ..evaluate import load_pages

    for directory in dirs:
        try:
            found = load_pages([Path(directory)])
        except (ValueError, TypeError, OSError) as exc:
            fail(f"cannot read the records in {directory}: {_printable(exc)}")
        if not found:
            fail(f"no pages with records in {directory} (NAME.html beside NAME.json holding "
                 '{"page_url": ..., "expect": {...}})')


SQLITE_HEADER = b"SQLite format 3\x00"


class ArchivePath(click.Path):
    """--db: a file path; an existing non-empty file must be an SQLite file
    (a text file or random bytes named by mistake is refused before anything
    opens it, let alone writes to it)."""

    def __init__(self):
        super().__init__(dir_okay=False)

    def convert(self, value, param, ctx):
        value = super().convert(value, param, ctx)
        path = Path(value)
        try:
            with path.open("rb") as file:
                header = file.read(len(SQLITE_HEADER))
        except FileNotFoundError:
            return value
        except OSError as exc:
            self.fail(f"cannot read {_printable(value)}: {exc.strerror or exc}", param, ctx)
        if header and header != SQLITE_HEADER:
            self.fail(f"{_printable(value)} is not an SQLite file (not an lsarchive archive)", param, ctx)
        return value
