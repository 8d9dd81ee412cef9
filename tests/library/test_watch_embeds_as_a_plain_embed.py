"""The folder watch (``scan --watch``) embeds as a plain ``embed`` does (docs/cli.md: "the
folder watch do the same"). It named the library's model as if ``--model`` had been given, so
it (a) switched the library back to that model when another run — ``embed --model`` in another
terminal — had switched it while the watch's embedding waited for it, and (b) fetched the
model's weights from the network when they were gone, where a plain ``embed`` only says that
the library's model cannot run."""

from __future__ import annotations

import urllib.request

import numpy as np
from library_audio import write_audio
from test_watch_catch_up import embedded_library
from test_watch_folder import Watching, wait_until

from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.library.lock import library_lock
from musicsage.library.queries import set_setting, store_embedding
from musicsage.usecases.embedding import current_audio_model_id
from musicsage.usecases.library import scan_library

OTHER = "musicnn-msd-max_pool"
OPENL3 = "openl3-mel256-music-512"


def _track_ids(ctx) -> list[int]:
    return [row[0] for row in connect(ctx).execute("SELECT id FROM tracks")]


def _switch_library(ctx, model_id: str) -> None:
    """What another run's ``embed --model`` leaves: every track with a vector, the library
    switched to its model."""
    conn = connect(ctx)
    for track_id in _track_ids(ctx):
        store_embedding(conn, track_id, model_id, "v1", np.ones(8, np.float32))
    set_setting(conn, "audio_model", model_id)


def test_a_watch_whose_embedding_waited_keeps_the_model_another_run_switched_to(ctx, tmp_path):
    music = tmp_path / "music"
    embedded_library(ctx, music)  # spectral
    write_audio(music / "new.wav", seconds=0.3, freq=700.0)  # added while no watch ran
    scan_library(ctx, [str(music)])
    seen: list = []
    with library_lock(connect(ctx), "embed"):  # the other run, `embed --model musicnn`
        watch = Watching(ctx, progress=seen.append)  # its catch-up waits for that run
        try:
            wait_until(lambda: any("waiting" in p.message for p in list(seen)),
                       "the watch's embedding to wait for the other run")
            _switch_library(ctx, OTHER)
        except BaseException:
            watch.stop()
            raise
    try:
        wait_until(lambda: watch.reports, "the watch's catch-up")
    finally:
        watch.stop()
    [rep] = watch.reports
    assert rep.catch_up and rep.embed.embedded == 1
    assert current_audio_model_id(ctx) == OTHER, "the watch undid the other run's switch"
    assert f"the library now uses {OTHER}" in rep.embed.reason


def test_a_watch_never_downloads_the_library_models_missing_weights(ctx, tmp_path, monkeypatch):
    models = tmp_path / "models"  # no weights on disk
    models.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    fetched: list = []

    def no_network(url, *args, **kwargs):
        fetched.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    music = tmp_path / "music"
    embedded_library(ctx, music)
    _switch_library(ctx, OPENL3)  # a library of OpenL3, whose weights are gone
    watch = Watching(ctx)
    try:
        write_audio(music / "new.wav", seconds=0.3, freq=700.0)
        wait_until(lambda: watch.reports, "the batch of the new file")
    finally:
        watch.stop()
    [rep] = watch.reports
    assert rep.scan.added == 1
    assert fetched == [], "the watch tried to download the weights"
    error = rep.embed.as_dict()["error"]
    assert error.startswith(f"{OPENL3}, the library's audio model, cannot run")
    assert "nothing was embedded" in error
    assert current_audio_model_id(ctx) == OPENL3
