"""Window settings that cannot be saved because the disk is full are not called unwritable.

QSettings says "access error" for a full disk as for a read-only folder; the notice said
"make it writable" about a writable file. It now tells them apart: a full disk or quota says
so, another write error is named, an unwritable place still says "make it writable"
(tests/gui/test_instance_window.py). A child process stands in for the full disk with a
file size limit of 0 bytes (writes fail with EFBIG).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.gui import window_settings

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import resource, signal, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from musicsage.context import AppContext
from musicsage.gui.main_window import MainWindow

app = QApplication([])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
w = MainWindow(AppContext.create(sys.argv[1]), settings=settings, show_dialogs=False,
               probe_audio=False)
w.show()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
w.actions_.watch_folders.toggle()  # saved at once
for level, text in w.app.notifications:
    if "settings not saved" in text:
        print("SAID", level, text, flush=True)
w.close()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE, SIGXFSZ")
def test_a_write_failure_in_a_writable_folder_is_named_not_called_unwritable(tmp_path):
    (tmp_path / "config").mkdir()
    ini = tmp_path / "config" / "settings.ini"
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "lib"), str(ini)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    said = [line for line in proc.stdout.splitlines() if line.startswith("SAID")]
    assert said == [f"SAID warning Window settings not saved to {ini}: writing there fails "
                    f"({os.strerror(errno.EFBIG)}); the layout and choices are not kept"]
    assert os.listdir(tmp_path / "config") == []  # the probe written beside it is gone


def test_a_full_disk_says_so(tmp_path, monkeypatch):
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(window_settings, "_write_problem", lambda folder: full)
    ini = tmp_path / "settings.ini"
    assert window_settings.unsaved_settings_words(str(ini)) == (
        f"Window settings not saved to {ini}: the disk is full or over quota; free some "
        "space to keep the layout and choices")


def test_an_unwritable_folder_still_says_make_it_writable(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    ini = blocked / "deeper" / "settings.ini"  # missing folders: the nearest one is a file
    assert window_settings.unsaved_settings_words(str(ini)) == (
        f"Window settings not saved to {ini}: make it writable to keep the layout and "
        "choices")
