"""A track whose file could not be looked at when its decode began (gone for a moment: a
tagger saving through a new file, a network share's hiccup), nor at the commit, after a scan
had found a new file there: the two failed looks counted as "the same file", so the embed
recorded the failure of a file it never read and left the file the scan found unanalysed
(audio/embed_job.py). What it did not see is analysed again, as any file a scan changed."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import soundfile as sf

import musicsage.library.db as db
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import count_failed_needing_embedding, get_embeddings
from musicsage.library.scan import resolve_roots, scan_roots


def _tone(path: Path, hz: float, seconds: float = 3.0, sr: int = 22050) -> None:
    t = np.arange(int(seconds * sr)) / sr
    sf.write(path, (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32), sr)


def test_a_file_never_seen_by_the_embed_is_not_taken_for_the_one_scanned(ctx, tmp_path,
                                                                        monkeypatch):
    music = tmp_path / "music"
    music.mkdir()
    track, aside = music / "a.wav", tmp_path / "saving.wav"
    _tone(track, 220.0)
    scan_roots(connect(ctx), resolve_roots([music]))
    track.rename(aside)  # away while the embed starts: its decode finds nothing
    real_transaction, landed = db.transaction, []

    @contextmanager
    def new_file_scanned_then_away_again(conn, **kw):
        first = not landed
        if first:  # the embed records the failure: a new file lands, is scanned, goes again
            landed.append(True)
            _tone(aside, 330.0, seconds=4.0)
            aside.rename(track)
            other = threading.Thread(
                target=lambda: scan_roots(connect(ctx), resolve_roots([music])))
            other.start()
            other.join(60)
            track.rename(aside)
        with real_transaction(conn, **kw):
            yield conn
        if first:
            aside.rename(track)  # saved: there for good

    monkeypatch.setattr(db, "transaction", new_file_scanned_then_away_again)
    rep = run_embed_job(ctx, SpectralEmbedder(), workers=1, prefetch=1)

    assert landed, "no failure was recorded"
    assert (rep.embedded, rep.failed) == (1, 0), rep.errors
    conn = connect(ctx)
    assert len(get_embeddings(conn, "spectral")[0]) == 1
    assert count_failed_needing_embedding(conn, "spectral", SpectralEmbedder().model_version) == 0
