"""A library imported from a dataset dir (tracks without audio files, playlists with
``dataset:`` paths), as the 28k-track library imported from spotify_songs showed it:

- a Lasso or Rectangle around its tracks selected nothing and said nothing;
- opening it said "Folder watch stopped: nothing to watch: scan a music folder first" though
  no watch had been asked for: its playlists' ``dataset:`` paths counted as things to watch;
- during the first Retrain the dock said "press Retrain to train one" beside a greyed-out
  Retrain.
"""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.controllers.app import AppController
from musicsage.controllers.tasks import InlineRunner
from musicsage.search.types import MapPoints
from musicsage.usecases.library import import_dataset


def _import(ctx, tmp_path, n: int = 5):
    """``n`` tracks without a path in one playlist, imported into ``ctx``."""
    d = tmp_path / "ds"
    d.mkdir()
    rows = "".join(f"t{i},Song {i},Artist {i % 2}\n" for i in range(n))
    (d / "tracks.csv").write_text("track_id,title,artist\n" + rows, encoding="utf-8")
    (d / "memberships.csv").write_text(
        "playlist_id,track_id\n" + "".join(f"mix,t{i}\n" for i in range(n)), encoding="utf-8")
    import_dataset(ctx, d)
    return ctx


def _app(ctx):
    runner = InlineRunner()
    app = AppController(ctx, runner)
    runner.error.connect(app.task_failed)
    app.library.reload()
    runner.drain()
    return app, runner


def _on_a_map(app):
    """Every track of the library on a line of the map (x = its rank by id)."""
    ids = np.array(sorted(t.id for t in app.library.snapshot.tracks), np.int64)
    xy = np.stack([np.arange(len(ids)), np.zeros(len(ids))], 1).astype(np.float32)
    app.map.points = MapPoints(ids, xy, "audio", None)
    return ids


def test_a_region_of_tracks_without_audio_files_says_why_nothing_is_selected(ctx, tmp_path):
    app, _runner = _app(_import(ctx, tmp_path))
    _on_a_map(app)
    shown = []
    app.map_tools.region_changed.connect(shown.append)
    assert app.map_tools.select_rect(-1, -1, 10, 1) == []
    assert shown == [[]] and app.map_tools.region == []
    assert app.notifications[-1] == (
        "warning", "5 tracks in the region; none has an audio file (imported from a dataset "
                   "dir): nothing to play")


def test_a_region_with_one_playable_track_keeps_it_and_says_what_it_left_out(library, tmp_path):
    app, _runner = _app(_import(library, tmp_path))
    ids = _on_a_map(app)
    snap = app.library.snapshot
    before = len(app.notifications)
    region = app.map_tools.select_rect(-1, -1, len(ids), 1)  # the whole line
    assert region and all(snap.by_id[t].playable for t in region)
    assert len(region) == sum(t.playable for t in snap.tracks)
    assert app.notifications[before:] == [
        ("info", f"5 of {len(ids)} tracks in the region left out (no audio file)")]


def test_missing_files_are_named_as_missing(library):
    import sqlite3

    with sqlite3.connect(library.db_path) as conn:  # what a scan records of deleted files
        conn.execute("UPDATE tracks SET status = 'missing'")
    app, _runner = _app(library)
    ids = _on_a_map(app)
    assert app.map_tools.select_rect(-1, -1, len(ids), 1) == []
    assert app.notifications[-1] == (
        "warning", f"{len(ids)} tracks in the region; none can play ({len(ids)} missing)")


def test_an_imported_library_starts_no_watch_and_says_nothing(ctx, tmp_path):
    app, runner = _app(_import(ctx, tmp_path))
    assert [p.path.startswith("dataset:") for p in app.library.snapshot.playlists] == [True]
    app.watch.set_enabled(True)
    runner.drain()
    assert "watch" not in runner.ran and not app.watch.running
    assert app.notifications == []


@pytest.mark.usefixtures("qtbot")
def test_the_dock_says_the_first_model_is_training_while_it_trains(make_window, ctx, tmp_path,
                                                                  monkeypatch):
    from musicsage.controllers.training import TrainingController

    # 5 memberships: Retrain cannot train it, and the line says what training needs
    NO_MODEL = ("No graph model yet: training one needs at least 20 playlist memberships (this "
                "library has 5): put more tracks in playlists.")
    NO_MODEL_TRAINING = "No graph model yet: the first one is training."

    w = make_window(_import(ctx, tmp_path))
    panel = w.training.panel
    assert panel.model_line.text() == NO_MODEL
    w.app.training.begin_display()  # what a run's start does
    assert panel.model_line.text() == NO_MODEL_TRAINING
    for run_going in ("running", "trains_shown_library"):  # a run of the library shown
        monkeypatch.setattr(TrainingController, run_going, property(lambda self: True))
    w.app.training.show_model(w.app.library.snapshot)  # a library load during the run
    assert panel.model_line.text() == NO_MODEL_TRAINING
    monkeypatch.undo()
    w.app.training.show_model(w.app.library.snapshot)  # the run ended (cancelled): none yet
    assert panel.model_line.text() == NO_MODEL
    w.grab().save(str(tmp_path / "dock.png"))
