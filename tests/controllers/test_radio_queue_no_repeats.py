"""Play similar as a user of a music app expects it: a track taken out of a radio never comes
back at the next refill (the README promises no repeats); a seed that cannot start a radio
leaves the queue as it was and says why in one line; "One per artist" holds in the queue as
in the list shown. Controllers on a real library through an InlineRunner."""

from __future__ import annotations

import pytest

from musicsage.library.db import connect


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_a_track_removed_from_a_radio_never_comes_back(library, make_app):
    app, runner = _loaded(make_app, library)
    app.selection.can_play = lambda: False  # no sound card needed: the queue alone is checked
    q = app.queue
    q.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    gone = q.tracks[3]
    q.remove(3)
    q.play_at(len(q.tracks) - 2)  # near the end: the radio asks for more
    runner.drain()
    assert runner.ran.count("radio") == 2, "the refill was asked for"
    assert gone not in q.tracks, f"removed #{gone} came back: {q.tracks}"
    assert len(q.tracks) == len(set(q.tracks))


def test_a_seed_that_cannot_start_a_radio_keeps_the_queue(library, make_app):
    seed = 5
    connect(library).execute("DELETE FROM audio_embeddings WHERE track_id = ?", (seed,))
    app, runner = _loaded(make_app, library)
    app.selection.can_play = lambda: False
    q = app.queue
    ids = [t.id for t in app.library.snapshot.tracks if t.id != seed]
    q.play_list(ids[:4], "Region")
    q.next()
    before = (list(q.tracks), q.current, q.name, q.radio)
    n = len(app.notifications)
    q.play_similar(seed)
    runner.drain()
    assert (list(q.tracks), q.current, q.name, q.radio) == before, "the queue was replaced"
    said = app.notifications[n:]
    assert len(said) == 1, said
    level, text = said[0]
    label = app.selection.label(seed)
    assert level == "warning" and "\n" not in text
    assert text.startswith(f"Cannot start a radio from '{label}': the seed track has no audio")
    assert text.endswith("The queue is kept.") and "radio: " not in text and "no radio" not in text


@pytest.mark.parametrize("mode", ["close", "drift"])
def test_one_per_artist_holds_in_the_radio_queue(library, make_app, mode):
    app, runner = _loaded(make_app, library)
    app.selection.can_play = lambda: False
    app.set_variety(True)
    runner.drain()
    app.queue.set_mode(mode)
    app.queue.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    by_id = app.library.snapshot.by_id
    artists = [by_id[t].artist for t in app.queue.tracks]  # the seed's included
    assert len(artists) >= 2 and len(set(artists)) == len(artists), artists
