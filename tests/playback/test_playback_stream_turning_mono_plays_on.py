"""An MP3 or MP2 stream that turns from stereo to mono midway (a radio or DVB recording whose
programme changed, stream rips saved end to end, no length header): libsndfile (libmpg123)
stops at the change, though the frames go on, and the player took that for the track's end —
the rest never played, without a word. FFmpeg now goes on where libsndfile stops short of
the frames the file holds, the mono part on both sides at its own level.

Past a change of rate (44.1 kHz then 48 kHz), FFmpeg's frames were counted at their own
rate, not the rate they play at, so a seek 5 s past the change landed 0.4 s early."""

from __future__ import annotations

import numpy as np
import pytest
from mp3_support import RATE, tone

from musicsage.playback import default_decoder

LEVEL = 0.3


def encoded(path, y: np.ndarray, layout: str, codec: str, fmt: str, rate: int = RATE) -> None:
    """``y`` in ``layout`` ("stereo", "mono") by FFmpeg's ``codec`` at ``rate`` Hz, no length
    header."""
    av = pytest.importorskip("av")
    if codec not in av.codecs_available:
        pytest.skip(f"this FFmpeg has no {codec} encoder")
    ch = 2 if layout == "stereo" else 1
    pcm = (np.clip(np.stack([y] * ch, 1), -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    muxer = {"write_xing": "0", "id3v2_version": "0"} if fmt == "mp3" else {}
    with av.open(str(path), "w", format=fmt, options=muxer) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout, stream.bit_rate = layout, 128000
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout,
                                      rate=rate)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout=layout)
        frame.sample_rate = rate
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def stereo_then_mono(tmp_path, codec: str, fmt: str):
    y = tone(10, 440) / 0.3 * LEVEL
    encoded(tmp_path / "a.tmp", y, "stereo", codec, fmt)
    encoded(tmp_path / "b.tmp", y, "mono", codec, fmt)
    path = tmp_path / f"broadcast.{fmt}"
    path.write_bytes((tmp_path / "a.tmp").read_bytes() + (tmp_path / "b.tmp").read_bytes())
    return str(path)


@pytest.mark.parametrize("codec, fmt", [("libmp3lame", "mp3"), ("mp2", "mp2")])
def test_a_stream_turning_mono_midway_plays_to_its_end(tmp_path, codec, fmt):
    path = stereo_then_mono(tmp_path, codec, fmt)
    header, blocks = default_decoder(path)
    assert header.channels == 2
    through = np.concatenate(list(blocks))
    assert len(through) > 19.9 * RATE, f"stopped at {len(through) / RATE:.2f} s"
    second = np.abs(through[-8 * RATE:-2 * RATE]).max(axis=0)  # the mono part, both sides
    assert np.allclose(second, LEVEL, atol=0.02), second


@pytest.mark.parametrize("codec, fmt", [("libmp3lame", "mp3"), ("mp2", "mp2")])
def test_a_seek_into_the_mono_part_plays_what_playing_through_plays_there(tmp_path, codec,
                                                                          fmt):
    path = stereo_then_mono(tmp_path, codec, fmt)
    through = np.concatenate(list(default_decoder(path)[1]))
    _header, blocks = default_decoder(path, start=15 * RATE)
    seeked = np.concatenate(list(blocks))
    assert len(seeked) > 4.9 * RATE, f"a seek to 0:15 played {len(seeked) / RATE:.2f} s"
    assert np.abs(seeked[:RATE] - through[15 * RATE:16 * RATE]).max() < 0.02


@pytest.mark.parametrize("codec, fmt", [("libmp3lame", "mp3"), ("mp2", "mp2")])
def test_a_seek_past_a_change_of_rate_plays_what_playing_through_plays_there(tmp_path, codec,
                                                                             fmt):
    data = b""
    for i, rate in enumerate((RATE, 48000, RATE)):  # a glide: no place sounds like another
        t = np.arange(10 * rate) / rate
        y = (LEVEL * np.sin(2 * np.pi * (300 + 60 * (i * 10 + t)) * t)).astype(np.float32)
        encoded(tmp_path / f"{i}.tmp", y, "stereo", codec, fmt, rate)
        data += (tmp_path / f"{i}.tmp").read_bytes()
    path = tmp_path / f"broadcast.{fmt}"
    path.write_bytes(data)
    through = np.concatenate(list(default_decoder(str(path))[1]))
    assert len(through) > 16 * RATE
    seeked = np.concatenate(list(default_decoder(str(path), start=15 * RATE)[1]))
    assert np.abs(seeked[:RATE] - through[15 * RATE:16 * RATE]).max() < 0.03
