"""Play similar with "One per artist" on a library where only the seed's artist has other
tracks: the queue said "no more tracks for this radio" and nothing else, though the library
held eleven more tracks by that artist — the user could not tell the tick box was why. It
now says how many, by whom, and what to do; doing it queues them."""

from __future__ import annotations

from musicsage.library.db import connect


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_one_per_artist_with_only_the_seeds_artist_left_says_whose_and_how(library,
                                                                            make_app):
    with connect(library) as conn:
        conn.execute("UPDATE tracks SET artist = 'Ann'")
    app, runner = _loaded(make_app, library)
    app.set_variety(True)
    q = app.queue
    seed = app.library.snapshot.tracks[0].id
    q.play_similar(seed)
    runner.drain()
    others = len(app.library.snapshot.tracks) - 1
    assert q.tracks == [seed]
    assert q.note.endswith("; no more tracks for this radio: it stops after the ones queued; "
                           f"{others} tracks by Ann left out by one per artist: untick One per "
                           "artist and Play similar again to queue them"), q.note
    app.set_variety(False)  # what the note says to do
    q.play_similar(seed)
    runner.drain()
    assert len(q.tracks) == others + 1 and "left out" not in q.note

