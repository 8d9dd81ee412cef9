"""``embed --threads 1`` with the DSP (spectral) model analyses one track at a time.

The spectral model computes its whole vector while the track is prepared, in the decoder
threads, and at least two of those ran whatever ``--threads`` said: ``--threads 1`` (keep one
core free for other work) kept two cores busy.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import soundfile as sf

from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library


def test_threads_one_prepares_one_track_at_a_time(ctx, tmp_path, monkeypatch):
    tone = (0.2 * np.sin(np.arange(22050) / 7)).astype(np.float32)
    conn = connect(ctx)
    for i in range(6):
        path = tmp_path / f"t{i}.wav"
        sf.write(path, tone, 22050)
        conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), path.stem))
    lock, busy, most = threading.Lock(), [0], [0]
    real = SpectralEmbedder.prepare

    def counted(self, excerpts):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        try:
            time.sleep(0.1)  # long enough for a second thread to overlap, if there is one
            return real(self, excerpts)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(SpectralEmbedder, "prepare", counted)
    rep = embed_library(ctx, "spectral", threads=1)
    assert rep.embedded == 6
    assert most[0] == 1
