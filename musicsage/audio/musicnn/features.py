"""MusiCNN's input: log-compressed mel spectrogram patches, as the original computed them.

The checkpoints were trained on ``librosa.feature.melspectrogram`` (librosa 0.6/0.7 defaults)
of 16 kHz mono audio, so the same numbers must come out here, without librosa:

* STFT: n_fft 512, hop 256, periodic Hann window, ``center=True`` with *reflect* padding of
  n_fft // 2 on both sides (librosa's default before 0.10), power 2 (``|X|**2``);
* mel filterbank: 96 triangular filters on the Slaney mel scale (linear below 1 kHz, log above),
  fmin 0, fmax sr / 2, Slaney area normalisation (``2 / (f[i+2] - f[i])``), float32;
* the original stores the mel power as float16, then takes ``log10(10000 * x + 1)`` in float32;
* patches of 187 frames (3 s), taken from frame 0 with no overlap; the incomplete tail is
  dropped, as in the original. Clips shorter than one patch are repeat-padded (the padding
  the models were trained with, ``pad_short: repeat-pad`` in their config).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.fft

from musicsage.audio.dsp import periodic_hann, triangular_filters

SAMPLE_RATE = 16000
N_FFT = 512
HOP = 256
N_MELS = 96
PATCH_FRAMES = 187  # librosa.time_to_frames(3 s) + 1
BLOCK_FRAMES = 4096
"""Frames (≈ 65 s) whose spectra :func:`log_mel_spectrogram` takes at once: a long track's
spectra and the FFT's intermediates (six times its audio) were held whole, where only its
log-mel (a third of its audio) is kept; the default's 15-s excerpts are one block each."""
_FLOAT16_MAX = float(np.finfo(np.float16).max)


_F_SP = 200.0 / 3
"""Slaney's mel scale: Hz per mel below 1 kHz."""
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0
"""Slaney's mel scale: log step per mel above 1 kHz."""


def _hz_to_mel_slaney(hz: np.ndarray) -> np.ndarray:
    """Slaney's Auditory Toolbox mel scale: 3 mels per 200 Hz up to 1 kHz, then logarithmic."""
    hz = np.asarray(hz, dtype=np.float64)
    mel = hz / _F_SP
    high = hz >= _MIN_LOG_HZ
    mel[high] = _MIN_LOG_MEL + np.log(hz[high] / _MIN_LOG_HZ) / _LOGSTEP
    return mel


