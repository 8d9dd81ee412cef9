"""An MP3 played through the player is the same audio as the file decoded in one go.

python-soundfile ends every ``read`` with a seek, and libsndfile hands an MP3 seek to
libmpg123, which restarts decoding there: the player's audio was garbled at every 65,536-frame
block (~1.5 s), and a re-opened decoder (a long seek) began with ~100 ms of silence then wrong
samples. WAV/FLAC/OGG never had this; the MP3 here is written by the same libsndfile.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback.decoders import SALVAGE_FRAMES, _salvage, soundfile_blocks

SR = 44100


@pytest.fixture(scope="module")
def mp3(tmp_path_factory):
    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    t = np.arange(SR * 5) / SR
    left = (t / 5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32) * 0.6  # a rising tone
    path = tmp_path_factory.mktemp("mp3") / "tone.mp3"
    sf.write(path, np.stack([left, 0.5 * left], axis=1), SR, format="MP3")
    whole = sf.read(path, dtype="float32", always_2d=True)[0]  # one read: the reference
    return str(path), whole


def played(path: str, start: int = 0, **kw) -> np.ndarray:
    _, blocks = soundfile_blocks(path, start, **kw)
    return np.concatenate(list(blocks))


def test_an_mp3_streams_in_blocks_as_one_decode_gives_it(mp3):
    path, whole = mp3
    got = played(path)  # 65,536-frame blocks: three block joins in 5 s
    assert got.shape == whole.shape
    assert np.abs(got - whole).max() < 1e-6
    small = played(path, block_frames=4096)  # many joins
    assert np.abs(small - whole).max() < 1e-6


@pytest.mark.parametrize("seconds", [0.05, 1.0, 3.3])
def test_an_mp3_reopened_at_a_later_frame_plays_exactly_what_is_there(mp3, seconds):
    path, whole = mp3
    start = round(seconds * SR)
    got = played(path, start)
    assert len(got) == len(whole) - start
    assert np.abs(got - whole[start:]).max() < 1e-6  # no silence, no wrong first 100 ms


def test_salvage_after_damage_reads_the_same_samples(mp3):
    path, whole = mp3
    at = 2 * SR + 123
    gen = _salvage(path, at, muted=True)
    got = np.concatenate([next(gen) for _ in range(40)])
    assert len(got) == 40 * SALVAGE_FRAMES
    assert np.abs(got - whole[at:at + len(got)]).max() < 1e-6


@pytest.mark.parametrize("at", [2.45, 5.3])
def test_a_mono_22k_mp3_reopened_between_bursts_is_exact(tmp_path, at):
    """libmpg123 gets a low-rate mono MP3 wrong for up to 0.5 s after the seek lands in the
    quiet between two bursts (its bit reservoir): a 0.2-s pre-roll was not enough."""
    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    sr, n = 22050, 22050 * 7
    x = 0.06 * np.sin(2 * np.pi * 260 * np.arange(n) / sr)
    burst = np.random.default_rng(0).standard_normal(2000) * np.exp(-np.arange(2000) / 300)
    for b in range(0, n - 2000, sr // 2):
        x[b:b + 2000] += 0.3 * burst
    path = tmp_path / "clicks.mp3"
    sf.write(path, x.astype(np.float32), sr, format="MP3")
    whole = sf.read(path, dtype="float32", always_2d=True)[0]
    start = round(at * sr)
    got = played(str(path), start)
    assert np.abs(got - whole[start:]).max() < 1e-6
