"""``musicsage --version``: the version, exit 0. It went to the window's parser, which said
``musicsage: error: unrecognized arguments: --version`` (exit 2), so a user filing a report,
or a script checking what is installed, had no way to ask."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import __version__
from musicsage.cli import main


@pytest.mark.parametrize("argv", [["--version"], ["--data-dir", "/nowhere", "--version"]])
def test_version_is_printed_and_exits_0(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)

    out, err = capsys.readouterr()
    assert exit_.value.code == 0 and err == ""
    assert out == f"musicsage {__version__}\n"


MAIN_PY = Path(__file__).resolve().parents[1] / "main.py"
NO_DISPLAY = {k: v for k, v in os.environ.items()
              if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
"""A server's environment: a window could not open here."""


@pytest.mark.parametrize("argv", [["--version"], ["--data-dir", "/nowhere", "--version"]])
def test_main_py_prints_the_version_too_without_a_display_or_qt(argv):
    """``python main.py --version`` (the window's front door) said "unrecognized arguments";
    it is the window's own option, answered before any display is looked for or Qt is
    imported."""
    reports_qt = ("import runpy, sys\n"
                  f"sys.argv = [{str(MAIN_PY)!r}, *{argv!r}]\n"
                  "try:\n"
                  f"    runpy.run_path({str(MAIN_PY)!r}, run_name='__main__')\n"
                  "finally:\n"
                  "    print(sorted(m for m in sys.modules if m.startswith('PySide6')),"
                  " file=sys.stderr)\n")

    run = subprocess.run([sys.executable, "-c", reports_qt], capture_output=True, text=True,
                         timeout=120, env=NO_DISPLAY)

    assert (run.returncode, run.stdout, run.stderr) == (0, f"musicsage {__version__}\n", "[]\n")


def test_main_py_help_lists_the_version():
    """The window's ``--help`` did not say that ``--version`` exists."""
    run = subprocess.run([sys.executable, str(MAIN_PY), "--help"], capture_output=True,
                         text=True, timeout=120, env=NO_DISPLAY)

    assert run.returncode == 0 and "--version" in run.stdout
