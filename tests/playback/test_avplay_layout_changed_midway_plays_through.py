"""A stream whose channel layout changes midway (a TV recording: the stereo programme, then the
film in 5.1; AAC in ADTS or AC-3) is no damage, and analysis reads it whole. Playback's
resampler takes only frames like its first: PyAV raised "Frame does not match AudioResampler
setup." at the change, and the player stopped there ("cannot play NAME: Frame does not match
AudioResampler setup.", or "... damaged audio data"). Now each layout gets a resampler of its
own and the whole file plays, the 5.1 part mixed down to stereo at the level it has."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage.playback import default_decoder

RATE = 48000
LEVEL = 0.3


def encode(path: Path, muxer: str, codec: str, layout: str, seconds: float = 2.0) -> None:
    """A 440 Hz tone at ``LEVEL`` on every channel of ``layout``, by FFmpeg's own encoder."""
    av = pytest.importorskip("av")
    width = av.AudioLayout(layout).nb_channels
    t = np.arange(round(seconds * RATE)) / RATE
    tone = (LEVEL * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    audio = np.repeat(tone[:, None], width, axis=1)
    with av.open(str(path), "w", format=muxer) as out:
        stream = out.add_stream(codec, rate=RATE)
        stream.layout = layout
        to_codec = av.AudioResampler(format=stream.codec_context.codec.audio_formats[0].name,
                                     layout=layout, rate=RATE)
        for at in range(0, len(audio), 1024):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(audio[at:at + 1024]).reshape(1, -1), format="flt",
                layout=layout)
            frame.sample_rate, frame.pts = RATE, at
            for packet in (p for part in to_codec.resample(frame) for p in stream.encode(part)):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.mark.parametrize("name, muxer, codec, surround", [
    ("recording.aac", "adts", "aac", "5.1"),
    ("recording.ac3", "ac3", "ac3", "5.1(side)"),
])
def test_a_stream_turning_from_stereo_to_5_1_plays_whole(tmp_path, name, muxer, codec,
                                                          surround):
    parts = [tmp_path / f"stereo.{muxer}", tmp_path / f"surround.{muxer}"]
    encode(parts[0], muxer, codec, "stereo")
    encode(parts[1], muxer, codec, surround)
    path = tmp_path / name
    path.write_bytes(parts[0].read_bytes() + parts[1].read_bytes())  # frames one after another
    header, blocks = default_decoder(str(path))
    played = np.concatenate(list(blocks))  # raised DamagedAudio at the change
    assert header.channels == 2 and played.shape[1] == 2
    assert 4 * RATE <= len(played) < 4 * RATE + 4096, "both parts (and the encoders' padding)"
    for second in (1, 3):  # the middle of each part
        heard = float(np.abs(played[second * RATE:(second + 1) * RATE]).max())
        assert abs(heard - LEVEL) < 0.05, (second, heard)
