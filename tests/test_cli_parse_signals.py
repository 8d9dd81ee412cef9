"""Ctrl-C or SIGTERM while ``musicsage.cli.main`` parses its arguments ends in the one line
the rest of the command line gives (exit 130, 143).

The start-up's handler (:mod:`musicsage.startup`) is put back before the command line runs,
and the parse ran outside ``main``'s handling: Ctrl-C then printed a ``KeyboardInterrupt``
traceback, and SIGTERM ended the process without a word.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SIGNAL_WHILE_PARSING = """
import os, sys
import musicsage.cli as cli

build = cli.build_parser

def parser_signalled_while_parsing():
    parser = build()
    parse = parser.parse_args
    def parse_args(argv):
        os.kill(os.getpid(), {sig})  # as a Ctrl-C or a `kill` while argparse works
        return parse(argv)
    parser.parse_args = parse_args
    return parser

cli.build_parser = parser_signalled_while_parsing
sys.argv = ["musicsage"] + {argv!r}
from musicsage.__main__ import main
sys.exit(main())
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("argv, name", [(["stats", "--data-dir", "{lib}"], "musicsage stats"),
                                        (["--help"], "musicsage")], ids=["stats", "help"])
def test_a_signal_while_the_arguments_are_parsed_ends_in_one_line(tmp_path, sig, argv, name):
    argv = [a.format(lib=tmp_path / "lib") for a in argv]
    done = subprocess.run([sys.executable, "-c",
                           SIGNAL_WHILE_PARSING.format(sig=int(sig), argv=argv)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    word = "interrupted" if sig == signal.SIGINT else "terminated"
    assert (done.returncode, done.stderr, done.stdout) == (128 + sig, f"{name}: {word}\n", "")
    assert not (tmp_path / "lib").exists()  # stopped before the library was opened
