"""A seek into the damaged part of a FLAC (a download cut short whose rest is zeros): libFLAC
searches the damage for a frame before it gives up, in a time that grows with the square of
the file's size (seconds in a 5-minute file, a minute in a 10-minute one), while the player
plays silence. The read that failed was then "salvaged" by a second decoder seeking to the
same place, which failed the same way after as long again. Now a failed seek is not done again,
and one whose place lies in zeroed bytes is refused before libFLAC is asked at all."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import decoders
from musicsage.playback.decoders import DamagedAudio, soundfile_blocks

RATE = 8000


def _second_half_lost(path, seconds: int, rest) -> str:
    """A FLAC of ``seconds`` whose second half of bytes is ``rest(n)``."""
    rng = np.random.default_rng(3)
    sf.write(str(path), (0.3 * rng.standard_normal(seconds * RATE)).astype(np.float32), RATE,
             subtype="PCM_16")
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(rest(size - size // 2))
    return str(path)


@pytest.fixture
def zeroed_half(tmp_path) -> str:
    """The rest of the download never came: zeros (its space allocated first)."""
    return _second_half_lost(tmp_path / "download.flac", 120, bytes)


@pytest.fixture
def garbled_half(tmp_path) -> str:
    """Bytes of no meaning, which libFLAC searches too (zeros are refused before it)."""
    return _second_half_lost(tmp_path / "garbled.flac", 60, np.random.default_rng(4).bytes)


def test_a_failed_seek_into_the_damage_is_said_after_one_search(garbled_half, monkeypatch):
    seeks: list[int] = []
    real = decoders.seek_exact

    def seek_counted(f, start, page_start):
        seeks.append(start)
        return real(f, start, page_start)

    monkeypatch.setattr(decoders, "seek_exact", seek_counted)
    header, blocks = soundfile_blocks(garbled_half, start=50 * RATE)
    with pytest.raises(DamagedAudio, match="damaged audio data"):
        list(blocks)
    assert seeks == [50 * RATE], "the failed seek is not done a second time"


def test_playing_through_still_gets_every_frame_before_the_damage(zeroed_half):
    """The salvage after a failed read (not a seek) is kept: the frames before the damage
    that the failed block read took with it are read again in small steps."""
    whole = sf.read(zeroed_half, frames=25 * RATE, dtype="float32")[0]
    got = []
    _header, blocks = soundfile_blocks(zeroed_half)
    with pytest.raises(DamagedAudio):
        for block in blocks:
            got.append(block)
    played = np.concatenate(got)
    assert len(played) >= 25 * RATE
    np.testing.assert_allclose(played[:25 * RATE], whole[:, None] if whole.ndim == 1
                               else whole, atol=1e-6)


def test_a_seek_into_zeroed_bytes_is_refused_without_libflacs_search(zeroed_half, monkeypatch):
    """Zeros where the place should lie are damage: libFLAC is not asked to search them (a
    minute in a 10-minute file); the player says at once that it cannot play from there."""
    from playback_support import Output, wait_for

    from musicsage.playback import PlaybackEngine

    seeks: list[int] = []  # the places libsndfile is asked to seek to (not relative seeks)
    seek = sf.SoundFile.seek
    monkeypatch.setattr(sf.SoundFile, "seek", lambda self, frames, whence=0: (
        seeks.append(frames) if whence == 0 else None, seek(self, frames, whence))[1])
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(zeroed_half, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    eng.seek_seconds(100.0)  # past what is decoded (30 s ahead): the file is opened there
    wait_for(lambda: eng.note != "", timeout=2.0)
    output.cards[0].pull(512)
    wait_for(lambda: eng.state == "error")
    assert eng.error == "cannot play download.flac from 1:40: damaged audio data"
    assert seeks == [], "libFLAC was not asked to seek into the zeros"
    eng.close()


def test_a_seek_into_the_good_part_still_plays_exactly(zeroed_half):
    whole = sf.read(zeroed_half, frames=20 * RATE, dtype="float32")[0]
    _header, blocks = soundfile_blocks(zeroed_half, start=10 * RATE)
    first = next(blocks)
    np.testing.assert_allclose(first[:RATE, 0], whole[10 * RATE:11 * RATE], atol=1e-6)
    blocks.close()
