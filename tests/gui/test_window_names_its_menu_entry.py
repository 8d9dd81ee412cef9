"""The window names the application-menu entry it belongs to (``musicsage.desktop``).

On Wayland a window is tied to its menu entry, icon and name by its app_id, which Qt takes
from the application's desktop file name — unset, from the executable: the window showed in
the dock and the task switcher as "python3", with a generic icon, beside the menu's
musicsage entry. Real start-up (``gui.app.main``, as ``main.py`` runs it), offscreen Qt.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from musicsage.desktop import APP_ID, _entry_path

REPO = Path(__file__).resolve().parents[2]

SHOW_NAME = """
import sys
from PySide6.QtWidgets import QApplication
from musicsage.gui import app
code = app.main(["--data-dir", sys.argv[1]])
print("desktop-file-name=" + QApplication.instance().desktopFileName(), flush=True)
sys.exit(code)
"""


def test_the_window_names_the_menu_entry_it_belongs_to(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path),
               MUSICSAGE_STARTUP_PROBE="1")  # the window shows, then quits
    done = subprocess.run([sys.executable, "-c", SHOW_NAME, str(tmp_path / "library")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "window-shown" in done.stdout, done.stdout  # the real start-up ran
    assert f"desktop-file-name={APP_ID}\n" in done.stdout, done.stdout
    assert _entry_path().name == f"{APP_ID}.desktop"  # the entry the menu has
