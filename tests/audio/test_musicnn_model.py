"""The PyTorch port against an independent numpy implementation of the TF graph (TF layout,
TF padding rules, the checkpoint's own tensors), and the converted-weights cache."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from numpy.lib.stride_tricks import sliding_window_view

from musicsage.audio.musicnn import convert
from musicsage.audio.musicnn.model import EMBEDDING_DIM, Musicnn, tf_same_padding
from musicsage.audio.musicnn.tf_checkpoint import Checkpoint
from musicsage.audio.musicnn.wheel import MusicnnWheel

WHEEL = Path(__file__).resolve().parents[2] / "models" / "musicnn-0.1.0-py3-none-any.whl"


@pytest.fixture(scope="module")
def wheel():
    if not WHEEL.is_file():
        pytest.skip(f"{WHEEL.name} absent: scripts/setup.sh downloads it into models/")
    with MusicnnWheel(WHEEL) as w:
        yield w


# --- a reference forward pass in TF's own terms -------------------------------------------------


def tf_same_pad(length: int, kernel: int) -> tuple[int, int]:
    """TF's rule for 'SAME', stride 1: out = in; pad_total = (out - 1) + kernel - in."""
    total = max((length - 1) + kernel - length, 0)
    return total // 2, total - total // 2


def bn(t: dict, scope: str, x: np.ndarray) -> np.ndarray:
    return ((x - t[f"{scope}/moving_mean"]) / np.sqrt(t[f"{scope}/moving_variance"] + 1e-3)
            * t[f"{scope}/gamma"] + t[f"{scope}/beta"])


