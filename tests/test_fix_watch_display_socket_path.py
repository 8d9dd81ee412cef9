"""A ``DISPLAY`` that is a socket's path, judged as libxcb reads it.

A path with a stray space or newline after it (``export DISPLAY="/tmp/.X11-unix/X0 "``) is no
form libxcb reads: it got "nothing answers at the X display …" though a server listened at the
path, sending the user to a server that runs; it is refused as no X display, as before. libxcb
1.16 and later take a screen after a path only as ``.1``, ``.2``… (``.0`` is no screen to it):
a path it does not read was refused as "older than 1.16", which a newer libxcb is not; the line
says what to set instead, the path without ``.0`` where the libxcb here reads that."""

from __future__ import annotations

import json
import os
import re
import socket
import sys

import pytest

from musicsage import x11_setup
from musicsage.x11_setup import x_display_problem

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11 is Linux's")


def _libxcb_1_16_parses(display: str) -> bool:
    """``xcb_parse_display`` of libxcb 1.16+ for a socket's path: the path as it is when it
    exists, else less a ``.S`` screen whose first digit is 1 to 9."""
    path = display[len("unix:"):] if display.startswith("unix:") else display
    if os.path.exists(path):
        return True
    screen = re.fullmatch(r"(.+)\.[1-9]\d*", path)
    return bool(screen) and os.path.exists(screen.group(1))


@pytest.mark.parametrize("prefix", ["", "unix:"])
@pytest.mark.parametrize("stray", [" ", "\n", "\t", '"', "'", ";", "/"])
def test_a_stray_space_after_the_path_is_no_display(tmp_path, prefix, stray):
    """A server listens at the path; the stray character makes it no display libxcb reads (a
    quote, ``;`` or ``/`` after it was told "nothing answers" with the server running)."""
    form = f"{prefix}{tmp_path / 'X7'}{stray}"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(1)
        said = x_display_problem(form, {"HOME": str(tmp_path)}, timeout=0.5)
    shown = json.dumps(form) if stray.isspace() else form  # quoted where a space would hide
    assert said == (f"DISPLAY={shown} is not an X display (one reads :0, or host:10.0 "
                    "for another machine); correct it or unset it in a Wayland session")


@pytest.mark.parametrize("prefix", ["", "unix:"])
def test_a_screen_newer_libxcb_does_not_read(tmp_path, monkeypatch, prefix):
    """libxcb 1.16+ (faked) reads ``X7.1`` but not ``X7.0``: the line names no version and
    gives the form it reads, the path without ``.0``."""
    monkeypatch.setattr(x11_setup, "libxcb_parses", _libxcb_1_16_parses)
    bare = f"{prefix}{tmp_path / 'X7'}"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(1)
        assert x_display_problem(bare + ".1", {"HOME": str(tmp_path)}, timeout=0.5) is None
        said = x_display_problem(bare + ".0", {"HOME": str(tmp_path)}, timeout=0.5)
    assert said == (f"DISPLAY={bare}.0 is a socket's path, which the libxcb here does not read; "
                    f"set DISPLAY to {bare}")


def test_an_older_libxcb_is_told_the_display_number(monkeypatch):
    """A libxcb that reads no path (faked): the socket of ``:0`` is named as ``:0``, its screen
    kept; no version is claimed."""
    monkeypatch.setattr(x11_setup, "libxcb_parses", lambda _display: False)
    monkeypatch.setattr(x11_setup, "open_socket",
                        lambda _family, _path, _timeout: socket.socket(socket.AF_UNIX))
    for form, fix in (("/tmp/.X11-unix/X0", ":0"), ("unix:/tmp/.X11-unix/X3.1", ":3.1")):
        assert x_display_problem(form, {}) == (
            f"DISPLAY={form} is a socket's path, which the libxcb here does not read; set "
            f"DISPLAY to {fix}")
