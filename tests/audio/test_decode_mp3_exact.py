"""Embedding excerpts of MP3s are the file's own samples; files cut short are read as
read_spans says; libmpg123's chatter is cut out of a progress bar's line too."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.decoder_noise import drop_noise

SR = 44100


def rising_tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    left = (t / seconds * np.sin(2 * np.pi * 1000 * t)).astype(np.float32) * 0.8
    return np.stack([left, -0.5 * left], axis=1)


def clicks_over_a_tone(seconds: float, sr: int) -> np.ndarray:
    """Mono: a quiet tone with a noise burst every 0.5 s. libmpg123 decodes a mono 22.05-kHz
    MP3 of it wrongly for up to 0.5 s after a seek that lands in the quiet between bursts."""
    n = int(seconds * sr)
    x = 0.06 * np.sin(2 * np.pi * 260 * np.arange(n) / sr)
    burst = np.random.default_rng(0).standard_normal(2000) * np.exp(-np.arange(2000) / 300)
    for b in range(0, n - 2000, sr // 2):
        x[b:b + 2000] += 0.3 * burst
    return x.astype(np.float32)[:, None]


@pytest.mark.parametrize("sr, signal", [(SR, rising_tone), (22050, clicks_over_a_tone)],
                         ids=["stereo-44k", "mono-22k"])
def test_mp3_excerpts_equal_the_same_samples_of_a_whole_decode(tmp_path, sr, signal):
    """A seek into an MP3 began with ~100 ms of silence, then wrong audio: every embedding
    excerpt of an MP3 started that way. At the file's rate, so no resampling between."""
    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    p = tmp_path / "t.mp3"
    sf.write(p, signal(8.0, sr) if signal is clicks_over_a_tone else signal(8.0), sr,
             format="MP3")
    whole = decode.to_mono(sf.read(p, dtype="float32", always_2d=True)[0])
    spans = [(0.1, 1.0), (2.45, 2.5), (6.4, 1.0), (5.96, 0.5)]
    got = decode.read_spans(p, spans, sr=sr)
    for (start, length), y in zip(spans, got, strict=True):
        s = round(start * sr)
        assert len(y) == round(length * sr)
        assert np.abs(y - whole[s:s + len(y)]).max() < 1e-6, start  # its first 100 ms too


def test_a_cut_short_file_yields_what_its_header_counts_and_a_broken_one_is_said(tmp_path):
    """What read_spans' docstring now says: a WAV cut short is clipped to what it holds; a FLAC
    cut short (its header still says 12 s) is a DecodeError naming the file, in the scan's
    words, not an excerpt of its first part that would hide the damage."""
    whole = rising_tone(12.0)
    for name in ("cut.wav", "cut.flac"):
        sf.write(tmp_path / name, whole, SR)
        data = (tmp_path / name).read_bytes()
        (tmp_path / name).write_bytes(data[:len(data) // 3])
    got = decode.read_spans(tmp_path / "cut.wav", [(0.0, 2.0), (2.5, 10.0)], sr=SR)
    assert len(got[0]) == 2 * SR and 0.5 * SR < len(got[1]) < 2.0 * SR
    with pytest.raises(decode.DecodeError, match=r"^cut\.flac: audio ends early"):
        decode.read_spans(tmp_path / "cut.flac", [(0.0, 2.0), (2.5, 10.0)], sr=SR)


def test_libmpg123_chatter_is_cut_from_a_progress_bar_line():
    """tqdm redraws with "\\r" and no newline, so libmpg123's error went on from the bar."""
    bar = b"\rembed: 30%|###       | 3/10 [00:00<00:01,  4.57it/s, t02.mp3]"
    noisy = (bar + b"[src/libmpg123/layer3.c:INT123_do_layer3():1774] error: part2_3_length\n"
             + b"\rembed: 40%|####      | 4/10 [00:00<00:01]Note: Trying to resync...\n"
             + b"Note: Skipped 1024 bytes in input.\n" + b"\rembed: 50%\n")
    assert drop_noise(noisy) == (bar + b"\rembed: 40%|####      | 4/10 [00:00<00:01]"
                                 + b"\rembed: 50%\n")
    kept = b"t.mp3: UserWarning: as is\nA Note: as is\n"
    assert drop_noise(kept) == kept


def test_reads_fall_back_to_soundfiles_own_read_without_its_private_names(tmp_path,
                                                                          monkeypatch):
    """``sf_read`` reaches past python-soundfile's API (its read seeks after every block,
    which restarts an MP3's decoder); a release without those names must still read every
    file, as ``f.read`` did."""
    p = tmp_path / "t.wav"
    sf.write(p, rising_tone(2.0), SR)
    before = decode.read_spans(p, [(0.5, 1.0)], sr=SR)[0]
    monkeypatch.delattr(sf, "_snd")
    after = decode.read_spans(p, [(0.5, 1.0)], sr=SR)[0]
    assert len(after) == SR and np.array_equal(before, after)
