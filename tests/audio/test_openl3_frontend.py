"""OpenL3 front-end: the mel matrices and the kapre-0.1.4 spectrogram, against references."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from shared_data import shared_path

from musicsage.audio.dsp import periodic_hann
from musicsage.audio.openl3.filters import mel_filterbank
from musicsage.audio.openl3.network import KapreFrontEnd


@pytest.mark.parametrize("n_mels", [256, 128])
def test_mel_filterbank_equals_the_reference_matrix(n_mels):
    reference = np.load(shared_path("openl3", f"mel{n_mels}_weights.npy"))
    ours = mel_filterbank(n_mels)
    assert ours.shape == reference.shape == (1025, n_mels)
    assert np.abs(ours - reference).max() <= 1e-6


def test_mel_filterbank_is_htk_spaced_and_area_normalised():
    fb = mel_filterbank(128).astype(np.float64)
    hz = np.linspace(0, 24000, 1025)
    # Band peaks sit at the HTK mel centres (to within one FFT bin).
    mel_max = 2595 * np.log10(1 + 24000 / 700)
    centres = 700 * (10 ** (np.linspace(0, mel_max, 130)[1:-1] / 2595) - 1)
    peaks = hz[np.argmax(fb, axis=0)]
    wide = fb.any(axis=0)
    assert np.all(np.abs(peaks - centres)[wide] <= hz[1])
    # Slaney norm: triangle height = 2 / (right edge − left edge) → area ≈ 1 in Hz units,
    # i.e. sum over bins × bin width ≈ 1 for bands wide enough to be sampled well.
    width = hz[1] - hz[0]
    areas = fb.sum(axis=0) * width
    assert np.allclose(areas[40:], 1.0, rtol=0.05)


def kapre_reference(wave: np.ndarray, input_repr: str) -> np.ndarray:
    """kapre 0.1.4 written out in float64 numpy: DFT kernels as a strided 'convolution'."""
    n_dft = 512 if input_repr == "linear" else 2048
    hop = 242
    if input_repr == "linear":
        x = wave
    else:
        x = np.pad(wave, (982, 982))  # TF 'same' for 48000 samples, kernel 2048, stride 242
    n_frames = 1 + (len(x) - n_dft) // hop
    frames = np.stack([x[i * hop:i * hop + n_dft] for i in range(n_frames)])
    k = np.arange(n_dft // 2 + 1)[:, None] * np.arange(n_dft)[None, :] * 2 * np.pi / n_dft
    window = periodic_hann(n_dft).astype(np.float64)
    real = frames @ (np.cos(k) * window).T
    imag = frames @ (-np.sin(k) * window).T
    power = real ** 2 + imag ** 2  # [frames, bins]
    if input_repr == "linear":
        out = np.sqrt(power)
    else:
        out = np.sqrt(power @ mel_filterbank(int(input_repr[3:])).astype(np.float64))
    db = 10 * np.log10(np.maximum(out, 1e-10))
    db = np.maximum(db - db.max(), -80.0)
    return db.T  # (bins, frames) = Keras (H, W)


@pytest.mark.parametrize("input_repr,shape", [("mel256", (256, 199)), ("mel128", (128, 199)),
                                              ("linear", (257, 197))])
def test_frontend_matches_kapre_formulation(input_repr, shape):
    rng = np.random.default_rng(0)
    t = np.arange(48000) / 48000
    wave = 0.3 * np.sin(2 * np.pi * (200 + 3000 * t) * t) + 0.05 * rng.standard_normal(48000)
    ours = KapreFrontEnd(input_repr)(torch.tensor(wave[None], dtype=torch.float32))
    assert tuple(ours.shape) == (1, 1) + shape
    ref = kapre_reference(wave, input_repr)
    assert np.abs(ours[0, 0].numpy() - ref).max() < 0.05  # dB; float32 vs float64


def test_frontend_db_is_relative_to_each_example_and_floored():
    loud = torch.randn(1, 48000)
    batch = torch.cat([loud, loud * 0.01, torch.zeros(1, 48000)])
    db = KapreFrontEnd("mel256")(batch)
    assert torch.allclose(db.amax(dim=(1, 2, 3))[:2], torch.zeros(2))
    assert torch.allclose(db[0], db[1], atol=1e-3)  # gain-invariant
    assert db.min() >= -80.0
