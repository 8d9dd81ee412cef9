"""A plain ``embed`` (the window's embed stage, a terminal's ``embed``) chooses the library's
audio model, then waits for another run of the library: when that run was an
``embed --model`` switching the library to another model, the plain run, ending last, switched
the library back to the model it had chosen before waiting — undoing the user's switch,
although a plain ``embed`` never switches the library's model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from embed_support import written_track

from musicsage.library.db import connect
from musicsage.library.lock import library_lock
from musicsage.library.queries import set_setting, store_embedding
from musicsage.usecases.embedding import current_audio_model_id, embed_library

OTHER = "musicnn-msd-max_pool"


def _track(ctx, path: Path, hz: float) -> int:
    t = np.arange(22050 * 2) / 22050
    return written_track(ctx, path, 0.4 * np.sin(2 * np.pi * hz * t))


def test_a_plain_embed_that_waited_keeps_the_model_another_run_switched_to(ctx, tmp_path):
    ids = [_track(ctx, tmp_path / f"t{i}.wav", 200.0 + 100 * i) for i in range(3)]
    assert embed_library(ctx, "spectral").embedded == 3
    ids.append(_track(ctx, tmp_path / "new.wav", 900.0))  # work for the plain run
    conn = connect(ctx)
    seen, result = [], {}
    with library_lock(conn, "embed"):  # the other run, `embed --model musicnn`, holds it
        plain = threading.Thread(target=lambda: result.update(
            rep=embed_library(ctx, progress=seen.append)))
        plain.start()
        deadline = time.monotonic() + 30
        while not any("waiting" in p.message for p in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any("waiting" in p.message for p in seen), "the plain run did not wait"
        # what the other run leaves: every track with its vector, the library switched
        for track_id in ids:
            store_embedding(conn, track_id, OTHER, "v1", np.ones(8, np.float32))
        set_setting(conn, "audio_model", OTHER)
    plain.join(60)

    rep = result["rep"]
    assert (rep.model_id, rep.embedded) == ("spectral", 1)
    assert current_audio_model_id(ctx) == OTHER, "the plain embed undid the switch"
    assert f"the library now uses {OTHER}" in rep.reason
