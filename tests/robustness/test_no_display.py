"""Issue 16 item 10: ``python main.py`` where no window can open says so in one line — what is
missing, how to fix it, and that the command line works — instead of Qt's abort."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from robust_support import REPO, lines

from musicsage import display


def run_main(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)


def assert_one_line(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    said = lines(proc.stderr)
    assert len(said) == 1, proc.stderr[-2000:]  # no Traceback, no qt.qpa lines, no abort
    for fragment in fragments:
        assert fragment in said[0], said[0]
    return said[0]


def unused_x_display() -> str:
    for n in range(90, 200):
        if not os.path.exists(f"/tmp/.X11-unix/X{n}"):
            return f":{n}"
    pytest.skip("no free X display number")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland are Linux's")
def test_no_display_at_all():
    proc = run_main({})
    assert_one_line(proc, "musicsage: cannot open the window: no display",
                    "DISPLAY", "WAYLAND_DISPLAY", "python -m musicsage --help")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland are Linux's")
def test_a_display_nobody_answers_or_missing_xcb_libraries_are_named():
    x = unused_x_display()
    proc = run_main({"DISPLAY": x})
    missing = display.missing_xcb_libraries()
    if missing:  # this machine lacks some of what Qt's xcb plugin needs: those are named
        said = assert_one_line(proc, "Qt's X11 plugin needs", *missing, "apt-get install",
                               "python -m musicsage --help")
        for soname in missing:
            assert display.SONAME_PACKAGES[soname] in said
    else:
        assert_one_line(proc, f"nothing answers at the X display {x}", "python -m musicsage --help")


def test_offscreen_and_help_need_no_display(tmp_path):
    assert display.display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display.display_problem({"QT_QPA_PLATFORM": "minimal", "DISPLAY": ":0"}) is None
    proc = run_main({}, "--help")
    assert proc.returncode == 0 and "--screenshot" in proc.stdout
    png = tmp_path / "welcome.png"
    proc = run_main({"QT_QPA_PLATFORM": "offscreen"}, "--data-dir", str(tmp_path / "lib"),
                    "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png.stat().st_size > 0


def test_ldd_output_is_read_and_every_xcb_dependency_has_a_package():
    sample = ("\tlibQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x1)\n"
              "\tlibxcb-icccm.so.4 => not found\n"
              "\tlibxcb-keysyms.so.1 => not found\n"
              "\tlibxcb-icccm.so.4 => not found\n")
    assert display.parse_ldd_missing(sample) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    plugin = display.xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6 ships no xcb plugin here")
    qt_lib = plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6"
    needed = set()
    for binary in (plugin, qt_lib):
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
        needed |= {line.split()[0] for line in out.splitlines()
                   if "xcb" in line.split()[0] or "xkbcommon" in line.split()[0]}
    assert needed and needed <= set(display.SONAME_PACKAGES), needed - set(display.SONAME_PACKAGES)
    setup = (REPO / "scripts" / "setup.sh").read_text()
    for soname in needed:  # the setup script installs each of them
        assert display.SONAME_PACKAGES[soname] in setup, soname


def test_wayland_socket_means_the_window_can_open(tmp_path):
    runtime = Path(tmp_path)
    compositor = socket.socket(socket.AF_UNIX)
    compositor.bind(str(runtime / "wayland-1"))
    compositor.listen(1)  # a compositor listens there (a stale file is no compositor)
    env = {"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": str(runtime)}
    with compositor:
        assert display.display_problem(env) is None
    assert "no Wayland compositor" in display.display_problem(
        {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(runtime)})
