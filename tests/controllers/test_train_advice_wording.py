"""Where the library cannot train (too few playlist memberships), the lines that say there is
no graph model — the dock's model line, the map's, the Suggestions tab's — say what training
needs, as the neighbours' note does, not "press Retrain" (which is not offered there: it
only answers that it cannot train)."""

from __future__ import annotations

import sqlite3

from musicsage.controllers.training import retrain_blocked

NEEDS = "training one needs at least 20 playlist memberships (this library has 5)"


def loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def keep_five_memberships(ctx) -> None:
    with sqlite3.connect(ctx.data_dir / "library.sqlite3") as conn:
        conn.execute("DELETE FROM playlist_entries WHERE rowid NOT IN (SELECT rowid FROM "
                     "playlist_entries WHERE track_id IS NOT NULL ORDER BY rowid LIMIT 5)")


def test_every_no_model_line_says_what_training_needs(library, make_app, recorder):
    keep_five_memberships(library)
    app, runner = loaded(make_app, library)
    snap = app.library.snapshot
    assert retrain_blocked(snap), "Retrain cannot train this library"
    shown = recorder(app.training.model_shown)
    app.training.show_model(snap)
    assert shown.last[0].startswith(f"No graph model yet: {NEEDS}")
    assert "Retrain" not in shown.last[0]

    app.map.choose_space("graph")
    runner.drain()
    level, line = app.notifications[-1]
    assert line.startswith(f"Showing audio only: no graph model yet: {NEEDS}")
    assert "press Retrain" not in line

    lists = recorder(app.suggestions.loaded)
    app.suggestions.show(next(p.id for p in snap.playlists))
    runner.drain()
    graph_note = app.suggestions.notes(lists.last[0])["graph"]
    assert graph_note.startswith(f"No trained graph model yet: {NEEDS}")
    assert graph_note.endswith(".") and "press Retrain" not in graph_note


def test_a_library_that_can_train_is_told_to_press_retrain(library, make_app, recorder):
    app, runner = loaded(make_app, library)
    shown = recorder(app.training.model_shown)
    app.training.show_model(app.library.snapshot)
    assert shown.last[0] == "No graph model yet: press Retrain to train one on your playlists."
