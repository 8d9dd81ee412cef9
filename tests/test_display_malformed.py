"""A ``DISPLAY`` that names no X display at all (``0``, ``localhost``: a typo in a shell
profile) gets the window's one line, not Qt's abort (exit 134) with its false hint about
``libxcb-cursor0``; forms libxcb reads that this module does not parse are still left to Qt.
A stray space (``export DISPLAY=":0 "`` in a shell profile) is such a typo: libxcb does not
strip it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import display, x11_setup
from musicsage.x11_setup import malformed_display, x_display_problem

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11 is Linux's")


UNREADABLE = ["0", "localhost", ":0x", ":0.1.2", "host:", " ", ":0 ", ":57 ", ":0\t",
              ":1.0 "]
READABLE = [":0", ":1.0", "host:10.0", "tcp/host:10", "[::1]:3", "::1:0"]


@pytest.fixture(params=["libxcb", "pattern"])
def judge(request, monkeypatch):
    """Both ways of judging: libxcb's own parser, and the pattern used where it is absent."""
    if request.param == "libxcb" and x11_setup.libxcb_parses(":0") is None:
        pytest.skip("libxcb does not load here")
    if request.param == "pattern":
        monkeypatch.setattr(x11_setup, "_libxcb", lambda: None)
    return request.param


@pytest.mark.parametrize("value", UNREADABLE)
def test_a_display_libxcb_cannot_read_is_named(tmp_path, value, judge):
    said = x_display_problem(value, {"HOME": str(tmp_path)})
    shown = json.dumps(value) if re.search(r"\s", value) else value  # ":0 " shows its space
    assert said == (f"DISPLAY={shown} is not an X display (one reads :0, or host:10.0 for "
                    "another machine); correct it or unset it in a Wayland session")


@pytest.mark.parametrize("value", READABLE)
def test_forms_libxcb_reads_are_not_called_malformed(value, judge):
    assert malformed_display(value) is None


def test_libxcb_agrees_that_a_trailing_space_is_no_display():
    if x11_setup.libxcb_parses(":0") is None:
        pytest.skip("libxcb does not load here")
    assert [x11_setup.libxcb_parses(v) for v in UNREADABLE] == [False] * len(UNREADABLE)
    assert [x11_setup.libxcb_parses(v) for v in READABLE] == [True] * len(READABLE)


@pytest.mark.parametrize("value", ["/tmp/.X11-unix/X0", "unix:/tmp/.X11-unix/X0"])
def test_a_socket_path_is_left_to_qt(value, judge):
    assert malformed_display(value) is None


@pytest.mark.parametrize("value", ["localhost", ":0 "])
def test_the_window_says_it_in_one_line_and_exits_1(tmp_path, value):
    if display.missing_xcb_libraries():
        pytest.skip("this machine lacks libraries of Qt's xcb plugin (that line comes first)")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY")}
    env.update(PYTHONPATH=str(REPO), HOME=str(tmp_path), DISPLAY=value)
    shown = json.dumps(value) if " " in value else value
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir",
                           str(tmp_path / "my library")], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and len(said) == 1, (proc.returncode, proc.stderr[-2000:])
    assert said[0].startswith(f"musicsage: cannot open the window: DISPLAY={shown} is not")
    assert "python -m musicsage --help" in said[0]
    assert not (tmp_path / "my library").exists()  # refused before anything was made
