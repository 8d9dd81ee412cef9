"""``main.py --size WxH --screenshot PNG`` with a size no screenshot should have (task
"window"): ``--size 100000x100000`` asked Qt for a 40 GB image and ended in "could not write
PNG" (the path was fine) or took the machine's memory. Each side is now 8192 px at most, and
a line says so."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from musicsage.gui.window_size import SCREENSHOT_LARGEST

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 3 << 30
"""The run's address space (bytes): what a runaway image may not take from the machine."""


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def test_a_screenshot_wider_than_any_screen_is_clamped(tmp_path):
    png = tmp_path / "wide.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               QT_SCALE_FACTOR="1")  # (a scale of the test machine's own: the next test's)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir",
                          str(tmp_path / "lib"), "--size", "100000x600", "--screenshot", str(png),
                          "--screenshot-timeout", "120"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300, preexec_fn=_limited)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert (f"musicsage: --size 100000x600 is larger than a screenshot may be: "
            f"{SCREENSHOT_LARGEST}x600 used") in out.stderr
    image = QImage(str(png))
    assert image.width() == SCREENSHOT_LARGEST and image.height() == 600
    assert f"({SCREENSHOT_LARGEST}x600)" in out.stdout


def test_a_screenshot_at_a_scale_of_2_is_clamped_in_pixels(tmp_path):
    """The image is the window's size times the screen's scale: the window clamped to 8192
    px gave a PNG of 16384 px at ``QT_SCALE_FACTOR=2`` (32768 at 4: the cap 4 times over).
    The window is clamped to half as much, and the line says why."""
    png = tmp_path / "scaled.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               QT_SCALE_FACTOR="2")
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir",
                          str(tmp_path / "lib"), "--size", "100000x600", "--screenshot", str(png),
                          "--screenshot-timeout", "120"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300, preexec_fn=_limited)
    assert out.returncode == 0, out.stderr
    half = SCREENSHOT_LARGEST // 2
    assert (f"musicsage: --size 100000x600 is larger than a screenshot may be: {half}x600 "
            "used (its image 2 times that: the screen's scale)") in out.stderr, out.stderr
    image = QImage(str(png))
    assert image.width() == SCREENSHOT_LARGEST and image.height() == 1200, image.size()
    assert f"({SCREENSHOT_LARGEST}x1200)" in out.stdout


def test_a_screenshot_at_a_scale_of_1_25_is_as_large_as_its_cap(tmp_path):
    """At a fractional scale the window was capped at 8192 ÷ the scale rounded up: 4096 px at
    1.25, an image of 5120, below the 8192 px the docs promise (task fix2_window). The image
    now reaches the cap, and is no larger."""
    png = tmp_path / "scaled.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               QT_SCALE_FACTOR="1.25")
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir",
                          str(tmp_path / "lib"), "--size", "100000x600", "--screenshot", str(png),
                          "--screenshot-timeout", "120"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300, preexec_fn=_limited)
    assert out.returncode == 0, out.stderr
    assert ("musicsage: --size 100000x600 is larger than a screenshot may be: 6553x600 used "
            "(its image 1.25 times that: the screen's scale)") in out.stderr, out.stderr
    width = QImage(str(png)).width()
    assert SCREENSHOT_LARGEST - 2 <= width <= SCREENSHOT_LARGEST, width


def test_the_window_cap_at_fractional_scales():
    from PySide6.QtCore import QSize

    from musicsage.gui.window_size import capped_size

    room = QSize(1920, 1080)
    for ratio in (1.0, 1.25, 1.5, 2.0, 3.0):
        width, _height = capped_size(100000, 600, True, room, ratio)
        assert SCREENSHOT_LARGEST - ratio < width * ratio <= SCREENSHOT_LARGEST, (ratio, width)


def test_a_window_larger_than_the_screens_is_fitted_to_them(qtbot, tmp_path, capsys):
    """``--size 100000x100000`` without ``--screenshot`` crashed (SIGSEGV) as the window was
    drawn, or took the machine's memory first: it is fitted to the screens' available area."""
    from PySide6.QtCore import QSettings

    from musicsage.context import AppContext
    from musicsage.gui import app

    args = app.parse_args(["--data-dir", str(tmp_path / "lib"), "--size", "100000x100000"])
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = app._build_window(args, AppContext.create(args.data_dir), settings)
    qtbot.addWidget(window)
    room = window.screen().availableVirtualSize()
    assert window.width() <= room.width() and window.height() <= room.height()
    said = capsys.readouterr().err
    assert "musicsage: --size 100000x100000 is larger than the screens: " in said, said
