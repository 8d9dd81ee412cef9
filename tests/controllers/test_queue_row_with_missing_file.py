"""A queue row whose file is missing, double-clicked (or Enter on it), is refused with the
line a click on the track elsewhere gets ("Cannot play '…': the file is missing (…)"), and the
queue stays where it was. The next playable entry played in its place, with no word: the user
heard another track than the one they chose and could not tell why. Next and the end of a
track still pass over missing files, as before."""

from __future__ import annotations

from musicsage.library.db import connect


def test_choosing_a_queued_track_whose_file_is_missing_says_so_and_plays_nothing(
        library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:4]]
    app.queue.play_list(ids, "Region")
    q = app.queue
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (ids[1],))
    app.library.reload()
    runner.drain()
    play = recorder(app.selection.play)
    said = len(app.notifications)
    q.play_at(1)
    assert len(play) == 0, "no other track played in its place"
    assert q.current == 0 and q.tracks == ids
    lines = [text for _level, text in app.notifications[said:]]
    title = app.library.snapshot.by_id[ids[1]].display_title
    assert len(lines) == 1 and lines[0].startswith(f"Cannot play '{title}': the file is missing")
    q.next()  # Next still passes over it
    assert play.last[0] == ids[2] and q.current == 2
