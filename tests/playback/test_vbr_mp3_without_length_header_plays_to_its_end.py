"""A variable-bitrate MP3 without a Xing/Info header (old encoders, stream rips): the length
libsndfile finds is guessed from the first frame's bitrate, and it reads no further. The player
stopped there — the last seconds of the song never played; it now goes on to the end of the
data, and a seek past the guess plays what playing through plays there: what FFmpeg decodes
of the whole file, sample for sample."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from mp3_support import RATE, encoded_mp3, ffmpeg_decoded

from musicsage.playback import decoders, default_decoder
from musicsage.playback.mpeg_length import first_frame_at, length_guessed


def played(path: str, start: int = 0) -> np.ndarray:
    _header, blocks = default_decoder(path, start)
    return np.concatenate(list(blocks))


def test_a_vbr_mp3_without_its_length_plays_to_the_end_and_seeks_past_the_guess(tmp_path):
    path = str(tmp_path / "rip.mp3")
    encoded_mp3(path)
    guess = sf.info(path).frames
    assert length_guessed(path) and guess < 10 * RATE, "libsndfile's length is a short guess"
    header, _blocks = default_decoder(path)
    _blocks.close()
    whole = ffmpeg_decoded(path)
    assert header.frames == len(whole)  # counted from its frames, not the guess
    assert len(whole) >= 12 * RATE
    through = played(path)
    assert len(through) == len(whole), "played to the end of the song, not to the guess"
    assert np.abs(through - whole).max() < 1e-4, "the same samples as a plain decode"
    assert np.abs(through[11 * RATE:12 * RATE]).max() > 0.1  # the tone, not silence
    for start in (guess - 1, guess, guess + 1, 11 * RATE):
        got = played(path, start)
        assert len(got) == len(whole) - start, start
        assert np.abs(got - whole[start:]).max() < 1e-4, start


def with_vbri_header(path: str) -> None:
    """A Fraunhofer VBRI frame (its frame count, its length) put before the first audio frame,
    as Fraunhofer's encoders write it: libsndfile ignores it and still guesses."""
    data = open(path, "rb").read()
    with open(path, "rb") as fh:
        at = first_frame_at(fh)
    size = 144 * 128000 // RATE  # a 128 kbit/s frame without padding, like the header says
    frame = bytearray(size)
    frame[:4] = bytes((0xFF, 0xFB, 0x90, 0x64))  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz, joint
    count = 12 * RATE // 1152
    frame[36:58] = (b"VBRI" + (1).to_bytes(2, "big") + (1105).to_bytes(2, "big")
                    + (75).to_bytes(2, "big") + len(data).to_bytes(4, "big")
                    + count.to_bytes(4, "big") + bytes(4))
    with open(path, "wb") as out:
        out.write(data[:at] + bytes(frame) + data[at:])


def test_a_vbr_mp3_whose_length_is_in_a_vbri_header_plays_to_its_end_too(tmp_path):
    path = str(tmp_path / "fraunhofer.mp3")
    encoded_mp3(path)
    with_vbri_header(path)
    guess = sf.info(path).frames
    assert guess < 10 * RATE, "libsndfile guessed its length all the same"
    assert length_guessed(path)
    through = played(path)
    assert len(through) >= 12 * RATE, "played to the end of the song, not to the guess"
    assert np.abs(through[11 * RATE:12 * RATE]).max() > 0.1


def test_an_mp3_whose_header_holds_its_length_is_read_by_libsndfile_alone(tmp_path):
    path = str(tmp_path / "song.mp3")
    t = np.arange(3 * RATE) / RATE
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE,
             format="MP3", subtype="MPEG_LAYER_III")
    assert not length_guessed(path)
    assert not length_guessed(str(tmp_path / "gone.mp3"))


@pytest.mark.parametrize("bitrate", ["32k", "128k", "320k"])
def test_a_constant_bitrate_mp3_without_its_length_plays_through_libsndfile_alone(
        tmp_path, monkeypatch, bitrate):
    """Its guess counts the tags and the encoder's padding as audio: libsndfile stops before
    it, at the real end, so FFmpeg is never asked (a VBR file's first frames sharing one
    bitrate need no telling apart: only a stop exactly at the guess goes on)."""
    path = str(tmp_path / "cbr.mp3")
    encoded_mp3(path, 7.3, {"b": bitrate})
    assert length_guessed(path)
    exact = sf.read(path, dtype="float32")[0]

    def no_ffmpeg(*_args, **_kwargs):
        raise AssertionError("FFmpeg opened")

    monkeypatch.setattr(decoders, "_pyav_open", no_ffmpeg)
    through = played(path)
    assert len(through) == len(exact)
    assert np.array_equal(through, exact)


def test_a_vbr_mp3_whose_first_frames_share_one_bitrate_plays_to_its_end(tmp_path):
    """Its first seconds all at 320 kbit/s, the rest at 64: no bitrate varies among the first
    64 frames, and the check that compared them took the guess for the length."""
    loud, calm, path = (str(tmp_path / name) for name in ("loud.mp3", "calm.mp3", "rip.mp3"))
    encoded_mp3(loud, 3.0, {"b": "320k"}, noise_seconds=3.0, id3=False)
    encoded_mp3(calm, 9.0, {"b": "64k"}, noise_seconds=0.0, id3=False)
    with open(path, "wb") as out:
        out.write(open(loud, "rb").read() + open(calm, "rb").read())
    guess = sf.info(path).frames
    assert guess < 6 * RATE, "libsndfile's length is a short guess"
    assert length_guessed(path)
    through = played(path)
    assert len(through) >= 11.9 * RATE, "played to the end of the song, not to the guess"
    assert np.abs(through[11 * RATE:int(11.9 * RATE)]).max() > 0.1
