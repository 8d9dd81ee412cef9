"""The spectral (DSP) fallback: shape, invariances, and that it tells different music apart."""

from __future__ import annotations

import numpy as np
import pytest
from shared_data import shared_path

from musicsage.audio import decode
from musicsage.audio.embedder import get_embedder
from musicsage.audio.spectral import SAMPLE_RATE, SpectralEmbedder

SR = SAMPLE_RATE


def tone(freqs, seconds=6.0, *, pulse_hz=0.0, noise=0.0, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    x = sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)
    if pulse_hz:
        x = x * (np.sin(2 * np.pi * pulse_hz * t) > 0.6)
    return (0.4 * x + noise * rng.standard_normal(t.size)).astype(np.float32)


def cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_vector_shape_is_finite_and_deterministic():
    e = SpectralEmbedder()
    x = tone([220, 330, 440], noise=0.02)
    v = e.embed_track(x)
    assert v.shape == (e.dim,) and v.dtype == np.float32 and np.isfinite(v).all()
    assert np.array_equal(v, e.embed_track(x))
    assert e.model_id == "spectral" and "max=30" in e.model_version


def test_level_invariant_and_robust_to_silence_and_short_input():
    e = SpectralEmbedder()
    x = tone([300, 450], pulse_hz=2.0, noise=0.01)
    assert cosine(e.embed_track(x), e.embed_track(0.1 * x)) > 0.999
    for odd in (np.zeros(SR, np.float32), np.zeros(100, np.float32), x[:300]):
        assert np.isfinite(e.embed_track(odd)).all()


def test_similar_sounds_are_closer_than_different_ones():
    e = SpectralEmbedder()
    pad = e.embed_track(tone([220, 277, 330], seed=1, noise=0.005))
    pad2 = e.embed_track(tone([233, 294, 349], seed=2, noise=0.005))
    drums = e.embed_track(tone([80], pulse_hz=2.0, noise=0.3, seed=3))
    drums2 = e.embed_track(tone([90], pulse_hz=2.2, noise=0.3, seed=4))
    assert cosine(pad, pad2) > cosine(pad, drums) + 0.2
    assert cosine(drums, drums2) > cosine(drums2, pad2) + 0.2


def test_excerpts_of_real_recordings_find_their_own_piece():
    """10-s excerpts of three recordings: each excerpt's nearest neighbour is mostly its own piece."""
    e = get_embedder("spectral", None)
    vectors, labels = [], []
    for label, name in enumerate(["brahms_hungarian_dance_5.ogg", "kevin_macleod_vibe_ace.ogg",
                                  "kevin_macleod_sugar_plum_fairy.ogg"]):
        path = shared_path("audio", name)
        info = decode.probe(path)
        for start in np.arange(0.0, info.duration_s - 10, 10.0):
            vectors.append(e.embed_track(decode.read_span(path, start, 10.0, sr=SR, info=info)))
            labels.append(label)
    v = np.array(vectors)
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    sim = u @ u.T
    np.fill_diagonal(sim, -np.inf)
    labels = np.array(labels)
    accuracy = (labels[sim.argmax(axis=1)] == labels).mean()
    assert accuracy >= 0.8, accuracy


@pytest.mark.parametrize("duration,spans", [
    (None, [(0.0, 30.0)]),
    (20.0, [(0.0, 20.0)]),
    (300.0, [(45.0, 10.0), (145.0, 10.0), (245.0, 10.0)]),  # centred in thirds
])
def test_frame_policy_spans(duration, spans):
    assert SpectralEmbedder().spans(duration) == spans
