"""A ``DISPLAY`` that is a socket's path (``/tmp/.X11-unix/X0``, ``unix:/tmp/.X11-unix/X0``, as
some launchers set it; libxcb 1.16 and later read it as that socket) was left to Qt: with
nothing listening there Qt aborted with a core dump (exit 134, "Could not load the Qt platform
plugin "xcb"…"), for a window and ``--screenshot`` alike. It gets the one line every other
form gets; a socket that answers is left to Qt where the libxcb here reads the path."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import x11_setup
from musicsage.x11_setup import x_display_problem

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11 is Linux's")


def _nothing(form: str) -> str:
    return (f"nothing answers at the X display {form} (is the X server running, or the ssh "
            "connection forwarding X?)")


@pytest.mark.parametrize("prefix", ["", "unix:"])
@pytest.mark.parametrize("suffix", ["", ".0"])
def test_no_server_at_the_path(tmp_path, prefix, suffix):
    form = f"{prefix}{tmp_path / 'X7'}{suffix}"
    assert x_display_problem(form, {"HOME": str(tmp_path)}) == _nothing(form)


@pytest.mark.parametrize("prefix", ["", "unix:"])
@pytest.mark.parametrize("libxcb", [True, False])
def test_a_server_at_the_path(tmp_path, monkeypatch, prefix, libxcb):
    """Where libxcb reads the form (1.16+; faked), a socket that answers is fine; an older
    libxcb reads no path at all, where Qt would abort: the line names the :N form to use."""
    monkeypatch.setattr(x11_setup, "libxcb_parses", lambda _display: libxcb)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(1)
        for suffix in ("", ".1"):
            form = f"{prefix}{tmp_path / 'X7'}{suffix}"
            said = x_display_problem(form, {"HOME": str(tmp_path)})
            if libxcb:
                assert said is None, form
            else:
                assert said == (f"DISPLAY={form} is a socket's path, which the libxcb here "
                                "does not read; set DISPLAY to :N for an X server whose socket is "
                                "/tmp/.X11-unix/XN (a socket elsewhere has no :N)")


def _run(tmp_path: Path, form: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY")}
    env.update(PYTHONPATH=str(REPO), HOME=str(tmp_path), DISPLAY=form,
               XDG_RUNTIME_DIR=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir",
                           str(tmp_path / "lib"), *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=180)


def test_the_window_says_it_in_one_line(tmp_path):
    from musicsage import display

    if display.missing_xcb_libraries():
        pytest.skip("this machine lacks libraries of Qt's xcb plugin (that line comes first)")
    form = f"unix:{tmp_path / 'X7'}"
    proc = _run(tmp_path, form)
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and len(said) == 1, (proc.returncode, proc.stderr[-2000:])
    assert said[0].startswith(f"musicsage: cannot open the window: {_nothing(form)}")
    assert not (tmp_path / "lib").exists()  # refused before anything was made


def test_a_screenshot_renders_offscreen(tmp_path):
    shot = tmp_path / "shot.png"
    proc = _run(tmp_path, str(tmp_path / "X7"), "--screenshot", str(shot), "--size", "640x400")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.stat().st_size > 0
