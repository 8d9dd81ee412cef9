"""``embed --max-seconds 1e9`` on a library with a long file: the track is analysed whole, and
the memory that takes grows with it (the spectral model: about 1.4 MB a second of audio, 10 GiB
for a 2-hour mix). Linux lets such arrays be had without the memory behind them, then kills
the process as they fill: the terminal said ``Killed`` and nothing more, the library's embed
half done. The job now asks the memory available before it decodes a track (task embed): one
too long for it fails as one file short of memory, with the advice to analyse fewer seconds,
and the run goes on with the next track.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import memory_room
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings


def _add(ctx, path, seconds: float, sr: int = 8000) -> int:
    t = np.arange(int(seconds * sr)) / sr
    sf.write(path, (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), sr)
    return connect(ctx).execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                                (str(path), path.stem)).lastrowid


def test_a_track_too_long_for_the_memory_fails_before_it_is_decoded(ctx, tmp_path, monkeypatch):
    long = _add(ctx, tmp_path / "long mix.wav", 120.0)
    short = _add(ctx, tmp_path / "song.wav", 5.0)
    embedder = SpectralEmbedder(max_seconds=1e9)
    room = 60 * embedder.memory_per_second  # the memory holds a minute's analysis, not two
    monkeypatch.setattr(memory_room, "available_bytes", lambda: room)
    rep = run_embed_job(ctx, embedder)
    assert (rep.embedded, rep.failed, rep.short_of_memory) == (1, 1, 1)
    assert rep.errors[0][1] == ("long mix.wav: not enough memory to analyse 120 s of its audio "
                                "at once: analyse fewer seconds per track (embed --max-seconds)")
    ids, _ = get_embeddings(connect(ctx), embedder.model_id, track_ids=[long, short])
    assert list(ids) == [short]


def test_two_long_tracks_that_fit_one_at_a_time_wait_for_each_other(monkeypatch):
    monkeypatch.setattr(memory_room, "available_bytes", lambda: 100.0)
    first_in, order = threading.Event(), []

    def first():
        with memory_room.room_for(60.0, refuse=MemoryError):
            first_in.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with memory_room.room_for(60.0, refuse=MemoryError):  # waits for the first, not refused
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
    with pytest.raises(MemoryError):  # more than there is, with nothing else under way
        with memory_room.room_for(101.0, refuse=MemoryError):
            pass


def test_the_memory_available_is_read_on_linux():
    room = memory_room.available_bytes()
    assert room is not None and room > 0
