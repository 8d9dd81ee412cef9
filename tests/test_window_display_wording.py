"""The one line the window says where the ``DISPLAY`` it is given cannot be used (task
"window"). ``DISPLAY=nohost.invalid`` (no display number) said "… is not an X display (set it
as :0 or host:10.0, or unset it in a Wayland session), or use the command line": the command
line offered as the other side of a fact. ``DISPLAY=nohost.invalid:0`` (a host name with no
address) said "nothing answers … (is the X server running …?)": a server that is not the
trouble; its host is now said not to be found, from the one lookup the connection made (a
second lookup waited for a slow resolver twice), and what to do follows as its own clause."""

from __future__ import annotations

import os
import socket
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


@pytest.fixture
def no_such_host(monkeypatch) -> list[str]:
    """Every host name looked up from now on has no address (no real lookup: the test needs
    no network, nor waits for a resolver); the names looked up, in order."""
    asked: list[str] = []

    def lookup(host, *_args, **_kwargs):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return asked


def test_a_display_on_a_host_that_cannot_be_found_names_the_host(tmp_path, no_such_host):
    from musicsage.x11_setup import x_display_problem

    said = x_display_problem("nohost.invalid:0", {"HOME": str(tmp_path)})
    # the advice a clause of its own: "(nohost.invalid: a typo, or no network?), or use the
    # command line" offered the command line as the other side of a question
    assert said == ("the X display nohost.invalid:0 names a host that cannot be found (a "
                    "typo, or no network?); correct DISPLAY"), said
    assert no_such_host == ["nohost.invalid"], "looked up once: a slow resolver waited twice"


def test_the_whole_line_for_a_host_that_cannot_be_found(tmp_path, no_such_host):
    from musicsage import display

    if display.missing_xcb_libraries():
        pytest.skip("this machine lacks Qt's X11 libraries: that is what is said first")
    said = display.display_problem({"DISPLAY": "nohost.invalid:0", "HOME": str(tmp_path)})
    assert said == ("cannot open the window: the X display nohost.invalid:0 names a host that "
                    "cannot be found (a typo, or no network?); correct DISPLAY, or use the "
                    "command line (no display needed): python -m musicsage --help"), said


def test_a_name_server_that_does_not_answer_is_not_called_a_typo(tmp_path, monkeypatch):
    """EAI_AGAIN (the name server unreachable: no network) said the host "cannot be found (a
    typo…)" and to correct DISPLAY, which is right as it is (task fix2_window)."""
    from musicsage.x11_setup import x_display_problem

    def lookup(host, *_args, **_kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    said = x_display_problem("nas.example:10.0", {"HOME": str(tmp_path)})
    assert said == ("the name server does not answer for nas.example, the host of the X display "
                    "nas.example:10.0 (no network?); try again once it does"), said
