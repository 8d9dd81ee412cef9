"""An M4A whose index comes first (iTunes' and most downloads' layout), or a WavPack, cut
short states its whole length and decodes at its start: the scan added it with that length,
and only ``embed`` found that its audio was gone. Its end is decoded now, as a FLAC's is."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library.scan import resolve_roots, scan_roots


def _encode(path, muxer: str, codec: str, sample_format: str, seconds: float = 8.0,
            options: dict | None = None) -> None:
    """A mono tone written by FFmpeg's own encoder through PyAV."""
    av = pytest.importorskip("av")
    sr = 44100
    pcm = (0.2 * np.sin(np.arange(int(seconds * sr)) / 7) * 32767).astype(np.int16)
    with open(path, "wb") as fh, av.open(fh, "w", format=muxer, options=options or {}) as out:
        stream = out.add_stream(codec, rate=sr)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=sample_format, layout="mono", rate=sr)
        for start in range(0, len(pcm), 4096):
            frame = av.AudioFrame.from_ndarray(pcm[None, start:start + 4096], format="s16",
                                               layout="mono")
            frame.sample_rate = sr
            for part in resampler.resample(frame):
                for packet in stream.encode(part):
                    out.mux(packet)
        for part in (*resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def _cut_in_half(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


@pytest.mark.parametrize("name, muxer, codec, sample_format, options", [
    ("song.m4a", "mp4", "aac", "fltp", {"movflags": "faststart"}),
    ("song.wv", "wv", "wavpack", "s16p", None),
])
def test_a_file_cut_in_half_is_an_error_and_a_whole_one_a_track(conn, music, name, muxer,
                                                                 codec, sample_format, options):
    whole, cut = music / name, music / f"cut-{name}"
    _encode(whole, muxer, codec, sample_format, options=options)
    _encode(cut, muxer, codec, sample_format, options=options)
    _cut_in_half(cut)
    rep = scan_roots(conn, resolve_roots([music]))
    assert [(str(p).rsplit("/", 1)[1], why) for p, why in rep.errors] == \
        [(cut.name, AUDIO_ENDS_EARLY)]
    rows = conn.execute("SELECT path, duration FROM tracks").fetchall()
    assert [r[0].rsplit("/", 1)[1] for r in rows] == [whole.name]
    assert abs(rows[0][1] - 8.0) < 0.1
