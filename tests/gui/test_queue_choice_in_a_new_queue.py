"""A whole new queue in place of the old one (Play in order on another map region, a playlist
played) keeps the Queue tab's chosen row number, where the user was looking; only the same
queue changed (a track above taken out) moves the choice along with its track. The choice
jumped to the track's row in the new queue, and the list scrolled away there."""

from __future__ import annotations


def test_a_new_queue_keeps_the_chosen_row_number_not_the_track(qtbot, make_window, library):
    w = make_window(library)
    app, panel = w.app, w.queue
    ids = [t.id for t in app.library.snapshot.tracks][:8]
    app.queue.play_list(ids[:6], "Map region")
    panel.list.setCurrentRow(4)
    app.queue.play_list(ids[::-1], "Another region")  # the chosen track now in row 3
    qtbot.waitUntil(lambda: panel.heading.text() == "Another region", timeout=10_000)
    assert app.queue.tracks.index(ids[4]) == 3
    assert panel.list.currentRow() == 4, "the choice followed its track into the new queue"
