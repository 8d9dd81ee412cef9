"""A DSP audio embedding that needs no download: the fallback when no neural weights exist.

Analysis: mono 22,050 Hz, three excerpts totalling 30 s (spread over the track), STFT with a
2048-point periodic Hann window every 512 samples (23 ms). Per excerpt frame we compute, then
summarise over all frames of the track:

=====================  =====================================================  ======
group                  what (per-frame → track statistics)                    dims
=====================  =====================================================  ======
``mel``                64-band log-mel (dB, HTK mel 30 Hz–11 kHz), relative    128
                       to the track's mean level → mean and std per band
``mfcc``               MFCC 1–20 (DCT-II of the log-mel; c0 = loudness          60
                       dropped) → mean, std; and std of their frame deltas
``contrast``           spectral contrast in 7 octave bands (peak − valley,      21
                       dB; 20 % quantiles) → mean, std; valley mean
``chroma``             12 pitch classes (bins 55 Hz–5 kHz folded by pitch,      24
                       frame-normalised) → mean, std
``shape``              centroid, bandwidth, roll-off 85 %, flatness,            12
                       zero-crossing rate, RMS (dB) → mean, std
``rhythm``             onset strength (mel spectral flux): mean, std, and its   20
                       autocorrelation sampled at 16 log-spaced tempi
                       (40–240 BPM) plus the dominant tempo's log2 and clarity
=====================  =====================================================  ======

Every feature is made level-independent (the dB features are relative to the track) and
roughly centred; each group is then scaled to unit L2 norm and multiplied by a group weight,
so that raw cosine similarity between two vectors is already meaningful (no single group —
e.g. 128 mel numbers — drowns the 24 chroma numbers). Downstream models z-score per dimension
anyway. Cost: well under a second per track on one core (mostly the 30 s of decoding and
three FFT passes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Sequence

import numpy as np

from musicsage.audio.embedder import AudioEmbedder, Span, excerpt_spans
from musicsage.audio.dsp import periodic_hann
from musicsage.audio.openl3.filters import mel_filterbank
from musicsage.errors import MusicsageError

VERSION = "1"
SAMPLE_RATE = 22050
N_FFT = 2048
HOP = 512
N_MELS = 64
N_MFCC = 20
FMIN, FMAX = 30.0, 11000.0
DEFAULT_MAX_SECONDS = 30.0
DEFAULT_EXCERPTS = 3
TEMPO_BPMS = np.geomspace(40.0, 240.0, 16)
GROUP_WEIGHTS = {"mel": 1.0, "mfcc": 1.0, "contrast": 0.8, "chroma": 0.8, "shape": 0.6,
                 "rhythm": 0.8}
EPS = 1e-10
BLOCK_FRAMES = 1024
"""Frames whose spectra are taken at once (≈ 24 s): ≈ 50 MB of transient arrays, and as fast
per frame as the whole excerpt at once (the default's three 10-s excerpts are one block each)."""
NO_HOP = f"its frames are fixed, {1000 * HOP / SAMPLE_RATE:.0f} ms apart, and summarised per track"
"""Why ``hop`` has no effect on this model (:func:`musicsage.audio.embedder.why_no_hop`):
``embed --hop`` with it is refused in one line rather than run with the value dropped, and
a hop stored for it is forgotten. A coarser STFT hop would not be "less detail" but other
features (the deltas and the tempo profile are defined at this frame rate; a 1 s hop leaves
no tempo to measure), and the cost is the decoding anyway: it is not offered as a setting."""


class SpectralEmbedder(AudioEmbedder):
    """The DSP embedding (see module docstring). ``infer`` is the identity: ``prepare`` already
    returns the finished track vector as a single unit, so it runs in the decode workers."""

    model_id = "spectral"
    sample_rate = SAMPLE_RATE
    device = "cpu"
    batch_size = 256

    def __init__(self, *, max_seconds: float = DEFAULT_MAX_SECONDS,
                 n_excerpts: int = DEFAULT_EXCERPTS) -> None:
        if not 0 < max_seconds < math.inf or n_excerpts < 1:  # NaN and inf fail too
            raise MusicsageError(f"spectral policy needs a finite max_seconds > 0 and excerpts ≥ 1 "
                                 f"(got max_seconds {max_seconds:g} s, {n_excerpts} excerpts)")
        self.max_seconds = float(max_seconds)
        self.n_excerpts = int(n_excerpts)
        self.model_version = _version(self.max_seconds, self.n_excerpts)
        self._mel = _mel_matrix()
        self._chroma = _chroma_matrix()
        self._window = periodic_hann(N_FFT).astype(np.float64)
        silence = np.zeros(4 * HOP + N_FFT)
        self.dim = len(self._vector(self._frames(silence), _wave_frames([silence])))

    def spans(self, duration_s: float | None) -> list[Span]:
        return excerpt_spans(duration_s, max_seconds=self.max_seconds, n_excerpts=self.n_excerpts)

    def prepare(self, excerpts: Sequence[np.ndarray]) -> np.ndarray:
        """Excerpts → ``[1, dim]``: the finished track vector.

        The spectra are taken :data:`BLOCK_FRAMES` frames at a time and only each frame's
        features kept (about 100 numbers, where its spectrum is 1,025 and its window 2,048),
        so a long excerpt (``--max-seconds 1e9`` of a 2-hour mix) costs a few times its
        decoded audio (0.8 GB for an hour), not 30 times it: the whole track's spectra held
        at once ran to 2.5 MB per second analysed (18 GB for 2 hours), and the kernel killed
        the process without a word. Each frame's features, and the statistics over all of
        them, are the ones the whole-track arrays gave, to the byte."""
        pieces = []
        for x in excerpts:
            x = np.asarray(x).reshape(-1)
            if x.size == 0:
                continue
            if x.size < N_FFT:
                x = np.pad(np.asarray(x, dtype=np.float64), (0, N_FFT - x.size))
            pieces.append(x)
        if not pieces:
            raise MusicsageError("no audio to embed")
        frames = _Frames.joined([self._frames(x) for x in pieces])
        return self._vector(frames, _wave_frames(pieces))[None, :]

    def infer(self, units: np.ndarray) -> np.ndarray:
        return np.asarray(units, dtype=np.float32)

    def pool(self, unit_embeddings: np.ndarray) -> np.ndarray:
        return np.asarray(unit_embeddings, dtype=np.float32).mean(axis=0)

    # --- analysis -------------------------------------------------------------------------

    def _frames(self, x: np.ndarray) -> "_Frames":
        """The per-frame features of one excerpt (frames inside it, no padding), a block of
        frames at a time: only one block's spectra are ever held."""
        n = 1 + (x.size - N_FFT) // HOP
        blocks = []
        for first in range(0, n, BLOCK_FRAMES):
            count = min(BLOCK_FRAMES, n - first)
            part = np.asarray(x[first * HOP:(first + count - 1) * HOP + N_FFT], dtype=np.float64)
            frames = np.lib.stride_tricks.sliding_window_view(part, N_FFT)[::HOP][:count]
            spec = np.fft.rfft(frames * self._window, axis=1)
            blocks.append(self._frame_features(spec.real ** 2 + spec.imag ** 2))
        return _Frames.joined(blocks)

    def _frame_features(self, power: np.ndarray) -> "_Frames":
        """``[frames, bins]`` power spectra → what the track statistics need of each frame."""
        chroma = power @ self._chroma  # [frames, 12]
        peak, valley = _contrast_frames(power)
        return _Frames(mel_db=10.0 * np.log10(power @ self._mel + EPS),  # [frames, 64]
                       chroma=chroma / (chroma.max(axis=1, keepdims=True) + EPS),
                       peak=peak, valley=valley, shape=_shape_frames(power))

    def _vector(self, frames: "_Frames", wave: np.ndarray) -> np.ndarray:
        """The track statistics over all frames (``wave``: :func:`_wave_frames`)."""
        mel_db = frames.mel_db
        groups = {"contrast": _contrast(frames.peak, frames.valley),
                  "shape": _shape(frames.shape, wave)}
        rel = mel_db - mel_db.mean()
        groups["mel"] = np.concatenate([rel.mean(0) / 20.0, rel.std(0) / 10.0])
        del rel
        mfcc = _dct_ortho(mel_db)[:, 1:N_MFCC + 1]
        deltas = np.diff(mfcc, axis=0) if len(mfcc) > 1 else np.zeros_like(mfcc)
        groups["mfcc"] = np.concatenate([mfcc.mean(0), mfcc.std(0), deltas.std(0)]) / 20.0
        chroma = frames.chroma
        groups["chroma"] = np.concatenate([chroma.mean(0) - chroma.mean(), chroma.std(0)])
        groups["rhythm"] = _rhythm(mel_db)
        parts = []
        for name, weight in GROUP_WEIGHTS.items():
            v = np.nan_to_num(np.asarray(groups[name], dtype=np.float64))
            norm = np.linalg.norm(v)
            parts.append(weight * v / norm if norm > EPS else v)
        return np.concatenate(parts).astype(np.float32)


# --- feature helpers (pure functions over [frames, bins] power spectra) ----------------------


@dataclass(frozen=True)
class _Frames:
    """Each analysed frame's features, what the track statistics are computed from."""

    mel_db: np.ndarray  # [frames, 64] log-mel (dB)
    chroma: np.ndarray  # [frames, 12], frame-normalised
    peak: np.ndarray  # [frames, 7] contrast peaks (dB)
    valley: np.ndarray  # [frames, 7] contrast valleys (dB)
    shape: np.ndarray  # [frames, 4] (:func:`_shape_frames`)

    @classmethod
    def joined(cls, parts: Sequence["_Frames"]) -> "_Frames":
        """The frames of ``parts`` one after another (one part: itself, no copy)."""
        if len(parts) == 1:
            return parts[0]
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts])
                     for f in fields(cls)))


