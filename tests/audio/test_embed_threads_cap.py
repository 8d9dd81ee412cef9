"""``embed --threads N`` above the cores this process may use keeps every core busy, no more.

``--threads 100000`` laid out 100,000 inference lanes and decoder threads and decoded every
track of the library ahead at once (1.8 GB for 40 short tracks, against 160 MB without it).
"""

from __future__ import annotations

import numpy as np
import soundfile as sf

from musicsage.audio import threads
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library


def test_threads_beyond_the_cores_are_capped_at_the_cores(ctx, tmp_path, monkeypatch):
    tone = (0.2 * np.sin(np.arange(2 * 22050) / 7)).astype(np.float32)
    conn = connect(ctx)
    for i in range(3):
        path = tmp_path / f"t{i}.wav"
        sf.write(path, tone, 22050)
        conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), path.stem))
    asked: list[int | None] = []
    real = threads.budget_for

    def spy(device, *, cores=None, uses_torch=True):
        asked.append(cores)
        return real(device, cores=cores, uses_torch=uses_torch)

    monkeypatch.setattr(threads, "budget_for", spy)
    rep = embed_library(ctx, "spectral", threads=100_000)
    assert rep.embedded == 3
    assert asked == [threads.cpu_cores()]
    budget = real("cpu", cores=asked[0])
    assert budget.decoders <= max(2, threads.cpu_cores())
