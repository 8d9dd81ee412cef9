"""A model on two inference lanes (torch on the CPU gets two): one lane fails while the other
is in a long pass. The run drains the slow lane before its line — and meanwhile every track
waiting for memory was decoded, one after another, then thrown away (five decodes in this
reproduction). Now the failure gives the waiting tracks up at once, as a Cancel does, while
the other lane finishes (the rest of the decodes under way, nothing more)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode, memory_need, threads
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.library.queries import list_errors

SLOW_PASS_S = 4.0
"""Lane A's pass: the time the run drains it, during which waiting tracks could be decoded."""


class OneLaneFails(SpectralEmbedder):
    """Two lanes, one track a batch: the first pass is slow, the second fails at once."""

    batch_size = 1
    parallel_infer = True  # a torch model's lanes

    def __init__(self) -> None:
        super().__init__(max_seconds=1e9)
        self.lock, self.calls, self.failed_at = threading.Lock(), 0, None

    def infer(self, units: np.ndarray) -> np.ndarray:
        with self.lock:
            self.calls += 1
            nth = self.calls
        if nth == 1:
            time.sleep(SLOW_PASS_S)
            return super().infer(units)
        self.failed_at = time.perf_counter()
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")


def test_one_failed_lane_gives_up_the_waiting_tracks_while_the_other_drains(
        ctx, tmp_path, monkeypatch):
    for i in range(8):
        path = tmp_path / f"mix {i}.wav"
        sf.write(path, (0.2 * np.random.default_rng(i).standard_normal(20 * 22050))
                 .astype(np.float32), 22050)
        connect(ctx).execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                             (str(path), path.stem))
    connect(ctx).commit()
    one = 20 * SpectralEmbedder(max_seconds=1e9).memory_per_second()
    monkeypatch.setattr(memory_need, "available_bytes", lambda: int(1.5 * one))
    starts: list[float] = []
    real = decode.read_spans

    def held(*args, **kwargs):
        starts.append(time.perf_counter())
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(decode, "read_spans", held)
    embedder = OneLaneFails()
    assert threads.budget_for(embedder.device, cores=2, uses_torch=True).lanes == 2

    with pytest.raises(MusicsageError, match="CUDA out of memory"):
        run_embed_job(ctx, embedder, cores=2, workers=3)
    assert embedder.failed_at is not None
    after = sum(start > embedder.failed_at for start in starts)
    assert after <= 1, f"{after} decodes after the failure (the tracks waiting for memory)"
    assert memory_need._in_flight == 0
    assert list_errors(connect(ctx)) == []  # given up, not failed
