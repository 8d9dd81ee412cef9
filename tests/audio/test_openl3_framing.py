"""OpenL3 frame slicing: counts, timestamps and frame contents match the reference formula."""

from __future__ import annotations

import math

import numpy as np
import pytest

from musicsage.audio.openl3.framing import frame_audio, frame_count

SR = 48000


def reference_count(n: int, hop_s: float, center: bool) -> int:
    """openl3's rule: centre-pad by sr/2, pad the end to whole hops, 1 + (len − sr) // hop."""
    hop = int(hop_s * SR)
    length = n + (SR // 2 if center else 0)
    if length < SR:
        length = SR
    else:
        length = SR + math.ceil((length - SR) / hop) * hop
    return 1 + (length - SR) // hop


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("hop_s", [0.1, 0.25, 0.5, 1.0, 0.37])
@pytest.mark.parametrize("n", [1, 1000, 24000, 47999, 48000, 48001, 96000, 100_003, 5 * SR])
def test_frame_count_and_timestamps(n, hop_s, center):
    audio = np.random.default_rng(n).standard_normal(n).astype(np.float32)
    frames, ts = frame_audio(audio, hop_s=hop_s, center=center)
    want = reference_count(n, hop_s, center)
    assert frames.shape == (want, SR)
    assert frame_count(n, hop_s=hop_s, center=center) == want
    assert np.allclose(ts, np.arange(want) * hop_s)


def test_chirp_reference_case_gives_sixteen_frames():
    # shared/openl3/chirp_44k.npz: 2 s at 48 kHz, hop 0.1, center=True → 16 frames.
    frames, ts = frame_audio(np.ones(96000, np.float32), hop_s=0.1, center=True)
    assert len(frames) == 16 and ts[-1] == pytest.approx(1.5)


@pytest.mark.parametrize("center", [True, False])
def test_frame_contents_are_the_right_samples(center):
    audio = np.arange(1, 3 * SR + 1, dtype=np.float32)  # sample k holds k + 1
    hop = 0.5
    frames, ts = frame_audio(audio, hop_s=hop, center=center)
    offset = SR // 2 if center else 0
    for i, frame in enumerate(frames):
        start = int(i * hop * SR) - offset  # index of the frame's first sample in `audio`
        idx = np.arange(start, start + SR)
        inside = (idx >= 0) & (idx < audio.size)
        assert np.array_equal(frame[inside], audio[idx[inside]])
        assert not frame[~inside].any()  # padding is zeros
        if center:  # timestamp = the frame centre
            assert (start + SR // 2) / SR == pytest.approx(ts[i])
