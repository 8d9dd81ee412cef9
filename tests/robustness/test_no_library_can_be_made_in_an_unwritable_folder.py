"""A first use on a data dir the user cannot write (no library there yet) says so in the app's
words: the command line and the window said SQLite's "cannot open the library database …:
unable to open database file", which names neither the folder nor what to do, and in the
window (``main.py --data-dir RO --demo``) it replaced the demo card's clearer refusal. A
library already there keeps opening read-only (docs/cli.md). Tests run as root here, whom no
permission stops: the runs go through ``setpriv`` (:func:`without_dac_override`)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path


from robust_support import REPO, child_env, cli, one_tone_folder, without_dac_override


def _unwritable(folder: Path) -> Path:
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_scan_into_an_empty_folder_that_cannot_be_written_names_the_folder(tmp_path):
    prefix = without_dac_override()
    music, data = one_tone_folder(tmp_path), _unwritable(tmp_path / "library")
    try:
        run = cli("scan", str(music), data_dir=data, prefix=prefix)
    finally:
        data.chmod(0o755)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1, run.stderr
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert (f"cannot make a library in {data}: the folder is not writable (Permission denied): "
            "choose another --data-dir or make it writable") in lines[0], lines[0]
    assert "unable to open database file" not in lines[0], lines[0]
    assert list(data.iterdir()) == [], "nothing made in the folder"


OPEN = textwrap.dedent("""
    import sys
    from musicsage.errors import MusicsageError
    from musicsage.library.db import open_connection
    try:
        open_connection(sys.argv[1])
    except MusicsageError as exc:
        print(exc)
""")


def test_a_library_folder_that_cannot_be_made_names_the_folder_above_it(tmp_path):
    """Opening the database directly (not through a command, which makes the folder first)."""
    prefix = without_dac_override()
    parent = _unwritable(tmp_path / "parent")
    db = parent / "library" / "library.sqlite3"
    try:
        run = subprocess.run([*prefix, sys.executable, "-c", OPEN, str(db)], cwd=REPO,
                             env=child_env(), capture_output=True, text=True, timeout=120)
    finally:
        parent.chmod(0o755)
    assert run.stdout.strip() == (
        f"cannot make a library in {db.parent}: the folder above it, {parent}, is not "
        "writable (Permission denied): choose another --data-dir or make it writable"), run
    assert not db.parent.exists()


def test_a_library_already_in_a_folder_that_cannot_be_written_still_opens_read_only(tmp_path):
    prefix = without_dac_override()
    music, data = one_tone_folder(tmp_path), tmp_path / "library"
    assert cli("scan", str(music), data_dir=data).returncode == 0
    for lock in data.glob("*-lock"):
        lock.unlink()  # a library copied without its lock files
    data.chmod(0o555)
    try:
        run = cli("stats", data_dir=data, prefix=prefix)
    finally:
        data.chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert "cannot make a library" not in run.stderr, run.stderr


WINDOW = textwrap.dedent("""
    # main.py --data-dir DATA --demo, as far as the welcome card: its texts, as JSON
    import json, sys
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from musicsage.context import AppContext
    from musicsage.gui.main_window import MainWindow

    app = QApplication([])
    ctx = AppContext.create(sys.argv[1])
    w = MainWindow(ctx, settings=QSettings(sys.argv[2], QSettings.Format.IniFormat),
                   demo_ctx=lambda: ctx, home_ctx=ctx, show_dialogs=False, probe_audio=False,
                   persist_settings=False)
    w.show()
    QTimer.singleShot(0, w.app.demo.open)  # as main.py --demo does
    card = w.welcome

    def done():
        # the demo's read before the switch runs on a worker: its answer is waited for too
        if w.app.demo.is_reading or (w.app.library.snapshot is None
                                     and not card.problem.isVisible()):
            return QTimer.singleShot(50, done)
        print(json.dumps({"problem": card.problem.text() if card.problem.isVisible() else "",
                          "demo": card.stopped.text() if card.stopped.isVisible() else ""}))
        w.close()
        app.quit()

    QTimer.singleShot(50, done)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
""")


def test_the_window_on_a_folder_that_cannot_be_written_says_it_and_keeps_the_demos_line(
        tmp_path):
    prefix = without_dac_override()
    data = _unwritable(tmp_path / "library")
    env = child_env(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path),
                    XDG_CACHE_HOME=str(tmp_path / "cache"))
    try:
        run = subprocess.run([*prefix, sys.executable, "-c", WINDOW, str(data),
                              str(tmp_path / "settings.ini")], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=180)
    finally:
        data.chmod(0o755)
    assert run.returncode == 0, run.stderr[-2000:]
    card = json.loads(run.stdout.strip().splitlines()[-1])
    assert card["problem"].startswith(f"Cannot make a library in {data}: the folder is not "
                                      "writable (Permission denied)"), card
    assert card["demo"].startswith("Cannot open the demo library: "), card
    assert "not writable" in card["demo"], card
