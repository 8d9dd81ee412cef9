"""MusiCNN as an audio embedder: registry, model ids, frame policy, vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import musicsage.audio.musicnn as musicnn
from musicsage.audio.embedder import UnknownModel, available_models, get_embedder
from musicsage.audio.musicnn.embedding import (PATCH_SECONDS, excerpt_spans, parse_model_id,
                                               pool_patches)

WHEEL = Path(__file__).resolve().parents[2] / "models" / "musicnn-0.1.0-py3-none-any.whl"
needs_wheel = pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: "
                                 "scripts/setup.sh downloads it into models/")


def tone(seconds: float, freq: float, sr: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    rng = np.random.default_rng(int(freq))
    noise = 0.05 * rng.standard_normal(len(t))
    return (0.3 * np.sin(2 * np.pi * freq * t) + noise).astype(np.float32)


def test_model_ids():
    assert parse_model_id(None) == ("musicnn-msd-max_pool", "MSD_musicnn", "max_pool")
    assert parse_model_id("musicnn") == ("musicnn-msd-max_pool", "MSD_musicnn", "max_pool")
    assert parse_model_id("musicnn-mtt") == ("musicnn-mtt-max_pool", "MTT_musicnn", "max_pool")
    assert parse_model_id("MusiCNN-MTT-penultimate")[2] == "penultimate"
    for bad in ("musicnn-foo", "musicnn-msd-conv1", "openl3"):
        with pytest.raises(UnknownModel):
            parse_model_id(bad)


def test_frame_policy():
    excerpt = 5 * PATCH_SECONDS + 0.05
    assert excerpt_spans(50.0, max_seconds=60, excerpt_seconds=excerpt) == [(0.0, 50.0)]
    assert excerpt_spans(None, max_seconds=60, excerpt_seconds=excerpt) == [(0.0, 60)]
    spans = excerpt_spans(240.0, max_seconds=60, excerpt_seconds=excerpt)
    assert len(spans) == 4 and all(length == excerpt for _, length in spans)
    starts = [s for s, _ in spans]
    assert starts == sorted(starts) and starts[0] > 0 and starts[-1] + excerpt < 240
    assert all(b - a >= excerpt for a, b in zip(starts, starts[1:]))  # no overlap
    assert len(excerpt_spans(7200.0, max_seconds=30, excerpt_seconds=excerpt)) == 2


def test_pooling():
    rows = np.array([[1.0, 0.0], [3.0, 4.0]], np.float32)
    np.testing.assert_allclose(pool_patches(rows, "mean"), [2.0, 2.0])
    np.testing.assert_allclose(pool_patches(rows, "mean-unit"), [0.8, 0.4])


@needs_wheel
def test_available_and_registry(ctx):
    assert musicnn.available(ctx)
    assert musicnn.weights_available(ctx, model_id="musicnn-mtt-taggram")
    assert not musicnn.available(ctx, "no_such_model")
    families = {a.family: a.available for a in available_models(ctx)}
    assert families["musicnn"] is True


@needs_wheel
def test_embedder_through_the_registry(ctx):
    embedder = get_embedder("musicnn", ctx, hop=None, max_seconds=None, device="cpu",
                            weights=None, variant=None)  # other families' keys are ignored
    assert embedder.model_id == "musicnn-msd-max_pool" and embedder.dim == 753
    assert embedder.sample_rate == 16000
    assert "MSD_musicnn" in embedder.model_version and "pool=mean" in embedder.model_version
    units = embedder.prepare([tone(7.0, 220.0), tone(1.0, 440.0)])
    assert units.shape == (3, 187, 96)  # 2 whole patches + 1 repeat-padded
    vectors = embedder.infer(units)
    assert vectors.shape == (3, 753) and np.isfinite(vectors).all()
    track = embedder.embed_track([tone(7.0, 220.0)])
    assert track.shape == (753,) and track.dtype == np.float32
    np.testing.assert_allclose(track, vectors[:2].mean(axis=0), rtol=1e-4, atol=1e-5)


@needs_wheel
def test_policy_and_layer_change_the_version_and_dim(ctx):
    base = get_embedder("musicnn", ctx, device="cpu")
    for policy in ({"max_seconds": 30}, {"hop": 1.5}):
        other = get_embedder("musicnn", ctx, device="cpu", **policy)
        assert other.model_version != base.model_version, policy
    penultimate = get_embedder("musicnn-mtt-penultimate", ctx, device="cpu")
    assert penultimate.model_id == "musicnn-mtt-penultimate" and penultimate.dim == 200
    assert penultimate.model_version != base.model_version
    assert penultimate.embed_track(tone(3.5, 330.0)).shape == (200,)
    taggram = get_embedder("musicnn-msd-taggram", ctx, device="cpu")
    vector = taggram.embed_track(tone(3.5, 330.0))
    assert vector.shape == (50,) and ((vector >= 0) & (vector <= 1)).all()


@needs_wheel
def test_overlapping_hop_gives_more_patches(ctx):
    embedder = get_embedder("musicnn", ctx, hop=1.0, device="cpu")
    assert len(embedder.prepare([tone(7.0, 220.0)])) == 5  # 438 frames, 187-frame patches every 62


@needs_wheel
def test_different_music_gives_different_vectors(ctx):
    embedder = get_embedder("musicnn", ctx, device="cpu")
    low, high = embedder.embed_batch([[tone(6.0, 110.0)], [tone(6.0, 3000.0)]])
    same = embedder.embed_track([tone(6.0, 110.0)])
    cos = float(low @ high / np.linalg.norm(low) / np.linalg.norm(high))
    assert cos < 0.999
    np.testing.assert_allclose(low, same, rtol=1e-4, atol=1e-5)


@needs_wheel
def test_small_max_seconds_shrinks_the_excerpts(ctx):
    embedder = get_embedder("musicnn", ctx, max_seconds=8, device="cpu")  # 2.7 patches
    spans = embedder.spans(600.0)
    assert len(spans) == 1 and spans[0][1] == pytest.approx(2 * PATCH_SECONDS + 0.05)


@needs_wheel
def test_converted_cache_alone_is_enough_and_nothing_means_missing(ctx, tmp_path, monkeypatch):
    from musicsage.audio.embedder import MissingWeights
    from musicsage.audio.musicnn import convert, network, wheel

    empty, cache_only = tmp_path / "empty", tmp_path / "cache_only"
    empty.mkdir()
    with wheel.MusicnnWheel(WHEEL) as w:
        convert.load_converted("MSD_musicnn", weights_dir=cache_only, wheel=w)
    monkeypatch.setattr(network, "_CACHE", {})
    monkeypatch.setattr(ctx.__class__, "weights_dir", property(lambda self: cache_only))
    monkeypatch.setattr(wheel, "wheel_dirs", lambda ctx: [cache_only])
    assert musicnn.available(ctx) and not musicnn.available(ctx, "MTT_musicnn")
    assert network.load_network(ctx, "msd", download=False).labels[0] == "rock"

    monkeypatch.setattr(network, "_CACHE", {})
    monkeypatch.setattr(ctx.__class__, "weights_dir", property(lambda self: empty))
    monkeypatch.setattr(wheel, "wheel_dirs", lambda ctx: [empty])
    assert not musicnn.available(ctx)
    with pytest.raises(MissingWeights, match="pip download musicnn==0.1.0"):
        network.load_network(ctx, "MSD_musicnn", download=False)
