"""The window's folder watch embeds a batch's new tracks as Compute embeddings does with Audio
model ▸ "Keep the library's model": a plain embed. It named the model of the snapshot shown,
so it switched the library back to that model when another run (``embed --model`` in a
terminal) switched it while the watch's run waited for it, and it fetched that model's weights
from the network when they were gone, where a plain embed says the library's model cannot
run. The watch is driven by hand as in test_watch_controller.py; the embed runs for real."""

from __future__ import annotations

import urllib.request
from contextlib import ExitStack

import numpy as np
from music_support import make_music
from test_watch_controller import batch, say, watching

from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.library.lock import library_lock
from musicsage.library.queries import set_setting, store_embedding
from musicsage.library.scan import ScanReport
from musicsage.library.watch_apply import WatchReport
from musicsage.usecases.embedding import current_audio_model_id
from musicsage.usecases.library import scan_library

EMBED = "Computing embeddings"
OTHER = "musicnn-msd-max_pool"
OPENL3 = "openl3-mel256-music-512"


def _switch_library(ctx, model_id: str) -> None:
    """What another run's ``embed --model`` leaves: every track with a vector of its model,
    the library switched to it."""
    conn = connect(ctx)
    for (track_id,) in conn.execute("SELECT id FROM tracks").fetchall():
        store_embedding(conn, track_id, model_id, "v1", np.ones(8, np.float32))
    set_setting(conn, "audio_model", model_id)


def _batch_of_new_tracks(ctx, tmp_path, task) -> None:
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=2, seed=5)
    scanned = scan_library(ctx, [str(more)])
    say(task, batch(WatchReport(paths=2, scan=ScanReport(added=scanned.added))))


def _when_embedding_waits(runner, then) -> None:
    """``then()`` once the window's embedding run says it waits for another run of the
    library (from inside that run, which then goes on)."""
    run = runner.run

    def hooked(name, fn, *args, **kwargs):
        task = run(name, fn, *args, **kwargs)
        if name == EMBED:
            call = task._call

            def told_when_waiting(progress, cancel):
                def seen(p):
                    if "waiting" in p.message:
                        then()
                    progress(p)
                return call(progress=seen, cancel=cancel)

            task._call = told_when_waiting
        return task

    runner.run = hooked


def test_the_watch_keeps_a_switch_made_while_its_embedding_waited(library, make_app, tmp_path):
    app, runner, task = watching(make_app, library)
    assert app.library.snapshot.audio_model == "spectral"
    other_run = ExitStack()  # `embed --model musicnn` in a terminal, holding the library
    other_run.enter_context(library_lock(connect(library), "embed"))

    def other_run_ends() -> None:
        _switch_library(library, OTHER)
        other_run.close()

    _when_embedding_waits(runner, other_run_ends)
    try:
        _batch_of_new_tracks(library, tmp_path, task)
        runner.drain()
    finally:
        other_run.close()
    assert runner.ran.count(EMBED) == 1
    assert current_audio_model_id(library) == OTHER, "the watch undid the other run's switch"
    assert app.library.snapshot.audio_model == OTHER


def test_the_watch_never_downloads_the_library_models_missing_weights(
        library, make_app, tmp_path, monkeypatch):
    models = tmp_path / "models"  # no weights on disk
    models.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    fetched: list = []

    def no_network(url, *args, **kwargs):
        fetched.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    _switch_library(library, OPENL3)  # a library of OpenL3, whose weights are gone
    app, runner, task = watching(make_app, library)
    _batch_of_new_tracks(library, tmp_path, task)
    runner.drain()
    assert runner.ran.count(EMBED) == 1
    assert fetched == [], "the watch tried to download the weights"
    level, line = app.notifications[-1][:2]
    assert level == "error" and f"{OPENL3}, the library's audio model, cannot run" in line
    assert current_audio_model_id(library) == OPENL3
