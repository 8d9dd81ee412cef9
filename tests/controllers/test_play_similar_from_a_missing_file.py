"""Play similar on a track whose file is missing (a map point greyed, a drive's file deleted)
starts its radio with the neighbours, and says why the track itself does not play, in the line
a click on it gets: the radio went on with the next track, with no word, and the user heard
another track than the one they chose to start from. Controllers on a real library."""

from __future__ import annotations

from musicsage.library.db import connect


def test_play_similar_on_a_missing_file_says_why_it_does_not_play(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    seed = app.library.snapshot.tracks[0]
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (seed.id,))
    app.library.reload()
    runner.drain()
    play = recorder(app.selection.play)
    said = len(app.notifications)
    app.queue.play_similar(seed.id)
    runner.drain()
    q = app.queue
    assert q.radio and q.tracks[0] == seed.id and len(q.tracks) > 1
    assert play.last[0] == q.tracks[1], "the radio plays on from the seed's first neighbour"
    lines = [text for _level, text in app.notifications[said:]]
    assert lines == [f"Cannot play '{seed.display_title}': the file is missing "
                     f"({app.library.snapshot.by_id[seed.id].shown_path})"], lines