def _mel_to_hz_slaney(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    hz = _F_SP * mel
    high = mel >= _MIN_LOG_MEL
    hz[high] = _MIN_LOG_HZ * np.exp(_LOGSTEP * (mel[high] - _MIN_LOG_MEL))
    return hz


@lru_cache(maxsize=4)
def mel_filterbank(*, sr: int = SAMPLE_RATE, n_fft: int = N_FFT, n_mels: int = N_MELS,
                   fmin: float = 0.0, fmax: float | None = None) -> np.ndarray:
    """(n_mels, 1 + n_fft // 2) float32 Slaney-scale, Slaney-normalised triangular filters."""
    fmax = sr / 2 if fmax is None else fmax
    fft_freqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    mel_edges = np.linspace(_hz_to_mel_slaney(np.array([fmin]))[0],
                            _hz_to_mel_slaney(np.array([fmax]))[0], n_mels + 2)
    weights = triangular_filters(_mel_to_hz_slaney(mel_edges), fft_freqs).astype(np.float32)
    weights.setflags(write=False)
    return weights


def power_spectrogram(audio: np.ndarray, *, n_fft: int = N_FFT, hop: int = HOP) -> np.ndarray:
    """|STFT|**2, shape (frames, 1 + n_fft // 2), centred frames with reflect padding."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError("expected mono audio (1-D)")
    pad = n_fft // 2
    if len(audio) <= pad:  # reflect padding needs more samples than the pad
        audio = np.pad(audio, (0, pad + 1 - len(audio)))
    padded = np.pad(audio, (pad, pad), mode="reflect")
    n_frames = 1 + (len(padded) - n_fft) // hop
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(n_frames, n_fft), strides=(padded.strides[0] * hop, padded.strides[0]),
        writeable=False)
    return _power(frames)


def _power(frames: np.ndarray) -> np.ndarray:
    """``[frames, n_fft]`` samples → their windowed power spectra."""
    # scipy's FFT keeps float32 in float32 (numpy's always computes in float64): 5x faster,
    # about 0.025 CPU s less per track (four 15-s excerpts). After the float16 rounding of
    # the mel power (below), 0.03-0.06 % of the log-mel entries differ from a float64 FFT's,
    # by at most 4e-4 (of values up to ~6): far below what decoders of one file disagree by.
    # audio far outside -1..1 (a float file's 1e30 samples) overflows here: no numpy warning
    # with source lines on the terminal, the job records the non-finite vector as the failure
    with np.errstate(over="ignore", invalid="ignore"):
        spectrum = scipy.fft.rfft(frames * periodic_hann(frames.shape[1]), axis=1)
        return spectrum.real ** 2 + spectrum.imag ** 2


def log_mel_spectrogram(audio: np.ndarray) -> np.ndarray:
    """MusiCNN's input representation of 16 kHz mono audio: (frames, 96) float32."""
    # The original stores the mel power as float16 and numpy promotes float16 * 10000 to
    # float32, so: round to float16 (clipped, where the original would get inf), log in float32.
    # Overflowing audio gives inf/NaN here, caught as the track's failure (embed_job), silently.
    audio = np.asarray(audio, dtype=np.float32)
    n_frames = 1 + len(audio) // HOP
    if audio.ndim != 1 or n_frames <= BLOCK_FRAMES:
        return _log_mel(power_spectrogram(audio))
    return np.concatenate([
        _log_mel(_power(_centred_frames(audio, first, min(n_frames, first + BLOCK_FRAMES))))
        for first in range(0, n_frames, BLOCK_FRAMES)])


def _log_mel(power: np.ndarray) -> np.ndarray:
    """Power spectra ``[frames, bins]`` → their log-mel, as the original rounded it."""
    with np.errstate(over="ignore", invalid="ignore"):
        mel = power @ mel_filterbank().T
        mel = np.minimum(mel, _FLOAT16_MAX).astype(np.float16).astype(np.float32)
        return np.log10(10000.0 * mel + 1.0)


def _centred_frames(audio: np.ndarray, first: int, stop: int) -> np.ndarray:
    """Frames ``first:stop`` of :func:`power_spectrogram`'s centred, reflect-padded framing
    of ``audio`` (longer than ``N_FFT``), without the padded copy of the whole of it."""
    at = np.abs(np.arange(first * HOP, (stop - 1) * HOP + N_FFT) - N_FFT // 2)
    at = np.where(at >= len(audio), 2 * (len(audio) - 1) - at, at)  # reflected at the end
    return np.lib.stride_tricks.sliding_window_view(audio[at], N_FFT)[::HOP]


def patch_starts(n_frames: int, *, patch_frames: int = PATCH_FRAMES,
                 hop_frames: int | None = None) -> list[int]:
    """First frame of each patch: 0, hop, 2·hop … while a whole patch fits (at least one)."""
    hop_frames = hop_frames or patch_frames
    if n_frames <= patch_frames:
        return [0]
    return list(range(0, n_frames - patch_frames + 1, hop_frames))


def to_patches(spectrogram: np.ndarray, starts: list[int] | None = None, *,
               patch_frames: int = PATCH_FRAMES) -> np.ndarray:
    """(n_patches, patch_frames, n_mels) windows of ``spectrogram``; short input repeat-padded."""
    if len(spectrogram) == 0:
        raise ValueError("empty spectrogram")
    if len(spectrogram) < patch_frames:
        reps = -(-patch_frames // len(spectrogram))
        spectrogram = np.tile(spectrogram, (reps, 1))[:patch_frames]
    if starts is None:
        starts = patch_starts(len(spectrogram), patch_frames=patch_frames)
    # (copy=False: the stack is float32 already; a copy doubled a whole track's patches)
    return np.stack([spectrogram[s:s + patch_frames] for s in starts]).astype(np.float32,
                                                                             copy=False)
