"""A selection made while an older library snapshot is still loading (pytest-qt, offscreen).

A reload (a scan's, an embed's, a watch batch's, a model switch's) reads the library in the
background. The search box searches the snapshot the window shows (its text folded once per
snapshot), so a track added meanwhile is found once a snapshot that holds it is shown — the
window's check for changes made elsewhere brings one within seconds. A pick made while a
reload is held must survive the snapshot it delivers; only one requested after the selection
can tell that a track left the library (and then the status line says so). The load is held
open on demand by wrapping ``load_snapshot``: it reads at once and returns when the test lets
it.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from gui_support import settle
from music_support import make_music
from musicsage.usecases.library import list_tracks, scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def _hold_next_snapshot(monkeypatch):
    """Make the next reload read the library now and deliver when ``release`` is set; the
    reloads after it run as usual. Returns (read, release) events."""
    from musicsage.controllers import library as library_controller
    from musicsage.usecases.snapshot import load_snapshot

    read, release = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        monkeypatch.setattr(library_controller, "load_snapshot", load_snapshot)
        snap = load_snapshot(*args, **kwargs)
        read.set()
        release.wait(30)
        return snap

    held.__dict__.update(load_snapshot.__dict__)  # runs as load_snapshot declares (a lookup)
    monkeypatch.setattr(library_controller, "load_snapshot", held)
    return read, release


def _pick_in_search(qtbot, w, text: str, track_id: int) -> None:
    """Type ``text`` in the search box and click ``track_id``'s row among the results."""
    panel = w.library
    panel.focus_search()
    qtbot.keyClicks(panel.search, text)
    rows = panel.results
    qtbot.waitUntil(lambda: any(rows.item(i).data(Qt.ItemDataRole.UserRole) == track_id
                                for i in range(rows.count())), timeout=30_000)
    item = next(rows.item(i) for i in range(rows.count())
                if rows.item(i).data(Qt.ItemDataRole.UserRole) == track_id)
    rows.scrollToItem(item)
    qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton,
                     pos=rows.visualItemRect(item).center())


def test_a_pick_survives_an_older_snapshot_and_a_track_added_is_found_once_shown(
        qtbot, make_window, library, tmp_path, monkeypatch):
    w = make_window(library)
    settle(qtbot, w)
    read, release = _hold_next_snapshot(monkeypatch)
    w.app.library.reload(then=w.app.selection.refresh_neighbours)  # as a watch batch does
    assert read.wait(30), "the reload read the library"
    old = w.app.library.requested

    more, _, _ = make_music(tmp_path / "more", n_tracks=1, seed=9)  # added after that read
    scan_library(library, [str(more)])
    new = max(t.id for t in list_tracks(library))
    title = next(t.title for t in list_tracks(library) if t.id == new)
    known = min(w.app.library.snapshot.by_id)
    _pick_in_search(qtbot, w, w.app.library.snapshot.by_id[known].title, known)
    assert w.app.selection.selected == known

    release.set()
    qtbot.waitUntil(lambda: w.app.library.snapshot_request == old, timeout=30_000)
    assert new not in w.app.library.snapshot.by_id, "the snapshot was read before the add"
    assert w.app.selection.selected == known, "the older snapshot dropped the user's pick"
    assert not any("no longer in the library" in text for _l, text in w.app.notifications)

    # the next reload (the window's check for changes made elsewhere) knows the track
    w.app.library.check_for_changes()
    qtbot.waitUntil(lambda: new in w.app.library.snapshot.by_id, timeout=30_000)
    w.library.search.clear()
    _pick_in_search(qtbot, w, title, new)
    settle(qtbot, w)
    assert w.app.selection.selected == new and w.map.selected == new


def test_a_track_that_left_the_library_is_deselected_and_the_status_line_says_so(
        qtbot, make_window, library, tmp_path):
    from musicsage.usecases.library import forget_folder

    more, _, _ = make_music(tmp_path / "more", n_tracks=1, seed=9)
    scan_library(library, [str(more)])
    w = make_window(library)
    settle(qtbot, w)
    gone = max(w.app.library.snapshot.by_id)
    name = w.app.library.snapshot.by_id[gone].display_title
    w.app.selection.select(gone, play=False)
    settle(qtbot, w)
    forget_folder(library, str(more))  # as a command in a terminal would
    w.app.library.check_for_changes()
    qtbot.waitUntil(lambda: w.app.selection.selected is None, timeout=30_000)
    assert w.library.details.title() == "Track (none selected)"
    assert (("info", f"{name} is no longer in the library: nothing is selected")
            in w.app.notifications)
