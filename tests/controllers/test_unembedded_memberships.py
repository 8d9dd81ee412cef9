"""Retrain counted the playlist memberships of tracks without an audio vector, which training
drops: a library past the threshold only through tracks not analysed yet was offered Retrain,
then refused. Only the memberships of analysed tracks count now, and that library is told to
compute the embeddings first — in the window's words, the use cases' notes included."""

from __future__ import annotations

import sqlite3

from musicsage.controllers.training import retrain_blocked, train_advice
from musicsage.controllers.wording import RETRAIN_ADVICE, window_note
from musicsage.graph.reports import MIN_MEMBERSHIPS

FIRST = "needs the audio embeddings of more of its playlists' tracks first"
THEN = "use Analyse ▸ Compute embeddings, then Retrain"


def loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_memberships_of_unanalysed_tracks_do_not_offer_retrain(library, make_app):
    from musicsage.usecases.search import similar_tracks

    with sqlite3.connect(library.data_dir / "library.sqlite3") as conn:
        conn.execute("DELETE FROM audio_embeddings WHERE track_id NOT IN "
                     "(SELECT id FROM tracks ORDER BY id LIMIT 4)")
    app, _runner = loaded(make_app, library)
    snap = app.library.snapshot
    assert len(set(snap.memberships)) >= MIN_MEMBERSHIPS, "enough, counting unanalysed tracks"
    blocked = retrain_blocked(snap) or ""
    assert blocked.startswith(f"Retrain {FIRST} (")
    assert 0 < snap.usable_memberships < MIN_MEMBERSHIPS
    assert f"({snap.usable_memberships} of its {len(set(snap.memberships))} " in blocked
    assert blocked.endswith(THEN) and train_advice(snap) == f"training one {FIRST}" + \
        blocked.removeprefix(f"Retrain {FIRST}")
    assert app.training.start() is None, "no run that can only be refused"
    assert app.notifications[-1] == ("warning", blocked)

    note = similar_tracks(library, snap.tracks[0].id, 5, "both").notes["graph"]
    assert FIRST in note and "musicsage embed" in note  # the command line's words
    shown = window_note(note)
    assert FIRST in shown and shown.endswith(THEN) and "musicsage" not in shown


def test_a_library_whose_members_are_analysed_is_offered_retrain(library, make_app):
    app, _runner = loaded(make_app, library)
    snap = app.library.snapshot
    assert retrain_blocked(snap) is None and train_advice(snap) == RETRAIN_ADVICE
    assert len(set(snap.memberships)) >= snap.usable_memberships == MIN_MEMBERSHIPS  # enough