def conv_valid(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """'VALID' cross-correlation of x (H, W) with an HWIO (kh, kw, 1, out) kernel."""
    kh, kw = kernel.shape[:2]
    windows = sliding_window_view(x, (kh, kw))  # (H', W', kh, kw)
    return np.tensordot(windows, kernel[:, :, 0, :], axes=([2, 3], [0, 1])) + bias


def reference_forward(t: dict, patch: np.ndarray) -> dict[str, np.ndarray]:
    """musicnn/models.py build_musicnn for one patch (time, mel), NHWC thinking, float64."""
    relu = lambda a: np.maximum(a, 0.0)  # noqa: E731
    x = bn(t, "batch_normalization", patch.astype(np.float64))
    padded = np.pad(x, ((3, 3), (0, 0)))
    branches = []
    for i, scope in ((0, "conv2d"), (1, "conv2d_1")):  # timbral: valid after time padding
        y = conv_valid(padded, t[f"{scope}/kernel"], t[f"{scope}/bias"])
        branches.append(bn(t, f"batch_normalization_{i + 1}", relu(y)).max(axis=1))
    for i, scope in ((3, "conv2d_2"), (4, "conv2d_3"), (5, "conv2d_4")):  # temporal: 'same'
        kernel = t[f"{scope}/kernel"]
        before, after = tf_same_pad(len(x), kernel.shape[0])
        y = conv_valid(np.pad(x, ((before, after), (0, 0))), kernel, t[f"{scope}/bias"])
        branches.append(bn(t, f"batch_normalization_{i}", relu(y)).max(axis=1))
    frontend = np.concatenate(branches, axis=1)  # (time, 561)
    layers = [frontend]
    previous = frontend
    for i, scope in ((6, "conv2d_5"), (7, "conv2d_6"), (8, "conv2d_7")):
        y = conv_valid(np.pad(previous, ((3, 3), (0, 0))), t[f"{scope}/kernel"], t[f"{scope}/bias"])
        y = bn(t, f"batch_normalization_{i}", relu(y[:, 0, :]))
        previous = y if i == 6 else y + previous
        layers.append(previous)
    midend = np.concatenate(layers, axis=1)  # (time, 753)
    max_pool, mean_pool = midend.max(axis=0), midend.mean(axis=0)
    flat = np.concatenate([max_pool[:, None], mean_pool[:, None]], axis=1).reshape(-1)  # TF flatten
    dense = relu(bn(t, "batch_normalization_9", flat) @ t["dense/kernel"] + t["dense/bias"])
    penultimate = bn(t, "batch_normalization_10", dense)
    logits = penultimate @ t["dense_1/kernel"] + t["dense_1/bias"]
    return {"max_pool": max_pool, "penultimate": penultimate, "taggram": 1 / (1 + np.exp(-logits))}


# --- tests -----------------------------------------------------------------------------------


def test_tf_same_padding_is_asymmetric_for_even_kernels():
    assert tf_same_padding(128) == (63, 64) == tf_same_pad(187, 128)
    assert tf_same_padding(64) == (31, 32)
    assert tf_same_padding(32) == (15, 16)
    assert tf_same_padding(7) == (3, 3)


@pytest.mark.parametrize("checkpoint", ["MSD_musicnn", "MTT_musicnn"])
def test_port_matches_reference_tf_graph(wheel, checkpoint):
    tensors = wheel.checkpoint(checkpoint).tensors()
    model = Musicnn()
    model.load_state_dict(convert.state_dict_from_checkpoint(wheel.checkpoint(checkpoint)))
    model.eval()
    rng = np.random.default_rng(1)
    # A log-mel-like patch (values 0..4), shorter than 187 frames to keep the reference fast;
    # every layer is length-agnostic. Structure in time so that padding mistakes show.
    frames = 48
    wave = np.sin(np.arange(frames) / 3)[:, None]
    patch = np.clip(2.0 + rng.standard_normal((frames, 96)) + wave, 0, 5)
    ref = reference_forward(tensors, patch)
    with torch.no_grad():
        out = model(torch.from_numpy(patch.astype(np.float32))[None])
    for name in ("max_pool", "penultimate", "taggram"):
        ours = getattr(out, name)[0].double().numpy()
        np.testing.assert_allclose(ours, ref[name], rtol=2e-4, atol=2e-4, err_msg=name)
    assert out.max_pool.shape == (1, EMBEDDING_DIM)


def test_full_length_patch_batch_shapes_and_batch_independence(wheel):
    model = Musicnn()
    model.load_state_dict(convert.state_dict_from_checkpoint(wheel.checkpoint("MSD_musicnn")))
    model.eval()
    x = torch.rand(3, 187, 96) * 4
    with torch.no_grad():
        batch = model(x)
        single = model(x[1:2])
    assert batch.max_pool.shape == (3, 753) and batch.mean_pool.shape == (3, 753)
    assert batch.penultimate.shape == (3, 200) and batch.taggram.shape == (3, 50)
    assert ((batch.taggram >= 0) & (batch.taggram <= 1)).all()
    torch.testing.assert_close(batch.taggram[1:2], single.taggram, rtol=1e-5, atol=1e-5)


def test_conversion_uses_every_weight_and_skips_adam(wheel):
    ckpt = wheel.checkpoint("MTT_musicnn")
    state = convert.state_dict_from_checkpoint(ckpt)
    assert set(state) == set(Musicnn().state_dict())
    assert state["mid1.conv.weight"].shape == (64, 561, 7)
    assert state["timbral_74.conv.weight"].shape == (204, 1, 7, 38)
    tag_kernel = ckpt.tensor("dense_1/kernel")
    np.testing.assert_array_equal(state["tag_dense.weight"].numpy(), tag_kernel.T)


def test_converted_cache_reused_rebuilt_on_format_change_enough_without_wheel(wheel, tmp_path):
    first = convert.load_converted("MSD_musicnn", weights_dir=tmp_path, wheel=wheel)
    path = convert.cache_path(tmp_path, "MSD_musicnn")
    assert path.is_file() and first["labels"][:3] == ["rock", "pop", "alternative"]
    stamp = path.stat().st_mtime_ns
    convert.load_converted("MSD_musicnn", weights_dir=tmp_path, wheel=wheel)
    assert path.stat().st_mtime_ns == stamp  # reused, not rewritten
    payload = torch.load(path, weights_only=True)
    payload["format"] = convert.CACHE_FORMAT - 1  # a cache from an older conversion
    torch.save(payload, path)
    again = convert.load_converted("MSD_musicnn", weights_dir=tmp_path, wheel=wheel)
    assert again["format"] == convert.CACHE_FORMAT
    assert torch.load(path, weights_only=True)["format"] == convert.CACHE_FORMAT
    # no wheel: the valid cache alone serves
    alone = convert.load_converted("MSD_musicnn", weights_dir=tmp_path, wheel=None)
    key = "tag_dense.weight"
    torch.testing.assert_close(alone["state_dict"][key], first["state_dict"][key])
    path.write_bytes(b"garbage")
    with pytest.raises(Exception, match="not available"):
        convert.load_converted("MSD_musicnn", weights_dir=tmp_path, wheel=None)


def test_cache_from_another_checkpoint_source_is_rebuilt(wheel, tmp_path):
    convert.load_converted("MTT_musicnn", weights_dir=tmp_path, wheel=wheel)
    path = convert.cache_path(tmp_path, "MTT_musicnn")
    payload = torch.load(path, weights_only=True)
    payload["source"] = dict(payload["source"], data_crc=0)
    payload["labels"] = ["stale"]
    torch.save(payload, path)
    rebuilt = convert.load_converted("MTT_musicnn", weights_dir=tmp_path, wheel=wheel)
    assert rebuilt["labels"][0] == "guitar"


def test_vgg_checkpoints_are_refused_clearly(wheel, tmp_path):
    with pytest.raises(Exception, match="not ported"):
        convert.load_converted("MSD_vgg", weights_dir=tmp_path, wheel=wheel)


def test_zip_members_are_read_in_place(wheel):
    assert isinstance(wheel._zip, zipfile.ZipFile)
    assert isinstance(wheel.checkpoint("MSD_musicnn"), Checkpoint)
