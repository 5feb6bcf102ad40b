"""docs/adding-a-site.md: every `lsarchive` command it shows exists, with those options."""

from __future__ import annotations

import re
import shlex

import pytest

from lsarchive.cli import main

from .helpers import REPO

DOC = REPO / "docs" / "adding-a-site.md"



def command_lines() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith("lsarchive ")]


def test_the_doc_shows_every_step_command():
    shown = {line.split()[1] for line in command_lines()}
    assert {"check", "sites", "extract", "evaluate", "crawl"} <= shown


@pytest.mark.parametrize("line", command_lines())
def test_every_command_in_the_doc_exists_with_its_options(line):
    words = shlex.split(line.split(" > ")[0].rstrip("&").strip())
    name = words[1]
    assert name in main.commands, f"`{line}`: no command {name!r}"
    command = main.commands[name]
    known = {option for param in command.params for option in (*param.opts, *param.secondary_opts)}
    for option in (w for w in words[2:] if w.startswith("-")):
        assert option in known, f"`{line}`: {option} is not an option of `lsarchive {name}` (see --help)"
