"""Whether a seek lands in a FLAC's zeroed bytes is told by the frame headers around the zeros,
not by a guess in proportion to the bytes: where the bit rate is uneven (a quiet first half
coded in few bytes, a loud second half in many) the guess refused good audio as damaged and
let a seek into the zeros through to libFLAC's search (minutes in a long file)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.playback.decoders import DamagedAudio, soundfile_blocks

SR = 44100
SECONDS = 60
GOOD_S = 30.0
"""Quiet audio, whole; a guess in proportion to the bytes puts it in the zeros (27–33 s)."""
ZEROED_S = 38.0
"""In the zeros (36.0–40.5 s of the audio); the guess in proportion puts it after them."""


@pytest.fixture(scope="module")
def uneven(tmp_path_factory) -> Path:
    """Quiet, then loud; the bytes from 45 % to 55 % of the file made zeros in place."""
    path = tmp_path_factory.mktemp("uneven") / "uneven.flac"
    rng = np.random.default_rng(0)
    half = SECONDS * SR // 2
    signal = np.concatenate([0.001 * rng.standard_normal(half), 0.5 * rng.standard_normal(half)])
    sf.write(path, signal.astype(np.float32), SR, subtype="PCM_16")
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.seek(int(size * 0.45))
        fh.write(bytes(int(size * 0.10)))
    return path


@pytest.fixture
def libflac_seeks(monkeypatch) -> list[int]:
    """The places libsndfile is asked to seek to (python-soundfile's relative seeks left out)."""
    sought: list[int] = []
    seek = sf.SoundFile.seek

    def spied(self, frames, whence=0):
        if whence == 0:
            sought.append(frames)
        return seek(self, frames, whence)

    monkeypatch.setattr(sf.SoundFile, "seek", spied)
    return sought


def _whole(path: Path, start_s: float, seconds: float) -> np.ndarray:
    with sf.SoundFile(path) as f:  # read through from the start: no seek at all
        return f.read(round((start_s + seconds) * SR), dtype="float32")[round(start_s * SR):]


def test_the_player_plays_from_good_audio_that_the_guess_put_in_the_zeros(uneven):
    expected = _whole(uneven, GOOD_S, 1.0)
    _header, blocks = soundfile_blocks(str(uneven), start=round(GOOD_S * SR))
    first = next(blocks)
    blocks.close()
    np.testing.assert_allclose(first[:SR, 0], expected, atol=1e-6)


def test_the_player_refuses_a_seek_into_the_zeros_without_libflacs_search(uneven,
                                                                           libflac_seeks):
    _header, blocks = soundfile_blocks(str(uneven), start=round(ZEROED_S * SR))
    with pytest.raises(DamagedAudio, match="damaged audio data"):
        list(blocks)
    assert libflac_seeks == [], "libFLAC was not asked to seek into the zeros"


def test_an_excerpt_from_good_audio_is_read(uneven):
    (excerpt,) = decode.read_spans(uneven, [(GOOD_S, 2.0)], sr=SR)
    np.testing.assert_allclose(excerpt, _whole(uneven, GOOD_S, 2.0), atol=1e-6)


def test_an_excerpt_in_the_zeros_names_them_without_libflacs_search(uneven, libflac_seeks):
    with pytest.raises(decode.DecodeError) as err:
        decode.read_spans(uneven, [(ZEROED_S, 1.0)], sr=SR)
    assert str(err.value) == ("uneven.flac: holds zeroed bytes from 0:36 to 0:40 (a download "
                              "that never finished, or a failing drive?)")
    assert all(frames < 36 * SR for frames in libflac_seeks), libflac_seeks


def test_zeros_after_the_last_whole_frame_refuse_no_seek(tmp_path):
    """Zeros appended after a whole FLAC (a tool's padding, 1 MiB): the scan keeps the file,
    and the player plays from 6 s (both were refused: their place, in proportion to the
    bytes, lay in the zeros)."""
    from musicsage.library.tags import probe

    path = tmp_path / "padded.flac"
    signal = 0.3 * np.random.default_rng(1).standard_normal(10 * SR)
    sf.write(path, signal.astype(np.float32), SR, subtype="PCM_16")
    with open(path, "ab") as fh:
        fh.write(bytes(1 << 20))
    assert probe(str(path)).duration == pytest.approx(10.0, abs=0.01)
    _header, blocks = soundfile_blocks(str(path), start=6 * SR)
    first = next(blocks)
    blocks.close()
    np.testing.assert_allclose(first[:SR, 0], _whole(path, 6.0, 1.0), atol=1e-6)
