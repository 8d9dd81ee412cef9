"""A surround file FFmpeg decodes (AC-3, AAC, DTS, Matroska…) is mixed down to stereo as one
libsndfile reads is: scaled so that a full-scale mix cannot clip. FFmpeg's own downmix to float
is not scaled: a loud 5.1 AC-3 track peaked at 1.9 of full scale, which the sound card clips
(loud passages distorted), and it played more than twice as loud as the same mix from a FLAC."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import default_decoder

RATE = 48000
LEVEL = 0.8
WAVE_ORDER = {"5.1(side)": ("FL", "FR", "FC", "LFE", "SL", "SR"),
              "7.1": ("FL", "FR", "FC", "LFE", "BL", "BR", "SL", "SR")}


def surround(layout: str, seconds: float = 2.0) -> np.ndarray:
    """A tone at ``LEVEL`` on every channel of ``layout`` but the LFE (frames, channels)."""
    t = np.arange(round(seconds * RATE)) / RATE
    tone = LEVEL * np.sin(2 * np.pi * 440 * t)
    names = WAVE_ORDER[layout]
    audio = np.repeat(tone[:, None], len(names), axis=1).astype(np.float32)
    audio[:, names.index("LFE")] = 0
    return audio


def encode(path: str, audio: np.ndarray, muxer: str, codec: str, layout: str) -> None:
    """``audio`` in ``codec`` with ``layout``, by FFmpeg's own encoder."""
    av = pytest.importorskip("av")
    with av.open(path, "w", format=muxer) as out:
        stream = out.add_stream(codec, rate=RATE)
        stream.layout = layout
        stream.bit_rate = 448000
        to_codec = av.AudioResampler(format=stream.codec_context.codec.audio_formats[0].name,
                                     layout=layout, rate=RATE)
        for at in range(0, len(audio), 1536):
            part = audio[at:at + 1536]
            frame = av.AudioFrame.from_ndarray(part.reshape(1, -1), format="flt", layout=layout)
            frame.sample_rate, frame.pts = RATE, at
            for packet in (p for part in to_codec.resample(frame) for p in stream.encode(part)):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def peak(path: str) -> float:
    header, blocks = default_decoder(path)
    assert header.channels == 2
    played = np.concatenate(list(blocks))
    assert played.shape[1] == 2
    return float(np.abs(played).max())


@pytest.mark.parametrize("name, muxer, codec, layout", [
    ("movie.ac3", "ac3", "ac3", "5.1(side)"),
    ("concert.mka", "matroska", "flac", "7.1"),
])
def test_a_loud_surround_file_ffmpeg_decodes_plays_unclipped_as_libsndfile_mixes_it(
        tmp_path, name, muxer, codec, layout):
    audio = surround(layout)
    path, flac = str(tmp_path / name), str(tmp_path / "same.flac")
    encode(path, audio, muxer, codec, layout)
    sf.write(flac, audio, RATE)
    through_ffmpeg, through_libsndfile = peak(path), peak(flac)
    assert through_ffmpeg < 1.0, f"the stereo mix peaks at {through_ffmpeg:.2f}: it clips"
    assert through_ffmpeg == pytest.approx(through_libsndfile, abs=0.05)
    assert through_libsndfile == pytest.approx(LEVEL, abs=0.02)
