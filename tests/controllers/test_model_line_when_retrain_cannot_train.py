"""A trained graph model, then tracks added and playlists cut below what training needs: the
dock's model line still said "Retrain to learn from their playlists." beside a Retrain that
could only refuse. It says what Retrain needs first, in Retrain's own words."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from musicsage.controllers.training import retrain_blocked

TRAINED = {"id": 4, "audio_model": "spectral", "unseen": 3, "inductive": 3, "seen": 9,
           "no_vector": 0}
"""The model in use as ``stats`` reports it: trained before 3 tracks were added."""
LEARN = "Retrain to learn from their playlists."


def shown_line(make_app, ctx, recorder) -> tuple[str, object]:
    """The dock's model line for ``ctx``'s library with :data:`TRAINED` in use."""
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    snap = app.library.snapshot
    snap = replace(snap, stats=replace(snap.stats, graph_model=dict(TRAINED)))
    shown = recorder(app.training.model_shown)
    app.training.show_model(snap)
    return shown.last[0], snap


def test_too_few_memberships_say_what_retrain_needs(library, make_app, recorder):
    with sqlite3.connect(library.data_dir / "library.sqlite3") as conn:
        conn.execute("DELETE FROM playlist_entries WHERE rowid NOT IN (SELECT rowid FROM "
                     "playlist_entries WHERE track_id IS NOT NULL ORDER BY rowid LIMIT 5)")
    line, snap = shown_line(make_app, library, recorder)
    blocked = retrain_blocked(snap)
    assert blocked and blocked.startswith("Retrain needs at least 20 playlist memberships")
    assert "3 tracks added or changed since training" in line
    assert LEARN not in line
    assert line.endswith(f"without retraining. {blocked}.")


def test_no_playlists_left_say_to_import_some(library, make_app, recorder):
    with sqlite3.connect(library.data_dir / "library.sqlite3") as conn:
        conn.execute("DELETE FROM playlist_entries")
    line, _snap = shown_line(make_app, library, recorder)
    assert LEARN not in line
    assert line.endswith("without retraining. Retrain needs playlists that name tracks of this "
                         "library: import some (File ▸ Import playlists…).")


def test_a_library_that_can_train_is_told_to_retrain(library, make_app, recorder):
    line, snap = shown_line(make_app, library, recorder)
    assert retrain_blocked(snap) is None
    assert line.endswith(f"without retraining. {LEARN}")
