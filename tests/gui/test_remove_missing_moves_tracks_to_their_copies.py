"""File › Remove missing tracks… where a missing track has one copy in another music folder
(a folder copied, then deleted, which the scan took for an unplugged drive): the user says
its file is gone for good, so the track takes its copy's place — its playlist places and
vectors kept — instead of leaving the library. Asked first even with nothing else to remove:
the copy may be a laptop's and the file on a drive only unplugged (moved, the drive's file
is a new track once it is back); the status line says what was done (pytest-qt, offscreen)."""

from __future__ import annotations

import shutil

import pytest

from gui_support import settle
from musicsage.library.db import connect
from musicsage.usecases.library import list_tracks, scan_library
from test_gui_remove_missing_off_thread import remove_missing_action

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_a_missing_track_with_a_copy_takes_its_place(qtbot, make_window, library, tmp_path):
    gone = sorted(list_tracks(library), key=lambda t: t.id)[0]
    other = tmp_path / "other"
    other.mkdir()
    copy = other / gone.path.rpartition("/")[2]
    shutil.copy2(gone.path, copy)
    scan_library(library, [str(other)])
    conn = connect(library)
    copy_id = conn.execute("SELECT id FROM tracks WHERE path = ?", (str(copy),)).fetchone()[0]
    (tmp_path / "src" / "music" / gone.path.split("/music/", 1)[1]).unlink()
    with conn:  # as the scan leaves it when it cannot tell the folder from a drive unplugged
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (gone.id,))
    w = make_window(library)
    act = remove_missing_action(w)
    qtbot.waitUntil(act.isEnabled, timeout=30_000)
    qtbot.waitUntil(lambda: "checking" not in act.toolTip(), timeout=30_000)
    assert act.toolTip().endswith("(none to remove now; 1 missing track found moved to its "
                                  "copy (kept with its playlist places and vectors))")
    asked = []
    w.confirm = lambda title, text: asked.append(text) or False

    act.trigger()

    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    settle(qtbot, w)
    assert asked == ["Move the 1 missing track to its copy in the library?\n\nIt keeps its "
                     "playlist places and audio analysis. If its drive is only unplugged, "
                     "cancel, plug it in and scan again."]
    assert conn.execute("SELECT status FROM tracks WHERE id = ?", (gone.id,)).fetchone()[0] \
        == "missing", "answered Cancel: nothing moved"
    w.confirm = lambda title, text: True

    act.trigger()

    qtbot.waitUntil(lambda: any("found moved" in text for _l, text in w.app.notifications),
                    timeout=30_000)
    settle(qtbot, w)
    assert any(text.startswith("No missing tracks to remove; 1 missing track found moved to "
                               "its copy (kept with its playlist places and vectors)")
               for _level, text in w.app.notifications), w.app.notifications
    row = conn.execute("SELECT path, status FROM tracks WHERE id = ?", (gone.id,)).fetchone()
    assert tuple(row) == (str(copy), "present")
    assert conn.execute("SELECT 1 FROM tracks WHERE id = ?", (copy_id,)).fetchone() is None
    assert len(list_tracks(library)) == 12
