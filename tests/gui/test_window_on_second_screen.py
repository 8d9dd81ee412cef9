"""A window left on a second monitor opens there again.

The restored geometry was fitted into the primary screen's area (the window's screen asked
before its geometry was restored): a window the user kept on the right-hand monitor came back
on the left one at every launch. Qt's offscreen platform takes a list of screens from a file,
so a child process has two side by side (the test process has the one screen it started with).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication, QMainWindow
from musicsage.context import AppContext
from musicsage.gui.main_window import MainWindow

app = QApplication([])
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
left_there = QMainWindow()  # the last session's window, closed on the right-hand screen
left_there.setGeometry(QRect(*map(int, sys.argv[3].split(","))))
settings.setValue("window/geometry", left_there.saveGeometry())
w = MainWindow(AppContext.create(sys.argv[2]), settings=settings, show_dialogs=False,
               probe_audio=False)
g = w.geometry()
print("GEOMETRY", g.x(), g.y(), g.width(), g.height(), flush=True)
w.close()
"""


def reopened(tmp_path: Path, left: tuple[int, int, int, int]) -> tuple[int, ...]:
    """The geometry a window gets whose last session ended at ``left``, on two 1920x1080
    screens side by side (left: 0..1919, right: 1920..3839)."""
    screens = [{"name": name, "x": x, "y": 0, "width": 1920, "height": 1080,
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
               for name, x in (("left", 0), ("right", 1920))]
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": screens}))
    env = dict(os.environ, PYTHONPATH=str(REPO),
               QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "settings.ini"),
                          str(tmp_path / "library"), ",".join(map(str, left))],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("GEOMETRY")), None)
    assert line is not None, out.stderr[-2000:]
    return tuple(int(v) for v in line.split()[1:])


def test_a_window_left_on_the_second_screen_opens_there_again(tmp_path):
    x, y, width, height = reopened(tmp_path, (2100, 100, 1200, 800))
    assert (x, y, width, height) == (2100, 100, 1200, 800)


def test_a_window_larger_than_the_second_screen_is_fitted_into_that_screen(tmp_path):
    x, y, width, height = reopened(tmp_path, (2000, 40, 2400, 1300))
    assert x >= 1920 and x + width <= 3840 and y + height <= 1080
