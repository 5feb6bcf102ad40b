"""WACZ export: the archive's WARCs as one file that replay tools open directly.

A WACZ 1.1.1 (Webrecorder's packaging of WARCs) holds the WARC files, a CDXJ
index, `pages/pages.jsonl` and a datapackage with every file's digest. py-wacz
(`wacz create`) builds it; lsarchive writes the pages list, one line per
article capture with its URL, title and WARC-Date, read from the record
itself, so that py-wacz can match every page to its capture in the index
(a time cut to another precision would not match, and the page would be lost).
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from .store.captures import article_captures
from .warc_read import warc_files


class WaczError(Exception):
    """The WACZ could not be made (nothing to put in it, py-wacz missing or failing)."""


@dataclass
class WaczResult:
    pages: int
    warcs: int
    path: Path


def export_wacz(conn, db: Path, output: Path, warc_dir: Path | None = None) -> WaczResult:
    try:
        from wacz.main import main as wacz_main
    except ImportError:
        raise WaczError("WACZ export needs py-wacz: pip install 'lsarchive[wacz]'") from None
    folder = warc_dir or Path(db).parent / "warcs"
    files = warc_files(folder)
    if not files:
        raise WaczError(f"no WARC files in {folder}")
    pages = list(page_lines(conn, folder))
    if not pages:
        raise WaczError("the archive holds no article captures")
    with tempfile.TemporaryDirectory() as work:
        pages_file = Path(work) / "pages.jsonl"
        with open(pages_file, "w", encoding="utf-8") as out:
            out.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Articles"}) + "\n")
            for page in pages:
                out.write(json.dumps(page, ensure_ascii=False) + "\n")
        said = io.StringIO()
        with contextlib.redirect_stdout(said):  # py-wacz prints its progress
            code = wacz_main(["create", "-o", str(output), "-p", str(pages_file), *map(str, files)])
    unmatched = [line for line in said.getvalue().splitlines() if "unable to find a match" in line]
    if code != 0 or unmatched:
        raise WaczError(f"py-wacz could not package the captures ({len(unmatched)} pages unmatched): "
                        + (unmatched[0] if unmatched else said.getvalue().strip().splitlines()[-1:]))
    return WaczResult(len(pages), len(files), Path(output))


def page_lines(conn, folder: Path):
    """One pages.jsonl entry per article capture: URL, WARC-Date, title."""
    for url, warc_file, offset, title in article_captures(conn):
        date = record_date(folder / warc_file, offset)
        if date:
            yield {"url": url, "ts": date, "title": title}


def record_date(path: Path, offset: int) -> str | None:
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            return next(iter(ArchiveIterator(handle))).rec_headers.get_header("WARC-Date")
    except (OSError, StopIteration, ValueError):
        return None
