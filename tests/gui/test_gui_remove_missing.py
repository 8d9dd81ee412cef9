"""File › Remove missing tracks… (pytest-qt, offscreen): off while no track is missing, on
once one is, asked first naming the count; then the missing track leaves the map and the
status line says what was done — no file touched, present tracks kept."""

from __future__ import annotations

import pytest

from gui_support import settle
from musicsage.usecases.library import list_tracks, scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")


def remove_missing_action(w):
    file_menu = w.menuBar().actions()[0].menu()
    return next(a for a in file_menu.actions() if a.text() == "Remove missing tracks…")


def test_remove_missing_tracks_asks_then_takes_only_the_missing(qtbot, make_window, library,
                                                                tmp_path):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=30_000)
    act = remove_missing_action(w)
    assert not act.isEnabled(), "no track is missing"

    gone = sorted(list_tracks(library), key=lambda t: t.id)[0]
    (tmp_path / "src" / "music" / gone.path.split("/music/", 1)[1]).unlink()
    scan_library(library)
    w.app.library.reload()
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    asked = []
    w.confirm = lambda title, text: asked.append(text) or False
    act.trigger()  # the question once the files are checked, off the window's thread
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert asked and asked[0].startswith("Remove the 1 missing track from the library?")
    settle(qtbot, w)
    assert len(list_tracks(library)) == 12, "answered Cancel: nothing removed"

    w.confirm = lambda title, text: True
    act.trigger()
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 11, timeout=30_000)
    settle(qtbot, w)
    assert gone.id not in set(w.map.track_ids.tolist())
    assert len(list_tracks(library)) == 11
    assert any(text.startswith("1 missing track removed from the library (its file was "
                               "already gone)") for _level, text in w.app.notifications)
    assert not act.isEnabled(), "none missing any more"
    w.grab().save(str(tmp_path / "window.png"))


def test_an_unplugged_folders_tracks_are_kept_and_said(qtbot, make_window, library, tmp_path):
    """Every missing track lies in a music folder that is itself gone: nothing is asked nor
    removed, and the line says why and how to remove them."""
    from music_support import make_music

    usb, _playlists, _paths = make_music(tmp_path / "usb", n_tracks=4, seed=5)
    scan_library(library, [str(usb)])
    usb.rename(tmp_path / "usb" / "unplugged")
    scan_library(library)
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    asked = []
    w.confirm = lambda title, text: asked.append(text) or True
    w.resize(1300, 800)
    act.trigger()
    settle(qtbot, w)
    assert asked == [] and len(list_tracks(library)) == 16
    # after the folder watch's warning about the same folder: the counts first, the path last
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith("No missing tracks"),
                    timeout=30_000)
    w.grab().save(str(tmp_path / "said.png"))
    assert any(text.startswith("No missing tracks to remove; 4 missing tracks kept: their "
                               "music folder is gone")
               and text.endswith(f"File › Remove music folder removes them: {usb}")
               for _level, text in w.app.notifications), w.app.notifications


def test_tracks_whose_files_are_back_are_kept_and_said(qtbot, make_window, library, tmp_path):
    """The drive plugged in again, no rescan since: its tracks still count as missing (the
    action is on), but their files are there — nothing is asked nor removed, and the line
    says to rescan, before any folder path."""
    from music_support import make_music

    usb, _playlists, _paths = make_music(tmp_path / "usb", n_tracks=4, seed=5)
    scan_library(library, [str(usb)])
    usb.rename(tmp_path / "unplugged")
    scan_library(library)
    (tmp_path / "unplugged").rename(usb)
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    asked = []
    w.confirm = lambda title, text: asked.append(text) or True
    w.resize(1300, 800)
    act.trigger()
    w.grab().save(str(tmp_path / "said.png"))  # the status bar, before another note replaces it
    settle(qtbot, w)
    assert asked == [] and len(list_tracks(library)) == 16
    assert ("No missing tracks to remove; 4 tracks marked missing are there again: rescan to "
            "bring them back") in [text for _level, text in w.app.notifications]
