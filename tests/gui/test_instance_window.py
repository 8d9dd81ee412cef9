"""What the window keeps of itself: the demo that cannot be made, settings that cannot be
written, and a session per library.

- "Open demo library" with no room for the demo's folder (a full disk, a read-only home, a
  file where ``~/.local/share/musicsage`` should be) did nothing but print a traceback.
- Settings that could not be written were lost without a word.
- One session slot for all libraries: two windows on two libraries wiped each other's
  selection. Each library has its own now; the one slot of before is read once."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QSettings

from gui_support import settle
from musicsage.gui.main_window import MainWindow
from musicsage.usecases.library import list_tracks


def test_a_demo_folder_that_cannot_be_made_says_so_in_one_line(qtbot, make_window, ctx,
                                                                tmp_path, monkeypatch):
    data_home = tmp_path / "xdg-data"
    data_home.mkdir()
    (data_home / "musicsage").write_text("not a folder")  # where the demo's folder goes
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    w = make_window(ctx)  # the demo in its own data dir, as main.py opens the window
    before = list(w.app.notifications)
    assert w.stack.currentWidget() is w.welcome
    w.welcome.demo_button.click()
    qtbot.wait(200)
    new = w.app.notifications[len(before):]
    assert len(new) == 1, new
    level, text = new[0]
    assert level == "error"
    assert text.startswith("Cannot open the demo library: cannot create the library folder "
                           f"{data_home / 'musicsage' / 'demo'}")
    assert w.app.ctx.data_dir == ctx.data_dir and not w.app.demo.building
    assert w.stack.currentWidget() is w.welcome
    assert w.statusBar().currentMessage().startswith("Error: Cannot open the demo library")
    if os.environ.get("MUSICSAGE_SHOTS"):
        w.grab().save(os.path.join(os.environ["MUSICSAGE_SHOTS"], "demo_folder_error.png"))


def test_settings_that_cannot_be_written_are_said_once(qtbot, ctx, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings = QSettings(str(blocked / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False)
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    with caplog.at_level(logging.WARNING, logger="musicsage.gui.window_settings"):
        w.actions_.watch_folders.toggle()  # saved at once
        w.actions_.watch_folders.toggle()
        w.close()  # saved again
    said = [t for level, t in w.app.notifications if "settings not saved" in t]
    assert said == [f"Window settings not saved to {blocked / 'settings.ini'}: make it "
                    "writable to keep the layout and choices"]
    assert [r.getMessage() for r in caplog.records] == said


def _select_and_close(qtbot, make_window, library, row: int):
    w = make_window(library)
    tid = list_tracks(library)[row].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(tid, play=False)
    return tid, w


def _restored(qtbot, make_window, library):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    qtbot.wait(100)
    selected = w.app.selection.selected
    w.close()
    return selected


def test_two_libraries_keep_their_own_session(qtbot, make_window, library, mapped_library):
    one, w1 = _select_and_close(qtbot, make_window, library, 2)
    two, w2 = _select_and_close(qtbot, make_window, mapped_library, 4)  # both open at once
    w1.close()
    w2.close()  # the last closed wiped the other's
    assert _restored(qtbot, make_window, library) == one
    assert _restored(qtbot, make_window, mapped_library) == two


def test_the_session_saved_before_the_upgrade_is_read_once(qtbot, make_window, library,
                                                           mapped_library, tmp_path):
    tid = list_tracks(library)[3].id
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    s.setValue("session/library", str(library.data_dir))  # one slot, as versions before kept
    s.setValue("session/track", tid)
    s.sync()
    assert _restored(qtbot, make_window, mapped_library) is None, "not another library's"
    assert _restored(qtbot, make_window, library) == tid
    s.sync()
    assert s.value("session/track") is None, "kept in the library's own slot from now on"
    assert _restored(qtbot, make_window, library) == tid
