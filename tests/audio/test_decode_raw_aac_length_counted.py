"""A VBR raw AAC (ADTS) file is decoded at the length its frames hold. FFmpeg guesses a raw
AAC's length from the bit rate of its first frames: a quiet intro made a 44 s file "17 minutes",
every excerpt ``embed`` asked for lay past the end, and it said "no audio could be decoded
(empty or truncated file)" of a whole, playable file."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.audio import decode

RATE = 44100


def _quiet_intro_adts(path) -> None:
    av = pytest.importorskip("av")
    noise = np.random.default_rng(1).standard_normal(40 * RATE).astype(np.float32) * 0.3
    signal = np.concatenate([np.zeros(4 * RATE, np.float32), noise])
    with av.open(str(path), "w", format="adts") as out:
        stream = out.add_stream("aac", rate=RATE)
        stream.layout = "mono"
        for at in range(0, len(signal), 1024):
            frame = av.AudioFrame.from_ndarray(signal[None, at:at + 1024], format="flt",
                                               layout="mono")
            frame.sample_rate, frame.pts = RATE, at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def test_a_vbr_raw_aac_is_read_at_its_counted_length(tmp_path):
    path = tmp_path / "intro.aac"
    _quiet_intro_adts(path)
    info = decode.probe(path)
    assert info.duration_s == pytest.approx(44.0, abs=0.1)
    spans = [(info.duration_s / 2 - 1.5, 3.0)]  # the middle excerpt a frame policy asks for
    [excerpt] = decode.read_spans(path, spans, sr=16000)
    assert len(excerpt) == 3 * 16000 and float(np.abs(excerpt).mean()) > 0.05
