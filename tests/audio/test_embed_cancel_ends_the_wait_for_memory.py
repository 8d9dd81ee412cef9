"""A Cancel (the window's, Ctrl+C or SIGTERM of ``embed``) while tracks waited for memory
(long recordings decoded one at a time, :mod:`musicsage.audio.memory_need`) waited for them:
each was decoded, one after another, before the run stopped — minutes of
"Cancelling…" on a library of long mixes. Now a waiting track is given up at once: not
decoded, not stored, no failure recorded, left for the next ``embed``."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf
from embed_support import noise_tracks

from musicsage.audio import decode, memory_need
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.errors import Cancelled
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, list_errors
from musicsage.progress import CancelToken

DECODE_S = 1.5
"""How long each decode is held (a long mix takes seconds)."""


def _cancel_at_the_first_decode(monkeypatch, cancel: CancelToken) -> dict:
    """Every decode counted and held a while; the first one cancels the run as it starts
    (the others then wait for its memory)."""
    lock, state = threading.Lock(), {"decodes": 0, "cancelled_at": None}
    real = decode.read_spans

    def held(*args, **kwargs):
        with lock:
            state["decodes"] += 1
            if state["cancelled_at"] is None:
                time.sleep(0.3)  # the other workers are waiting for memory by now
                state["cancelled_at"] = time.perf_counter()
                cancel.cancel()
        time.sleep(DECODE_S)
        return real(*args, **kwargs)

    monkeypatch.setattr(decode, "read_spans", held)
    return state


def test_a_cancel_gives_up_the_tracks_waiting_for_memory_at_once(ctx, tmp_path, monkeypatch):
    ids = noise_tracks(ctx, tmp_path, 4, 20)
    embedder = SpectralEmbedder(max_seconds=1e9)
    one = 20 * embedder.memory_per_second()
    monkeypatch.setattr(memory_need, "available_bytes", lambda: int(1.5 * one))  # one at a time
    cancel, real = CancelToken(), decode.read_spans
    state = _cancel_at_the_first_decode(monkeypatch, cancel)
    with pytest.raises(Cancelled, match="cancelled after [01] of 4 tracks") as stop:
        run_embed_job(ctx, embedder, workers=3, cancel=cancel)
    stopped_in = time.perf_counter() - state["cancelled_at"]
    assert state["decodes"] == 1  # only the track decoding when the Cancel came
    # the decode under way finishes (its real decode and preparing too, slow on a loaded
    # machine); every waiting track decoded in turn took 4 × DECODE_S and more
    assert stopped_in < 3 * DECODE_S, f"stopped {stopped_in:.1f} s after the Cancel"
    assert memory_need._in_flight == 0  # every reservation given back
    stored = len(get_embeddings(connect(ctx), "spectral")[0])
    assert f"after {stored} of 4" in str(stop.value)  # (the decoded one may have been kept)
    assert list_errors(connect(ctx)) == []  # given up, not failed

    monkeypatch.setattr(decode, "read_spans", real)
    rep = run_embed_job(ctx, embedder, workers=3)  # the next embed picks the others up
    assert (rep.total, rep.embedded, rep.failed) == (4 - stored, 4 - stored, 0)
    assert sorted(get_embeddings(connect(ctx), "spectral")[0].tolist()) == ids


def test_a_cancel_before_a_track_reserves_its_memory_decodes_nothing(monkeypatch):
    """A worker freed after the Cancel (its track given up) takes the next queued track: that
    one is given up too, before its decode, however much memory is free."""
    monkeypatch.setattr(memory_need, "available_bytes", lambda: 2**40)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        memory_need.reserve_memory(5.0, 1000, cancel=cancel)
    assert memory_need._in_flight == 0


def test_a_cancel_ends_a_wait_for_memory_within_a_fraction_of_a_second(monkeypatch):
    monkeypatch.setattr(memory_need, "available_bytes", lambda: 1000)
    assert memory_need.reserve_memory(2.0, 400) == 800  # held by a track being decoded
    cancel, outcome = CancelToken(), []

    def waiting() -> None:
        try:
            outcome.append(memory_need.reserve_memory(1.0, 400, cancel=cancel))
        except Cancelled:
            outcome.append("cancelled")

    worker = threading.Thread(target=waiting)
    worker.start()
    time.sleep(0.3)
    assert outcome == []  # 800 + 400 > 1000: waits
    started = time.perf_counter()
    cancel.cancel()
    worker.join(5)
    assert outcome == ["cancelled"] and time.perf_counter() - started < 0.5
    memory_need.release_memory(800)
    assert memory_need._in_flight == 0


def test_a_track_queued_after_the_cancel_is_not_even_probed(monkeypatch, tmp_path):
    """The probe of a FLAC whose header states no length decodes it whole to count it: a
    track a freed worker takes after the Cancel is given up before its probe."""
    from musicsage.audio import embed_prepare

    path = tmp_path / "live.wav"
    sf.write(path, np.zeros(22050, np.float32), 22050)
    probed: list[str] = []
    real_probe = embed_prepare.decode.probe
    monkeypatch.setattr(embed_prepare.decode, "probe",
                        lambda p, *a, **k: probed.append(p) or real_probe(p, *a, **k))
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        embed_prepare.prepare_track(SpectralEmbedder(), 1, str(path), cancel=cancel)
    assert probed == []
