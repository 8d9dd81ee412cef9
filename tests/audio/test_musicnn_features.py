"""MusiCNN's input pipeline: librosa's mel filterbank and STFT conventions, reproduced."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.audio.musicnn import features as F

# librosa.filters.mel(sr=16000, n_fft=512, n_mels=96) (librosa 0.10.2; Slaney scale and norm),
# non-zero entries of a few rows: {row: (first bin, values)}.
LIBROSA_ROWS = {
    0: (1, [0.03199922293424606]),
    1: (1, [0.00015857240941841155, 0.031840648502111435]),
    40: (42, [0.01487791445106268, 0.014853696338832378]),
    95: (241, [0.00046491858665831387, 0.000979220145381987, 0.0014935217332094908,
               0.0020078234374523163, 0.002522125141695142, 0.0030364266131073236,
               0.0035507280845195055, 0.0039845602586865425, 0.003486490109935403,
               0.0029884199611842632, 0.0024903498124331236, 0.0019922801293432713,
               0.0014942099805921316, 0.0009961400646716356, 0.0004980700323358178]),
}


def test_mel_filterbank_matches_librosa():
    fb = F.mel_filterbank()
    assert fb.shape == (96, 257) and fb.dtype == np.float32
    for row, (first, values) in LIBROSA_ROWS.items():
        nonzero = np.nonzero(fb[row])[0]
        assert nonzero[0] == first and len(nonzero) == len(values), row
        np.testing.assert_allclose(fb[row, nonzero], values, rtol=1e-5)
    assert (fb.sum(axis=1) > 0).all()  # no empty filter at 96 bands / 512-point FFT


def test_power_spectrogram_frames_window_and_scale():
    sr, n = F.SAMPLE_RATE, 16000
    t = np.arange(n) / sr
    freq = 32 * sr / 512  # 1000 Hz: exactly FFT bin 32
    spec = F.power_spectrogram((0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32))
    assert spec.shape == (1 + n // F.HOP, 257)  # centred frames
    middle = spec[len(spec) // 2]
    assert middle.argmax() == 32
    # periodic Hann (sum 256): a sine of amplitude A peaks at (A * 256 / 2)^2
    assert middle[32] == pytest.approx((0.5 * 128) ** 2, rel=1e-3)


def test_reflect_padding_at_the_edges():
    # reflect (not zero) padding: a constant signal has the same first and middle frame
    spec = F.power_spectrogram(np.full(4000, 0.3, dtype=np.float32))
    np.testing.assert_allclose(spec[0], spec[len(spec) // 2], rtol=1e-4, atol=1e-6)


def test_log_compression_after_float16_rounding():
    audio = (0.1 * np.random.default_rng(0).standard_normal(8000)).astype(np.float32)
    mel = F.power_spectrogram(audio) @ F.mel_filterbank().T
    expected = np.log10(10000 * mel.astype(np.float16) + 1)  # the original's exact expression
    np.testing.assert_allclose(F.log_mel_spectrogram(audio), expected, rtol=1e-6)
    assert np.isfinite(F.log_mel_spectrogram(np.ones(8000, np.float32) * 50)).all()  # no inf


def test_float32_fft_gives_the_log_mel_of_a_float64_stft():
    # the FFT runs in float32 for speed; MusiCNN's input must stay what a float64 STFT (as
    # librosa computed it) gives, up to the float16 rounding of the mel power
    audio = (0.2 * np.random.default_rng(1).standard_normal(48000)).astype(np.float32)
    audio[16000:24000] *= 1e-3  # a quiet stretch: small powers are where float32 errs most
    padded = np.pad(audio.astype(np.float64), (256, 256), mode="reflect")
    frames = np.stack([padded[i:i + 512] for i in range(0, len(padded) - 511, F.HOP)])
    power = np.abs(np.fft.rfft(frames * F.periodic_hann(512).astype(np.float64), axis=1)) ** 2
    mel = np.minimum(power @ F.mel_filterbank().T.astype(np.float64), 65504.0)
    expected = np.log10(10000 * mel.astype(np.float16).astype(np.float32) + 1)
    got = F.log_mel_spectrogram(audio)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=2e-3)
    assert np.mean(got != expected) < 0.01  # the float16 rounding hides nearly every difference


def test_patches_start_at_zero_without_overlap_and_drop_the_tail():
    spec = np.arange(500 * 96, dtype=np.float32).reshape(500, 96)
    assert F.patch_starts(500) == [0, 187]
    patches = F.to_patches(spec)
    assert patches.shape == (2, 187, 96)
    np.testing.assert_array_equal(patches[1], spec[187:374])
    assert F.patch_starts(500, hop_frames=100) == [0, 100, 200, 300]


def test_short_input_is_repeat_padded_to_one_patch():
    spec = np.arange(50 * 96, dtype=np.float32).reshape(50, 96)
    patches = F.to_patches(spec)
    assert patches.shape == (1, 187, 96)
    np.testing.assert_array_equal(patches[0, 50:100], spec)
    short_audio = np.zeros(100, np.float32)  # shorter than the reflect pad
    assert F.to_patches(F.log_mel_spectrogram(short_audio)).shape == (1, 187, 96)


def test_three_seconds_is_187_frames():
    # librosa.time_to_frames(3, sr=16000, n_fft=512, hop_length=256) + 1, as the original
    assert (3 * F.SAMPLE_RATE - F.N_FFT // 2) // F.HOP + 1 == F.PATCH_FRAMES == 187
