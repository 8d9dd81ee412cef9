"""``QT_QPA_PLATFORM=wayland`` where no Wayland compositor listens is one line, not Qt's abort.

Such a setting is often made for Wayland sessions in a profile, and is still there in an X11
session or over ``ssh -X``. Qt then tries Wayland alone: it aborted (SIGABRT, "Could not load
the Qt platform plugin "wayland"… Reinstalling the application may fix this problem") even
with a working X display, which the display check had let through. The X server is a fake on
127.0.0.1 that accepts the connection.
"""

from __future__ import annotations

import socket
import sys

import pytest
from test_display_refusals import SUCCESS, FakeX, needs_xcb_libraries, one_line, run_main

from musicsage import display

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11/Wayland are Linux's")


@pytest.fixture
def working_x():
    needs_xcb_libraries()
    server = FakeX(lambda _name, _data: SUCCESS)
    yield server.display
    server.close()


def test_wayland_asked_for_in_an_x11_session_says_so_in_one_line(tmp_path, working_x):
    assert display.display_problem({"DISPLAY": working_x, "HOME": str(tmp_path)}) is None
    said = one_line(run_main(tmp_path, DISPLAY=working_x, QT_QPA_PLATFORM="wayland",
                             XDG_RUNTIME_DIR=str(tmp_path)))
    assert "QT_QPA_PLATFORM=wayland asks for Wayland, but WAYLAND_DISPLAY is not set" in said
    assert f"unset QT_QPA_PLATFORM to use the X display {working_x}" in said


def test_wayland_asked_for_with_its_compositor_gone_says_so_in_one_line(tmp_path, working_x):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "wayland-1"))
    stale.close()  # the file stays, nothing listens: a compositor that died
    said = one_line(run_main(tmp_path, DISPLAY=working_x, WAYLAND_DISPLAY="wayland-1",
                             QT_QPA_PLATFORM="wayland-egl", XDG_RUNTIME_DIR=str(tmp_path)))
    assert "QT_QPA_PLATFORM=wayland-egl asks for Wayland, but no Wayland compositor is at " \
           "wayland-1" in said


def test_wayland_with_another_platform_to_fall_back_on_is_left_to_qt(tmp_path, working_x):
    """Qt tries the next platform named: xcb (the X display is checked), offscreen (none)."""
    env = {"DISPLAY": working_x, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)}
    assert display.display_problem({**env, "QT_QPA_PLATFORM": "wayland;xcb"}) is None
    assert display.display_problem({**env, "QT_QPA_PLATFORM": "wayland;offscreen"}) is None
    with socket.socket(socket.AF_UNIX) as live:
        live.bind(str(tmp_path / "wayland-2"))
        live.listen(1)
        assert display.display_problem({**env, "WAYLAND_DISPLAY": "wayland-2",
                                        "QT_QPA_PLATFORM": "wayland"}) is None


def test_wayland_asked_for_opens_on_the_default_compositor_socket(tmp_path):
    """No ``WAYLAND_DISPLAY``: libwayland connects to ``wayland-0`` in the runtime dir, and
    Qt opens the window there (a compositor started without exporting the variable). It was
    refused as "WAYLAND_DISPLAY is not set"."""
    env = {"DISPLAY": ":0", "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)}
    with socket.socket(socket.AF_UNIX) as live:
        live.bind(str(tmp_path / "wayland-0"))
        live.listen(1)
        assert display.display_problem({**env, "QT_QPA_PLATFORM": "wayland"}) is None
        assert display.display_problem({**env, "QT_QPA_PLATFORM": "wayland;xcb"}) is None
    said = display.display_problem({**env, "QT_QPA_PLATFORM": "wayland"})  # it is gone
    assert said is not None and "WAYLAND_DISPLAY is not set and no compositor is at " \
        "wayland-0" in said


def test_the_wayland_only_line_writes_the_setting_visibly(tmp_path):
    """The setting is printed as the terminal shows it: an escape in it (a profile's stray
    colour code) must not recolour or clear the terminal."""
    said = display.display_problem({"DISPLAY": ":0", "HOME": str(tmp_path),
                                    "XDG_RUNTIME_DIR": str(tmp_path),
                                    "QT_QPA_PLATFORM": "wayland:\x1b[2J"})
    assert said is not None and "\x1b" not in said
    assert "QT_QPA_PLATFORM=wayland:\\x1b[2J asks for Wayland" in said
    assert "unset QT_QPA_PLATFORM to use the X display :0" in said
