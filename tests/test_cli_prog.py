"""The front doors' own name and help: ``musicsage`` alone takes the window's options."""

from __future__ import annotations

import re

import pytest

from musicsage.cli import main

WINDOW_OPTIONS = ("--data-dir", "--demo", "--select", "--screenshot", "--size")


@pytest.mark.parametrize("argv, said", [
    (["--bogus"], "musicsage: error: unrecognized arguments: --bogus"),
    (["--size", "12"], "musicsage: error: argument --size: '12' is not a window size"),
])
def test_musicsage_alone_names_itself_in_its_usage_errors(capsys, argv, said):
    """`musicsage --size 12` said `main.py: error: …`: the window's parser named the other
    front door. The usage names the commands too (a mistyped option may have meant one)."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "main.py" not in err
    assert err.splitlines()[-1].startswith(said)
    assert err.startswith("usage: musicsage [-h] [--data-dir DIR] [--demo]")
    assert "musicsage COMMAND …" in err


def test_main_py_keeps_its_own_name(capsys):
    from musicsage.gui.app import launch

    with pytest.raises(SystemExit):
        launch(["--size", "12"])
    err = capsys.readouterr().err
    assert err.startswith("usage: main.py") and "COMMAND" not in err
    assert err.splitlines()[-1].startswith("main.py: error: argument --size")


def test_musicsage_help_names_the_window_options(capsys):
    """`musicsage --help` listed the commands only: the options `musicsage` alone takes for
    the window (docs/cli.md, "The window") were nowhere in it."""
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert exit_.value.code == 0
    window = out[out.index("With no COMMAND, musicsage opens the desktop window"):]
    assert all(option in window for option in WINDOW_OPTIONS)


def test_the_window_help_keeps_up_with_the_windows_parser(capsys):
    """WINDOW_HELP names the window's options by hand: an option added to
    :func:`musicsage.gui.app.parse_args` (hidden ones aside) must be named there too."""
    from musicsage.cli_parser import WINDOW_HELP
    from musicsage.gui.app import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = capsys.readouterr().out
    listed = out[out.index("options:"):]
    options = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", listed, re.MULTILINE))
    options -= {"--help", "--version"}  # argparse's own, not the window's
    assert options == set(WINDOW_OPTIONS)
    assert options <= set(re.findall(r"--[\w-]+", WINDOW_HELP))
