"""A track whose file could not be decoded, replaced by a good copy and scanned just as the
embed records that failure: the check "did a scan change this track?" ran before the
transaction that records it, so the failure was dated after the new file's scan, and the
good copy counted as "failed since it changed" (``stats``, ``embed --limit``, a file's
advice) without ever being tried (audio/embed_job.py)."""

from __future__ import annotations

import threading
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


def test_a_good_copy_scanned_as_the_failure_is_recorded_is_analysed(ctx, tmp_path,
                                                                      monkeypatch):
    music = tmp_path / "music"
    music.mkdir()
    track = music / "a.wav"
    _tone(track, 220.0)
    scan_roots(connect(ctx), resolve_roots([music]))
    track.write_bytes(b"RIFF" + bytes(3000))  # damaged since the scan: its decode fails
    real_transaction, landed = db.transaction, []

    def scan_landing_first(conn, **kw):  # the good copy, scanned by another process
        if not landed:
            landed.append(True)
            _tone(track, 330.0, seconds=4.0)
            other = threading.Thread(
                target=lambda: scan_roots(connect(ctx), resolve_roots([music])))
            other.start()
            other.join(60)
        return real_transaction(conn, **kw)

    monkeypatch.setattr(db, "transaction", scan_landing_first)
    rep = run_embed_job(ctx, SpectralEmbedder(), workers=1, prefetch=1)

    assert landed, "no failure was recorded"
    conn = connect(ctx)
    spectral = SpectralEmbedder()
    assert count_failed_needing_embedding(conn, "spectral", spectral.model_version) == 0
    assert (rep.embedded, rep.failed) == (1, 0), rep.errors
    assert len(get_embeddings(conn, "spectral")[0]) == 1
