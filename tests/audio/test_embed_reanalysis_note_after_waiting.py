"""An ``embed`` that waited for another embedding run of the library says what it redid
after the wait, not what was stale when it started.

Two runs with new analysis settings (the window's and a terminal's ``embed --max-seconds``):
the second counted the stale vectors before it waited for the first, then said "7 vectors
of … were made with other analysis settings than this run's: re-analysing" above "embedded
0 of 1 track needing it" — the first run had redone them all meanwhile.
"""

from __future__ import annotations

import threading

import numpy as np

from musicsage.audio.spectral import create_embedder
from musicsage.library.db import connect
from musicsage.library.lock import library_lock
from musicsage.library.queries import store_embeddings
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track


def test_vectors_redone_by_the_run_waited_for_are_not_announced(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    ids = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(2)])
    embed_library(ctx, "spectral")  # the library's vectors, made with the defaults
    newer = create_embedder(ctx, max_seconds=5.0)
    waiting, result = threading.Event(), {}

    def seen(p) -> None:
        if "waiting" in p.message:
            waiting.set()

    def second_run() -> None:
        result["rep"] = embed_library(ctx, "spectral", max_seconds=5.0, progress=seen)

    with library_lock(connect(ctx), "embed"):  # the first run, holding the library
        worker = threading.Thread(target=second_run)
        worker.start()
        assert waiting.wait(30), "the second run never waited"
        store_embeddings(connect(ctx), [(i, np.ones(newer.dim, np.float32)) for i in ids],
                         newer.model_id, newer.model_version)  # what the first run redid
    worker.join(60)
    rep = result["rep"]
    assert (rep.total, rep.embedded) == (0, 0)
    assert rep.reanalysis == ""
