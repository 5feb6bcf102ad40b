"""The README's command table and `lsarchive --help` say the same thing,
as sqlite-utils checks its documentation against its commands."""

from __future__ import annotations

import re

from lsarchive.cli import main

from .helpers import REPO


def readme_table_rows() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `lsarchive ")]


def test_every_command_is_in_the_readme_table_and_every_row_is_a_command():
    named = {re.match(r"\| `lsarchive ([a-z-]+)", row).group(1) for row in readme_table_rows()}
    assert named == set(main.commands)


def test_every_option_the_readme_table_shows_exists():
    for row in readme_table_rows():
        usage = row.split("|")[1]
        for command_text in re.findall(r"`lsarchive ([^`]+)`", usage):
            name = command_text.split()[0]
            command = main.commands[name]
            known = {option for param in command.params for option in (*param.opts, *param.secondary_opts)}
            for option in re.findall(r"(--[a-z][a-z-]*)", command_text):
                assert option in known, f"README shows {option} for `lsarchive {name}`; --help does not"
