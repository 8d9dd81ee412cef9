"""The embedder contract: registry, frame policy, pooling, OpenL3's policy and batching."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.audio.embedder import (MissingWeights, UnknownModel, available_models,
                                      excerpt_spans, family_of, get_embedder,
                                      mean_of_unit_vectors)


def test_family_names_and_unknown_models():
    assert family_of("openl3") == "openl3"
    assert family_of("OpenL3-mel128-env-6144") == "openl3"
    assert family_of("musicnn-msd-max_pool") == "musicnn"
    assert family_of("spectral") == "spectral"
    with pytest.raises(UnknownModel, match="choose one of"):
        family_of("vggish")


@pytest.mark.parametrize("duration", [30.5, 61.0, 240.0, 7200.0])
@pytest.mark.parametrize("n", [1, 3, 4])
def test_excerpt_spans_are_inside_sorted_disjoint_and_total_max_seconds(duration, n):
    spans = excerpt_spans(duration, max_seconds=16.0, n_excerpts=n)
    assert len(spans) == n
    assert sum(length for _, length in spans) == pytest.approx(16.0)
    ends = [start + length for start, length in spans]
    assert spans[0][0] >= 0 and ends[-1] <= duration + 1e-6
    assert all(e <= s2 for e, (s2, _) in zip(ends, spans[1:]))


def test_short_and_unknown_durations():
    assert excerpt_spans(10.0, max_seconds=16, n_excerpts=4) == [(0.0, 10.0)]
    assert excerpt_spans(None, max_seconds=16, n_excerpts=4) == [(0.0, 16.0)]


def test_mean_of_unit_vectors_ignores_loudness():
    rows = np.array([[3.0, 0.0], [0.0, 0.5]], np.float32)
    assert np.allclose(mean_of_unit_vectors(rows), [0.5, 0.5])
    assert np.allclose(mean_of_unit_vectors(np.zeros((2, 3))), 0)


def test_available_models_always_offers_spectral(ctx, tmp_path):
    found = {a.family: a for a in available_models(ctx, weights_dir=str(tmp_path))}
    assert list(found) == ["openl3", "musicnn", "spectral"]
    assert found["spectral"].available and not found["openl3"].available


def test_openl3_embedder_from_a_full_model_id(ctx, tmp_path):
    e = get_embedder("openl3-mel128-env-6144", ctx, random_weights=True, device="cpu")
    assert (e.model_id, e.dim, e.sample_rate) == ("openl3-mel128-env-6144", 6144, 48000)
    assert "hop=1;max=12;excerpts=4" in e.model_version
    with pytest.raises(MissingWeights):
        get_embedder("openl3", ctx, weights_dir=str(tmp_path), download=False)


def test_openl3_policy_frames_stay_inside_excerpts(ctx):
    e = get_embedder("openl3", ctx, random_weights=True, hop=0.5, device="cpu")
    assert e.spans(240.0) == excerpt_spans(240.0, max_seconds=12, n_excerpts=4)
    four_s = np.ones(4 * 48000 + 37, np.float32)  # a resampler's few extra samples
    assert len(e.prepare([four_s])) == 7  # 1 + (4 − 1) / 0.5, no zero-padded tail frame
    assert len(e.prepare([four_s, np.ones(1000, np.float32)])) == 8  # short: one padded frame
    with pytest.raises(Exception, match="no audio"):
        e.prepare([])


def test_embed_batch_equals_tracks_one_by_one(ctx):
    e = get_embedder("openl3-mel128", ctx, random_weights=True, hop=1.0, device="cpu")
    e.batch_size = 3
    rng = np.random.default_rng(0)
    tracks = [[rng.standard_normal(48000 * 2).astype(np.float32)],
              [rng.standard_normal(48000).astype(np.float32),
               rng.standard_normal(48000 * 3).astype(np.float32)]]
    together = e.embed_batch(tracks)
    alone = np.stack([e.embed_track(t) for t in tracks])
    assert together.shape == (2, 512) and np.allclose(together, alone, atol=1e-4)
