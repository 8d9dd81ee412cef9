"""The Keras h5 loader and the network it fills.

Weight files are written in the official Keras layout with random values
(:mod:`audio_keras_files`); every torch parameter must hold exactly the value written.
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest
import torch
from audio_keras_files import expected_state, keras_layers, write_keras_h5

from musicsage.audio.openl3.keras_h5 import WeightsFormatError, load_keras_weights
from musicsage.audio.openl3.network import OpenL3AudioNet, count_parameters
from musicsage.audio.openl3.variants import parse_variant


@pytest.mark.parametrize("gz,whole_model,with_kapre", [(False, False, False), (True, False, True),
                                                       (False, True, False)])
def test_loader_sets_every_parameter(tmp_path, gz, whole_model, with_kapre):
    layers = keras_layers(np.random.default_rng(1), with_kapre=with_kapre)
    path = tmp_path / "openl3_audio_mel256_music.h5"
    write_keras_h5(path, layers, whole_model=whole_model)
    if gz:
        gz_path = path.with_suffix(".h5.gz")
        gz_path.write_bytes(gzip.compress(path.read_bytes()))
        path = gz_path
    model = OpenL3AudioNet(parse_variant("mel256_music_512"))
    state = load_keras_weights(path, model)
    model.load_state_dict(state, strict=True)
    want = expected_state(layers)
    params = dict(model.named_parameters()) | dict(model.named_buffers())
    learned = {k for k in params if not k.endswith("num_batches_tracked")
               and k.startswith(("input_bn", "convs", "bns"))}
    assert learned == set(want)  # every parameter and BN statistic comes from the file
    for key, value in want.items():
        assert np.array_equal(params[key].detach().numpy(), np.asarray(value, np.float32)), key
    assert count_parameters(model) == sum(np.size(v) for v in want.values()) == 4_689_860


def test_wrong_kernel_shape_fails_loudly(tmp_path):
    layers = keras_layers(np.random.default_rng(2), conv_override={"conv2d_3": (3, 3, 64, 96)})
    write_keras_h5(tmp_path / "w.h5", layers)
    with pytest.raises(WeightsFormatError, match="conv2d_3"):
        load_keras_weights(tmp_path / "w.h5", OpenL3AudioNet(parse_variant("mel256")))


def test_missing_or_extra_layers_fail_loudly(tmp_path):
    layers = keras_layers(np.random.default_rng(3))
    short = [layer for layer in layers if layer[0] != "batch_normalization_4"]
    write_keras_h5(tmp_path / "short.h5", short)
    with pytest.raises(WeightsFormatError, match="expected 16 weight layers"):
        load_keras_weights(tmp_path / "short.h5", OpenL3AudioNet(parse_variant("mel256")))
    extra = layers + [("dense_1", [("dense_1/kernel:0", np.zeros((512, 10))),
                                   ("dense_1/bias:0", np.zeros(10))])]
    write_keras_h5(tmp_path / "extra.h5", extra)
    with pytest.raises(WeightsFormatError):
        load_keras_weights(tmp_path / "extra.h5", OpenL3AudioNet(parse_variant("mel256")))


def test_not_a_weights_file(tmp_path):
    (tmp_path / "x.h5").write_bytes(b"hello")
    with pytest.raises(WeightsFormatError, match="x.h5"):
        load_keras_weights(tmp_path / "x.h5", OpenL3AudioNet(parse_variant("mel256")))
    (tmp_path / "y.h5.gz").write_bytes(b"\x1f\x8b" + b"broken")
    with pytest.raises(WeightsFormatError, match="y.h5.gz"):
        load_keras_weights(tmp_path / "y.h5.gz", OpenL3AudioNet(parse_variant("mel256")))


def test_conv_kernel_orientation_matches_keras_cross_correlation(tmp_path):
    rng = np.random.default_rng(4)
    layers = keras_layers(rng)
    write_keras_h5(tmp_path / "w.h5", layers)
    model = OpenL3AudioNet(parse_variant("mel256"))
    model.load_state_dict(load_keras_weights(tmp_path / "w.h5", model))
    conv2 = dict(dict(layers)["conv2d_2"])
    kernel = conv2["conv2d_2/kernel:0"]  # (kh, kw, c_in=64, c_out=64)
    bias = conv2["conv2d_2/bias:0"]
    x = rng.normal(size=(64, 5, 6))  # (C, H, W)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    want = np.zeros((64, 5, 6))
    for i in range(3):
        for j in range(3):  # Keras 'same' conv = cross-correlation, kernel[i, j] at offset (i-1, j-1)
            want += np.einsum("chw,co->ohw", padded[:, i:i + 5, j:j + 6], kernel[i, j])
    want += bias[:, None, None]
    got = model.convs[1](torch.tensor(x[None], dtype=torch.float32))[0].detach().numpy()
    assert np.allclose(got, want, atol=1e-4)


def test_embedding_sizes_and_flatten_order():
    """6144-d = (4, 3, 512) maps flattened H, W, C; 512-d = their max (README of shared/openl3)."""
    torch.manual_seed(0)
    big = OpenL3AudioNet(parse_variant("mel256_music_6144")).eval()
    small = OpenL3AudioNet(parse_variant("mel256_music_512")).eval()
    small.load_state_dict(big.state_dict())
    x = torch.randn(3, 48000)
    with torch.inference_mode():
        e6144, e512 = big(x), small(x)
        fast = OpenL3AudioNet(parse_variant("mel256_music_512")).eval()
        fast.load_state_dict(big.state_dict())
        e512_cl = fast.use_channels_last(True)(x)
    assert e6144.shape == (3, 6144) and e512.shape == (3, 512)
    assert torch.allclose(e6144.reshape(3, 12, 512).amax(dim=1), e512, atol=1e-5)
    assert torch.allclose(e512_cl, e512, atol=1e-4)


@pytest.mark.parametrize("name,shape", [("mel128_env_6144", 6144), ("mel128_music_512", 512),
                                        ("linear_env_6144", 6144), ("linear_music_512", 512)])
def test_every_variant_runs(name, shape):
    with torch.inference_mode():
        out = OpenL3AudioNet(parse_variant(name)).eval()(torch.randn(1, 48000))
    assert out.shape == (1, shape)
