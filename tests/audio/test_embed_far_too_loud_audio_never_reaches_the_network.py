"""``embed`` with MusiCNN of a float file whose samples are far out of range (1e30 where
audio stays within ±1): its spectrogram patches overflow, and the job relied on the network
carrying the NaN through to its vector to count the track as failed. A network that does not
(one that clamps) gave a finite vector of nonsense, stored as the track's. The patches are
checked before the network: the track fails in the embed job's words, the network never
sees it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio.embed_job import run_embed_job
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings

REPO = Path(__file__).resolve().parents[2]
WHEEL = REPO / "models" / "musicnn-0.1.0-py3-none-any.whl"
SR = 16000


def _tone(scale: float) -> np.ndarray:
    t = np.arange(4 * SR) / SR
    return (scale * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: scripts/setup.sh "
                    "fetches it")
def test_a_far_too_loud_file_fails_before_the_network(ctx, tmp_path, monkeypatch):
    from musicsage.audio.embedder import get_embedder

    sf.write(tmp_path / "ok.wav", _tone(0.3), SR, subtype="FLOAT")
    sf.write(tmp_path / "too loud.wav", _tone(1e30), SR, subtype="FLOAT")
    conn = connect(ctx)
    ok_id, bad_id = [conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                                  (str(tmp_path / name), name)).lastrowid
                     for name in ("ok.wav", "too loud.wav")]
    embedder = get_embedder("musicnn", ctx, device="cpu")
    seen: list[bool] = []

    def clamping_network(units: np.ndarray) -> np.ndarray:  # NaN in, finite numbers out
        seen.append(bool(np.isfinite(units).all()))
        return np.ones((len(units), 8), np.float32)
    monkeypatch.setattr(embedder, "infer", clamping_network)

    rep = run_embed_job(ctx, embedder, cores=1)

    assert (rep.embedded, rep.failed) == (1, 1) and all(seen)
    assert "NaN or infinite values for this audio" in rep.errors[0][1]
    ids, _matrix = get_embeddings(connect(ctx), embedder.model_id)
    assert list(ids) == [ok_id] and bad_id not in ids
