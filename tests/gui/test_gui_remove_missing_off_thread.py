"""File › Remove missing tracks… on a library whose files are slow to look at (pytest-qt,
offscreen): the check of which files are gone runs off the window's thread, the status line
saying so, and the action's tooltip counts what it removes — not the tracks of a music folder
that is gone as a whole, which it keeps."""

from __future__ import annotations

import os
import threading

import pytest

from gui_support import settle
from musicsage.library.paths import to_fs
from musicsage.usecases.library import list_tracks, scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")


def remove_missing_action(w):
    file_menu = w.menuBar().actions()[0].menu()
    return next(a for a in file_menu.actions() if a.text() == "Remove missing tracks…")


def unplug_one_folder_and_delete_one_file(library, tmp_path):
    """4 missing tracks of a music folder that is gone (kept), 1 deleted file (removed)."""
    from music_support import make_music

    usb, _playlists, _paths = make_music(tmp_path / "usb", n_tracks=4, seed=5)
    scan_library(library, [str(usb)])
    usb.rename(tmp_path / "usb" / "unplugged")
    gone = sorted(list_tracks(library), key=lambda t: t.id)[0]
    (tmp_path / "src" / "music" / gone.path.split("/music/", 1)[1]).unlink()
    scan_library(library)
    return gone


def test_the_tooltip_counts_what_the_action_removes(qtbot, make_window, library, tmp_path):
    unplug_one_folder_and_delete_one_file(library, tmp_path)
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    qtbot.waitUntil(lambda: "checking" not in act.toolTip(), timeout=30_000)
    assert act.toolTip().endswith("(1 missing track; 4 missing tracks kept: they are in a "
                                  "music folder that is gone or empty, or behind a link to one "
                                  "(a drive not mounted?))"), \
        act.toolTip()
    w.menuBar().actions()[0].menu().popup(w.mapToGlobal(w.rect().center()))
    w.grab().save(str(tmp_path / "window.png"))


def test_the_files_are_checked_off_the_window_thread(qtbot, make_window, library, tmp_path,
                                                     monkeypatch):
    """Every look at a missing track's file (a stat that hangs on an unplugged network drive)
    happens on a worker; the status line says the check is going; then the question comes."""
    import musicsage.library.forget as forget

    gone = unplug_one_folder_and_delete_one_file(library, tmp_path)
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    looked_from, labels, real = [], [], forget.os.path.exists
    track_files = {os.fsdecode(to_fs(t.path)) for t in list_tracks(library)}

    def exists(path):  # os.path is global: only a look at a track's file counts, not the window's
        if isinstance(path, (str, bytes, os.PathLike)) and os.fsdecode(path) in track_files:
            looked_from.append(threading.current_thread())
        return real(path)

    monkeypatch.setattr(forget.os.path, "exists", exists)
    w.app.tasks.shown.connect(labels.append)
    asked = []
    w.confirm = lambda title, text: asked.append(text) or True
    act.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert looked_from and threading.main_thread() not in looked_from
    assert "Checking which files are gone" in labels
    assert asked[0].startswith("Remove the 1 missing track from the library?")
    assert ("4 missing tracks kept: they are in a music folder that is gone or empty, or "
            "behind a link to one (a drive not mounted?).") in asked[0]
    qtbot.waitUntil(lambda: gone.id not in {t.id for t in list_tracks(library)},
                    timeout=30_000)
    settle(qtbot, w)
    assert len(list_tracks(library)) == 15
