"""The folder watch's line says when its embedding did not embed: the library's audio model
cannot run (its weights gone), or a track failed. ``scan --watch`` printed "1 new ('c.wav')"
of a batch whose embedding could not run, and nothing at all of a start whose catch-up could
not: the error was in ``--json`` only, and the new tracks stayed off the map unsaid."""

from __future__ import annotations

import threading
import urllib.request

import numpy as np
import pytest
from library_audio import write_audio
from test_watch_catch_up import embedded_library
from test_watch_folder import QUIET, TIMEOUT, Watching, wait_until

from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.library.queries import set_setting, store_embedding
from musicsage.progress import CancelToken
from musicsage.usecases.library import scan_library
from musicsage.usecases.watch import watch_library

OPENL3 = "openl3-mel256-music-512"
CANNOT_RUN = f"not embedded: {OPENL3}, the library's audio model, cannot run: "


@pytest.fixture
def weights_gone(ctx, tmp_path, monkeypatch):
    """An OpenL3 library whose model's weights are gone (no network is asked); its music."""
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: pytest.fail("downloaded"))
    music = tmp_path / "music"
    embedded_library(ctx, music)
    conn = connect(ctx)
    for (track_id,) in conn.execute("SELECT id FROM tracks").fetchall():
        store_embedding(conn, track_id, OPENL3, "v1", np.ones(8, np.float32))
    set_setting(conn, "audio_model", OPENL3)
    return music


def _watch_until_first_report(ctx) -> tuple[int, list]:
    """``watch_library`` as ``scan --watch`` runs it, stopped by its first report: (what
    "stopped watching after N updates" counts, the reports)."""
    cancel, reports = CancelToken(), []

    def said(rep) -> None:
        reports.append(rep)
        cancel.cancel()

    timer = threading.Timer(TIMEOUT, cancel.cancel)  # no report: the watch ends all the same
    timer.start()
    try:
        return watch_library(ctx, on_batch=said, cancel=cancel, quiet=QUIET), reports
    finally:
        timer.cancel()


def test_a_catch_up_that_cannot_run_the_librarys_model_says_so(ctx, weights_gone):
    write_audio(weights_gone / "added.wav", seconds=0.3, freq=700.0)  # while no watch ran
    scan_library(ctx, [str(weights_gone)])
    updates, [rep] = _watch_until_first_report(ctx)
    assert rep.catch_up and not rep.empty
    text = rep.summary()
    assert text.startswith(f"tracks that lack a vector {CANNOT_RUN}"), text
    assert "nothing was embedded" in text and "\n" not in text, text
    assert rep.to_dict()["embed"]["error"] in text
    assert updates == 0, "a catch-up that stored nothing was counted as an update"


def test_a_batch_whose_embedding_cannot_run_says_so(ctx, weights_gone):
    watch = Watching(ctx)
    try:
        write_audio(weights_gone / "c.wav", seconds=0.3, freq=900.0)
        wait_until(lambda: watch.reports, "the batch of the new file")
    finally:
        watch.stop()
    [rep] = watch.reports
    text = rep.summary()
    assert text.startswith(f"1 new ('c.wav'), {CANNOT_RUN}"), text
    assert "\n" not in text, text


def test_a_catch_up_whose_track_failed_names_it(ctx, tmp_path):
    """A track stored without a vector whose file is gone since (deleted before a scan saw
    it): the catch-up tries it and fails, at every start. It said nothing of it."""
    music = tmp_path / "music"
    embedded_library(ctx, music)
    write_audio(music / "gone.wav", seconds=0.3, freq=700.0)
    scan_library(ctx, [str(music)])
    (music / "gone.wav").unlink()
    updates, [rep] = _watch_until_first_report(ctx)
    assert rep.catch_up and rep.embed.failed == 1 and rep.embed.embedded == 0
    assert rep.summary() == "1 failed to embed ('gone.wav': file not found)"
    assert updates == 0
