"""The one line the window says where the ``DISPLAY`` it is given cannot be used (task
"window"). ``DISPLAY=nohost.invalid`` (no display number) said "… is not an X display (set it
as :0 or host:10.0, or unset it in a Wayland session), or use the command line": the command
line offered as the other side of a fact. ``DISPLAY=nohost.invalid:0`` (a host name with no
address) said "nothing answers … (is the X server running …?)": a server that is not the
trouble."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")


def _said(display: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY")}
    env["DISPLAY"] = display
    return subprocess.run([sys.executable, str(ROOT / "main.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _one_line(proc: subprocess.CompletedProcess) -> str:
    from musicsage import display

    if display.missing_xcb_libraries():
        pytest.skip("this machine lacks Qt's X11 libraries: that is what is said first")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_display_without_its_number_says_what_to_do_in_one_sentence():
    line = _one_line(_said("nohost.invalid"))
    assert line == ("musicsage: cannot open the window: DISPLAY=nohost.invalid is not an X "
                    "display (one reads :0, or host:10.0 for another machine); correct it or "
                    "unset it in a Wayland session, or use the command line (no display "
                    "needed): python -m musicsage --help")


def test_a_display_on_a_host_that_cannot_be_found_names_the_host():
    line = _one_line(_said("nohost.invalid:0"))
    assert line.startswith("musicsage: cannot open the window: the X display nohost.invalid:0 "
                           "names a host that cannot be found (nohost.invalid: "), line
    assert "is the X server running" not in line
