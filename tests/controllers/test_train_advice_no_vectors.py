"""A library with playlists but no audio vectors yet (no Compute embeddings run): the lines
that say there is no graph model, and Retrain's tooltip and answer, send the user to Compute
embeddings first — "press Retrain" sent them to a run that failed with "no audio embeddings
yet"."""

from __future__ import annotations

import sqlite3

from musicsage.controllers.training import retrain_blocked

FIRST = "needs the tracks' audio embeddings first: use Analyse ▸ Compute embeddings"


def test_no_vectors_names_compute_embeddings_before_retrain(library, make_app, recorder):
    with sqlite3.connect(library.data_dir / "library.sqlite3") as conn:
        conn.execute("DELETE FROM audio_embeddings")
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    snap = app.library.snapshot
    assert snap.memberships, "playlists that name tracks: only the vectors are lacking"
    assert FIRST in (retrain_blocked(snap) or "")
    shown = recorder(app.training.model_shown)
    app.training.show_model(snap)
    assert FIRST in shown.last[0] and "press Retrain" not in shown.last[0]
    assert app.training.start() is None, "no run that can only fail"
    assert FIRST in app.notifications[-1][1]
