"""One inference lane failing (a GPU out of memory) stops ``embed`` in one line, and the
batches the other lanes finished meanwhile are stored, not thrown away with a traceback."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import threads
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, list_errors


class OneLaneRunsOutOfMemory(SpectralEmbedder):
    """Two lanes, one track a batch: the first pass fails while the second is still running,
    and the second finishes only after the failure is in."""

    parallel_infer = True
    batch_size = 1

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.calls = 0
        self.second_started = threading.Event()
        self.first_failed = threading.Event()

    def infer(self, units: np.ndarray) -> np.ndarray:
        with self.lock:
            self.calls += 1
            call = self.calls
        if call == 1:
            self.second_started.wait(10)
            self.first_failed.set()
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB\nmore detail")
        if call == 2:
            self.second_started.set()
            self.first_failed.wait(10)
            time.sleep(0.5)  # the job sees the failure before this batch is done
        return super().infer(units)


@pytest.fixture
def four_tracks(ctx, tmp_path):
    conn = connect(ctx)
    sr = 22050
    for i in range(4):
        path = tmp_path / f"t{i}.wav"
        t = np.arange(2 * sr) / sr
        sf.write(path, (0.3 * np.sin(2 * np.pi * (200 + 100 * i) * t)).astype(np.float32), sr)
        conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), path.stem))
    return ctx


def test_a_failed_lane_keeps_the_other_lanes_batch_and_says_one_line(four_tracks, monkeypatch):
    monkeypatch.setattr(threads, "cpu_cores", lambda: 2)
    embedder = OneLaneRunsOutOfMemory()
    embedder.batch_size = 1
    with pytest.raises(MusicsageError) as err:
        run_embed_job(four_tracks, embedder, cores=2)
    text = str(err.value)
    assert "\n" not in text and "CUDA out of memory" in text and "more detail" not in text
    assert "the finished tracks are kept" in text and "--device cpu" in text
    ids, _ = get_embeddings(connect(four_tracks), embedder.model_id)
    assert len(ids) >= 1  # the second lane's batch, finished after the failure
    assert f"after {len(ids)} of 4 tracks" in text
    assert list_errors(connect(four_tracks), f"embed:{embedder.model_id}") == []


class EveryPassHasABug(SpectralEmbedder):
    """A model pass that fails on the first batch with a bug, whose message is long."""

    batch_size = 1

    def infer(self, units: np.ndarray) -> np.ndarray:
        raise ValueError("shapes do not match: " + " ".join(["dimension"] * 40) + " last")


def test_a_bug_in_a_lane_is_logged_with_its_traceback(four_tracks, monkeypatch, caplog):
    """The line stays one line; the traceback, which no one could see, goes to the log."""
    monkeypatch.setattr(threads, "cpu_cores", lambda: 1)
    with pytest.raises(MusicsageError) as err:
        run_embed_job(four_tracks, EveryPassHasABug(), cores=1)
    logged = [r for r in caplog.records if r.exc_info and r.levelname == "WARNING"]
    assert logged and isinstance(logged[0].exc_info[1], ValueError)
    text = str(err.value)
    assert "\n" not in text and text.startswith("embedding stopped after 0 of 4 tracks")
    assert "the finished tracks are kept" not in text  # there are none
    assert "(ValueError: shapes do not match: dimension" in text and "dimensio\u2026" not in text
    assert "dimension\u2026); run embed again" in text
