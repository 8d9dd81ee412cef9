"""Each command's ``--help`` names an option's value as docs/cli.md's table of commands does:
``embed --help`` said ``--limit LIMIT`` beside "embed at most N tracks", ``--hop HOP`` where the
docs say ``--hop S``, ``train --help`` ``--max-steps MAX_STEPS``: one option, two names for its
value, between the help a user reads first and the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from musicsage.cli_parser import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def documented_synopses() -> list[str]:
    """``scan [PATH…] …`` and the like: the first cell of each row of the commands' table."""
    rows = []
    for line in DOCS.read_text(encoding="utf-8").replace("\\|", "¦").splitlines():
        if match := re.match(r"^\| `([a-z]+ [^`]*)`(?: / `([^`]*)`)? \|", line):
            rows += [part for part in match.groups() if part]
    return rows


def usage_of(command: str) -> str:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return re.sub(r"\s+", " ", sub.choices[command].format_usage())


def named_values(synopsis: str) -> list[tuple[str, str]]:
    """(option, value name) for each ``[--opt NAME]`` whose value is a name (capitals), not a
    list of choices (``--space graph¦audio¦both``)."""
    return re.findall(r"\[(--?[a-z][\w-]*) ([A-Z][A-Z=_]*)\b", synopsis)


SYNOPSES = documented_synopses()


def test_the_docs_table_is_read():
    assert len(SYNOPSES) >= 15 and any(s.startswith("embed ") for s in SYNOPSES)


@pytest.mark.parametrize("synopsis", SYNOPSES, ids=lambda s: s.split()[0])
def test_help_names_each_value_as_the_docs(synopsis):
    usage = usage_of(synopsis.split()[0])
    for option, name in named_values(synopsis):
        said = rf"(?:\[|\| ){re.escape(option)} {re.escape(name)}\b"  # [--use ID | --remove ID]
        assert re.search(said, usage), (option, name, usage)
