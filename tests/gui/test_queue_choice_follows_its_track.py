"""The row chosen in the Queue tab stays on its track when the queue changes around it: the
library forgot a track queued above it (its folder removed, a playlist's track gone), and the
choice kept its row number, so the next track was chosen, unasked, and Delete then took out
of the queue a track the user had not chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.library.db import connect
from musicsage.library.forget import forget_files


def test_a_track_forgotten_above_the_chosen_row_leaves_that_track_chosen(qtbot, make_window,
                                                                         library):
    w = make_window(library)
    app, panel = w.app, w.queue
    ids = [t.id for t in app.library.snapshot.tracks][:6]
    app.queue.play_list(ids, "Map region")
    panel.list.setCurrentRow(4)
    chosen = ids[4]
    gone = app.library.snapshot.by_id[ids[1]]
    forget_files(connect(library), [gone.fs_path], [])
    app.library.reload()
    qtbot.waitUntil(lambda: ids[1] not in app.queue.tracks, timeout=30_000)
    row = panel.list.currentRow()
    assert app.queue.tracks[row] == chosen, (
        f"row {row} chosen: #{app.queue.tracks[row]}, not the track chosen, #{chosen}")
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert chosen not in app.queue.tracks
    assert app.queue.tracks == [t for t in ids if t not in (ids[1], chosen)]