def _mel_matrix() -> np.ndarray:
    full = mel_filterbank(N_MELS + 0, sr=SAMPLE_RATE, n_dft=N_FFT, fmin=FMIN, fmax=FMAX)
    return full.astype(np.float64)


def _bin_hz() -> np.ndarray:
    return np.linspace(0.0, SAMPLE_RATE / 2.0, N_FFT // 2 + 1)


def _chroma_matrix() -> np.ndarray:
    """``[bins, 12]``: each FFT bin between 55 Hz and 5 kHz adds to its nearest pitch class."""
    hz = _bin_hz()
    m = np.zeros((hz.size, 12))
    ok = (hz >= 55.0) & (hz <= 5000.0)
    pitch = np.round(12.0 * np.log2(hz[ok] / 440.0)).astype(int) % 12  # 0 = A
    m[np.flatnonzero(ok), pitch] = 1.0
    return m


def _dct_ortho(x: np.ndarray) -> np.ndarray:
    from scipy.fft import dct

    return dct(x, type=2, axis=1, norm="ortho")


def _contrast_frames(power: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spectral contrast (Jiang et al. 2002) in 7 octave bands from 200 Hz: each frame's
    peak and valley (dB), ``[frames, 7]`` each."""
    hz = _bin_hz()
    edges = [0.0] + [200.0 * 2 ** k for k in range(6)] + [SAMPLE_RATE / 2.0 + 1]
    peaks, valleys = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        band = np.sort(power[:, (hz >= lo) & (hz < hi)], axis=1)
        k = max(1, int(round(0.2 * band.shape[1])))
        valleys.append(10.0 * np.log10(band[:, :k].mean(axis=1) + EPS))
        peaks.append(10.0 * np.log10(band[:, -k:].mean(axis=1) + EPS))
    return np.stack(peaks, 1), np.stack(valleys, 1)


def _contrast(peak: np.ndarray, valley: np.ndarray) -> np.ndarray:
    """Contrast (peak − valley) mean and std, and the valleys' mean relative to the track's."""
    contrast = peak - valley
    valley_rel = valley - valley.mean()
    return np.concatenate([contrast.mean(0) / 20.0 - 1.0, contrast.std(0) / 10.0,
                           valley_rel.mean(0) / 20.0])


def _shape_frames(power: np.ndarray) -> np.ndarray:
    """``[frames, 4]``: each frame's centroid, bandwidth, roll-off 85 % and flatness."""
    hz = _bin_hz()
    total = power.sum(axis=1) + EPS
    centroid = (power @ hz) / total
    bandwidth = np.sqrt(np.maximum((power @ hz ** 2) / total - centroid ** 2, 0.0))
    cumulative = np.cumsum(power, axis=1)
    rolloff = hz[np.argmax(cumulative >= 0.85 * cumulative[:, -1:], axis=1)]
    flatness = np.exp(np.log(power + EPS).mean(axis=1)) / (power.mean(axis=1) + EPS)
    return np.stack([centroid, bandwidth, rolloff, flatness], 1)


def _wave_frames(pieces: Sequence[np.ndarray]) -> np.ndarray:
    """``[frames, 2]``: zero-crossing rate and RMS (dB) of frames over the excerpts joined
    end to end (a frame may span two of them, as it always did), read a block of frames at
    a time from the excerpts as they are, never from a joined copy of them."""
    bounds = np.cumsum([0] + [len(x) for x in pieces])
    n = 1 + (int(bounds[-1]) - N_FFT) // HOP  # every piece holds N_FFT samples at least
    blocks = []
    for first in range(0, n, BLOCK_FRAMES):
        count = min(BLOCK_FRAMES, n - first)
        part = _joined_slice(pieces, bounds, first * HOP, (first + count - 1) * HOP + N_FFT)
        frames = np.lib.stride_tricks.sliding_window_view(part, N_FFT)[::HOP][:count]
        zcr = np.abs(np.diff(np.signbit(frames), axis=1)).mean(axis=1)
        blocks.append(np.stack([zcr, 10.0 * np.log10((frames ** 2).mean(axis=1) + EPS)], 1))
    return np.concatenate(blocks)


def _joined_slice(pieces: Sequence[np.ndarray], bounds: np.ndarray, start: int,
                  stop: int) -> np.ndarray:
    """Samples ``start:stop`` of the pieces joined end to end, as float64."""
    parts = []
    for x, lo, hi in zip(pieces, bounds[:-1], bounds[1:]):
        if hi > start and lo < stop:
            parts.append(np.asarray(x[max(start - lo, 0):min(stop, hi) - lo], dtype=np.float64))
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def _shape(shape: np.ndarray, wave: np.ndarray) -> np.ndarray:
    """Centroid, bandwidth, roll-off, flatness, ZCR, RMS: mean and std, centred and scaled."""
    centroid, bandwidth, rolloff, flatness = shape.T
    zcr, rms_db = wave.T
    rms_rel = rms_db - rms_db.max()
    feats = [
        np.log2(centroid + 1.0) - 11.0, np.log2(bandwidth + 1.0) - 11.0,
        np.log2(rolloff + 1.0) - 12.0, np.log10(flatness + EPS) + 2.0,
        np.log10(zcr + 1e-4) + 1.5, rms_rel / 20.0 + 0.5,
    ]
    return np.array([f.mean() for f in feats] + [f.std() for f in feats])


def _rhythm(mel_db: np.ndarray) -> np.ndarray:
    """Onset strength (positive mel flux) statistics and a coarse tempo profile.

    Only the lags the profile reads (up to 40 BPM's, 65 frames) of the onset's
    autocorrelation are computed, each the same dot product ``np.correlate`` takes: the
    full autocorrelation cost the square of the frames (half a minute for one hour)."""
    if len(mel_db) < 3:
        return np.zeros(4 + TEMPO_BPMS.size)
    flux = np.maximum(np.diff(mel_db, axis=0), 0.0).mean(axis=1)
    onset = flux - flux.mean()
    frame_rate = SAMPLE_RATE / HOP
    lags = 60.0 * frame_rate / TEMPO_BPMS
    n = min(onset.size, int(math.ceil(lags.max())) + 2)
    ac = np.array([np.dot(onset[k:], onset[:onset.size - k]) for k in range(n)])
    ac = ac / (ac[0] + EPS)
    profile = np.interp(lags, np.arange(ac.size), ac, right=0.0)
    best = int(np.argmax(profile))
    return np.concatenate([[flux.mean() / 5.0, flux.std() / 5.0,
                            np.log2(TEMPO_BPMS[best] / 120.0), profile[best]], profile])


def weights_available(ctx: Any = None, **_: Any) -> bool:
    """The spectral model needs no weights: always available."""
    return True


def identity(ctx: Any = None, *, max_seconds: float | None = None,
             n_excerpts: int | None = None, **_: Any) -> tuple[str, str]:
    """Registry hook: (model id, model version) of the policy, without building anything."""
    return "spectral", _version(max_seconds if max_seconds is not None else DEFAULT_MAX_SECONDS,
                                n_excerpts if n_excerpts is not None else DEFAULT_EXCERPTS)


def _version(max_seconds: float, n_excerpts: int) -> str:
    return f"spectral{VERSION};sr={SAMPLE_RATE};max={float(max_seconds):g};excerpts={int(n_excerpts)}"


def create_embedder(ctx: Any = None, *, max_seconds: float | None = None,
                    n_excerpts: int | None = None, device: str | None = None,
                    **_: Any) -> SpectralEmbedder:
    """Registry entry point (``hop`` does not apply — see :data:`NO_HOP`: ``embed`` refuses
    one given, so none reaches here from it; numpy runs on the CPU whatever ``device`` says,
    but a GPU this machine lacks is still refused, as for every model)."""
    from musicsage.audio.device import resolve_device

    resolve_device(device, uses_torch=False)
    return SpectralEmbedder(
        max_seconds=max_seconds if max_seconds is not None else DEFAULT_MAX_SECONDS,
        n_excerpts=n_excerpts if n_excerpts is not None else DEFAULT_EXCERPTS)
