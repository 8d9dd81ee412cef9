"""Slicing audio into OpenL3's 1-s frames (numpy), following the reference implementation.

Reference (openl3 ``get_audio_embedding``), with ``frame_len = sr`` (1 s) and
``hop_len = int(hop_s * sr)``:

- ``center=True`` prepends ``frame_len // 2`` zeros, so frame i is centred on ``i · hop_s``;
- the end is zero-padded so every sample is covered: to ``frame_len`` when shorter, else up to
  the next whole number of hops past ``frame_len``;
- ``n_frames = 1 + (padded_len − frame_len) // hop_len``; timestamps ``i · hop_s`` (the frame
  centre with ``center=True``, its start otherwise).
"""

from __future__ import annotations

import numpy as np

from musicsage.errors import MusicsageError

SAMPLE_RATE = 48000


def hop_samples(hop_s: float, sr: int = SAMPLE_RATE) -> int:
    hop = int(hop_s * sr)
    if hop <= 0:
        raise MusicsageError(f"hop must be positive, got {hop_s} s")
    return hop


def frame_count(n_samples: int, *, hop_s: float, center: bool, sr: int = SAMPLE_RATE) -> int:
    """How many frames :func:`frame_audio` makes from ``n_samples`` samples."""
    if n_samples <= 0:
        return 0
    frame_len, hop = sr, hop_samples(hop_s, sr)
    length = n_samples + (frame_len // 2 if center else 0)
    if length <= frame_len:
        return 1
    return 1 + -(-(length - frame_len) // hop)  # ceil


def frame_audio(audio: np.ndarray, *, hop_s: float = 0.1, center: bool = True,
                sr: int = SAMPLE_RATE) -> tuple[np.ndarray, np.ndarray]:
    """Mono ``audio`` at ``sr`` → ``(frames [n, sr] float32, timestamps [n] seconds)``."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if audio.size == 0:
        raise MusicsageError("no audio to frame")
    frame_len, hop = sr, hop_samples(hop_s, sr)
    if center:
        audio = np.concatenate([np.zeros(frame_len // 2, np.float32), audio])
    if audio.size < frame_len:
        pad = frame_len - audio.size
    else:
        pad = -(-(audio.size - frame_len) // hop) * hop - (audio.size - frame_len)
    if pad > 0:
        audio = np.concatenate([audio, np.zeros(pad, np.float32)])
    n = 1 + (audio.size - frame_len) // hop
    frames = np.lib.stride_tricks.sliding_window_view(audio, frame_len)[::hop][:n]
    return np.ascontiguousarray(frames), np.arange(n) * float(hop_s)
