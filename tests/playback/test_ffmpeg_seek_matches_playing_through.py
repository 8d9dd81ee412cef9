"""A seek in a file FFmpeg decodes (WMA, m4a…) plays what playing through from the start
plays at that position: the slider and the time label say what is heard. WMA's decoder gives
its first frame two packets in, stamped 93 ms on; a seek placed by the stream's start time
landed 93 ms early (the audio heard lagged the position after every seek)."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.playback import default_decoder

RATE = 44100


def encode(path: str, codec: str, muxer: str, seconds: float = 8.0) -> None:
    """A rising tone (each stretch unlike any other; not noise, which AAC may code as noise
    the decoder makes up anew) in ``codec``, written by FFmpeg's own encoder."""
    av = pytest.importorskip("av")
    t = np.arange(round(seconds * RATE)) / RATE
    tone = 0.3 * np.sin(2 * np.pi * (220 + 40 * t) * t)
    pcm = (np.stack([tone, tone[::-1]], 1) * 32767).astype(np.int16)
    with av.open(path, "w", format=muxer) as out:
        stream = out.add_stream(codec, rate=RATE)
        stream.layout = "stereo"
        stream.bit_rate = 128000  # (wmav2 refuses to open without one)
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="stereo")
        frame.sample_rate = RATE
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def where_it_plays(heard: np.ndarray, through: np.ndarray, near: int, span: int = 6000) -> int:
    """The frame of ``through`` (played from the start) that ``heard`` begins at."""
    lo, hi = max(0, near - span), min(len(through) - len(heard), near + span)
    misfit = [np.abs(through[k:k + len(heard)] - heard).max() for k in range(lo, hi + 1)]
    assert min(misfit) < 1e-4, "the audio after the seek is nowhere near the position"
    return lo + int(np.argmin(misfit))


@pytest.mark.parametrize("suffix, codec, muxer", [(".wma", "wmav2", "asf"),
                                                  (".m4a", "aac", "ipod")])
def test_a_seek_plays_what_playing_through_plays_there(tmp_path, suffix, codec, muxer):
    path = str(tmp_path / f"song{suffix}")
    encode(path, codec, muxer)
    _header, blocks = default_decoder(path)
    through = np.concatenate(list(blocks))
    for seconds in (0.5, 2.3, 6.0):
        start = round(seconds * RATE)
        _header, blocks = default_decoder(path, start)
        heard = next(blocks)[:512]
        blocks.close()
        late = where_it_plays(heard, through, start) - start
        assert abs(late) <= RATE // 1000, f"a seek to {seconds} s is {late} frames off"
