"""An ``embed`` stopped by a failure, not a Cancel — the model failing on a batch (a GPU out of
memory) or the library database refusing a commit (disk full, locked) — still waited for the
tracks waiting for memory: each was decoded, one after another, and thrown away before the
error was shown (minutes on a library of long mixes). Now such a stop gives them up as a
Cancel does: not decoded, not stored, no failure recorded, left for the next ``embed``; what
was stored before the failure stays, and the error's line is the one it was."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from embed_support import noise_tracks

from musicsage.audio import decode, memory_need
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.errors import MusicsageError
from musicsage.failures import expected_failure
from musicsage.library import queries
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, list_errors

DECODE_S = 1.5
"""How long each decode is held (a long mix takes seconds)."""


class Decodes:
    """Every decode counted and held a while, and when it started. The tracks reserve their
    memory in the library's order (the probe of ``mix i`` waits for the ``i``-th decode to be
    under way); from the ``held_from``-th decode on, a decode is held until the failure (then
    ``DECODE_S`` more), so the tracks after it are still waiting for memory when the run
    fails, however slow the machine."""

    def __init__(self, monkeypatch, held_from: int) -> None:
        self.starts: list[float] = []
        self.cond, self.failed = threading.Condition(), threading.Event()
        self.real = decode.read_spans, decode.probe
        read_spans, probe = self.real

        def in_turn(path, *args, **kwargs):
            self._wait(lambda: len(self.starts) >= int(Path(path).stem.split()[-1])
                       or self.failed.is_set())
            return probe(path, *args, **kwargs)

        def held(*args, **kwargs):
            with self.cond:
                self.starts.append(time.perf_counter())
                self.cond.notify_all()
                nth = len(self.starts)
            if nth >= held_from:
                self.failed.wait(30)
            time.sleep(DECODE_S)
            return read_spans(*args, **kwargs)

        monkeypatch.setattr(decode, "probe", in_turn)
        monkeypatch.setattr(decode, "read_spans", held)

    def _wait(self, ready) -> None:
        with self.cond:
            assert self.cond.wait_for(ready, timeout=30)

    def started(self, n: int) -> None:
        """Wait until the ``n``-th decode is under way."""
        self._wait(lambda: len(self.starts) >= n)

    def fail_now(self) -> float:
        """The moment of the failure (the decode under way then finishes ``DECODE_S`` on)."""
        with self.cond:
            self.failed.set()
            self.cond.notify_all()
        return time.perf_counter()

    def after(self, moment: float) -> int:
        return sum(start > moment for start in self.starts)

    def undo(self, monkeypatch) -> None:
        monkeypatch.setattr(decode, "read_spans", self.real[0])
        monkeypatch.setattr(decode, "probe", self.real[1])


@pytest.fixture
def one_at_a_time(monkeypatch):
    """Memory for one 20-second track's analysis at a time: the others wait for it."""
    one = 20 * SpectralEmbedder(max_seconds=1e9).memory_per_second()
    monkeypatch.setattr(memory_need, "available_bytes", lambda: int(1.5 * one))


class RunsOutOfMemory(SpectralEmbedder):
    """The model fails on its first batch, once the next track is being decoded (the ones
    after it wait for its memory)."""

    def __init__(self, decodes: Decodes) -> None:
        super().__init__(max_seconds=1e9)
        self.decodes, self.failed_at = decodes, None

    def infer(self, units: np.ndarray) -> np.ndarray:
        self.decodes.started(2)
        self.failed_at = self.decodes.fail_now()
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")


def _the_rest_embeds_next_time(ctx, ids: list[int], stored: int) -> None:
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=1e9), workers=3)
    assert (rep.total, rep.embedded, rep.failed) == (len(ids) - stored, len(ids) - stored, 0)
    assert sorted(get_embeddings(connect(ctx), "spectral")[0].tolist()) == ids


def test_a_failed_model_pass_gives_up_the_tracks_waiting_for_memory(
        ctx, tmp_path, monkeypatch, one_at_a_time):
    ids = noise_tracks(ctx, tmp_path, 4, 20)
    decodes = Decodes(monkeypatch, held_from=2)
    embedder = RunsOutOfMemory(decodes)
    with pytest.raises(MusicsageError) as err:
        run_embed_job(ctx, embedder, workers=3)
    stopped_in = time.perf_counter() - embedder.failed_at
    # the track being decoded finishes; the two waiting were then decoded in turn, 2 × DECODE_S
    assert decodes.after(embedder.failed_at) == 0
    assert len(decodes.starts) == 2
    assert stopped_in < 2 * DECODE_S, f"stopped {stopped_in:.1f} s after the failure"
    text = str(err.value)  # the line it was
    assert "\n" not in text and text.startswith("embedding stopped after 0 of 4 tracks: "
                                                "spectral failed on a batch (RuntimeError: "
                                                "CUDA out of memory")
    assert memory_need._in_flight == 0
    assert list_errors(connect(ctx)) == []  # given up, not failed
    decodes.undo(monkeypatch)
    _the_rest_embeds_next_time(ctx, ids, 0)


@pytest.mark.parametrize(("words", "name"), [("database or disk is full", "SQLITE_FULL"),
                                             ("database is locked", "SQLITE_BUSY")])
def test_a_failed_commit_gives_up_the_tracks_waiting_and_keeps_what_was_stored(
        ctx, tmp_path, monkeypatch, one_at_a_time, words, name):
    ids = noise_tracks(ctx, tmp_path, 4, 20)
    decodes = Decodes(monkeypatch, held_from=3)
    real_store, calls, failed_at = queries.store_embedding, [], []

    def store(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:  # the second track's commit, the third one being decoded
            decodes.started(3)
            failed_at.append(decodes.fail_now())
            error = sqlite3.OperationalError(words)
            error.sqlite_errorname = name  # as SQLite's own
            raise error
        return real_store(*args, **kwargs)

    monkeypatch.setattr(queries, "store_embedding", store)
    with pytest.raises(sqlite3.OperationalError, match=f"^{words}$") as err:
        run_embed_job(ctx, SpectralEmbedder(max_seconds=1e9), workers=3)
    stopped_in = time.perf_counter() - failed_at[0]
    assert decodes.after(failed_at[0]) == 0  # the fourth track waited: given up
    assert len(decodes.starts) == 3
    assert stopped_in < 2 * DECODE_S, f"stopped {stopped_in:.1f} s after the failure"
    line = expected_failure(err.value, ctx)  # the command line's line for it, as before
    assert line and "\n" not in line and words.split()[-1] in line  # "full", "locked"
    assert get_embeddings(connect(ctx), "spectral")[0].tolist() == ids[:1]  # kept
    assert memory_need._in_flight == 0
    assert list_errors(connect(ctx)) == []
    decodes.undo(monkeypatch)
    monkeypatch.setattr(queries, "store_embedding", real_store)
    _the_rest_embeds_next_time(ctx, ids, 1)
