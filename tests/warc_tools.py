"""Other archive tools, run on the WARCs the tests write.

The tools live in their own virtualenv (`make .venv-tools`: pywb, py-wacz,
cdxj-indexer, warcprox), because pywb pins versions that Scrapy does not
share. A WARC the project writes must satisfy them, not only the project.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / ".venv-tools" / "bin"


def tool(name: str) -> str:
    path = TOOLS / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make .venv-tools` (make test does)")
    return str(path)


def warcio_check(path: Path) -> None:
    """`warcio check`: every block and payload digest of every record."""
    # The tools' warcio, with pywb's brotli binding: warcio 1.8 breaks on br
    # bodies with brotli >= 1.2, which Scrapy requires in the project's own venv.
    result = subprocess.run([tool("warcio"), "check", "-v", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, f"warcio check {path.name}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"


def cdxj_index(path: Path) -> list[dict]:
    """`cdxj-indexer` (pywb's indexer): one entry per capture, none refused."""
    result = subprocess.run([tool("cdxj-indexer"), str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr, \
        f"cdxj-indexer {path.name}:\n{result.stderr[-3000:]}"
    entries = []
    for line in result.stdout.splitlines():
        key, stamp, data = line.split(" ", 2)
        entries.append({"urlkey": key, "timestamp": stamp, **json.loads(data)})
    return entries


def assert_tools_accept(path: Path) -> list[dict]:
    """Both checks on one WARC; returns its CDXJ entries."""
    warcio_check(path)
    return cdxj_index(path)
