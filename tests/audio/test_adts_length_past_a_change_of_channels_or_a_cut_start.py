"""A raw AAC (ADTS) file's counted length where its frames are not all of one kind.

Files joined end to end (a broadcast that turned from mono to stereo) were counted only up to
the change: every later header was refused, and sync words inside the audio data were counted
as frames instead (10 s of mono, then an hour of stereo, was 27 s). Now each header where a
frame should begin is taken, and past bytes that are no frame a header counts only where its
frame leads to the next one. A stream whose sample rate changes keeps FFmpeg's guess, as before
the count: FFmpeg's time stamps run the later part at the first rate's pace, so excerpts spread
over the real length would fall past what it reads. A capture cut mid-frame (a stream recorded
from any byte) is counted from its first whole frame: it was not counted at all, and its
excerpts, spread over a ten-times guess, all came back empty.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage.audio import decode
from musicsage.audio.embedder import excerpt_spans
from musicsage.library import adts_frames

RATE = 22050


def _adts(audio: np.ndarray, rate: int = RATE) -> bytes:
    """``audio`` (channels, samples) as a raw AAC stream, mono or stereo."""
    import io

    import av

    layout = "mono" if audio.shape[0] == 1 else "stereo"
    buf = io.BytesIO()
    with av.open(buf, "w", format="adts") as out:
        stream = out.add_stream("aac", rate=rate, layout=layout)
        stream.bit_rate = 96000
        for at in range(0, audio.shape[1], 1024):
            block = np.ascontiguousarray(audio[:, at:at + 1024], np.float32)
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="flt", layout=layout)
            frame.sample_rate, frame.pts = rate, at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def _noise(seconds: float, channels: int = 1, level: float = 0.3, seed: int = 0,
           rate: int = RATE) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((channels, int(rate * seconds))) * level


def _tone(seconds: float, channels: int = 1, rate: int = RATE) -> np.ndarray:
    wave = 0.8 * np.sin(2 * np.pi * 440 * np.arange(int(rate * seconds)) / rate)
    return np.tile(wave, (channels, 1))


def _decoded_seconds(path: Path) -> float:
    """What decoding the file through gives, each frame at its own rate (the truth)."""
    import av

    with av.open(str(path)) as c:
        return sum(f.samples / f.sample_rate for f in c.decode(c.streams.audio[0]))


def _excerpts(path: Path) -> list[np.ndarray]:
    info = decode.probe(path)
    spans = excerpt_spans(info.duration_s, max_seconds=3.0, n_excerpts=3)
    return decode.read_spans(path, spans, sr=16000, info=info)


def test_mono_then_stereo_is_counted_whole_and_its_excerpts_reach_the_stereo_end(tmp_path):
    path = tmp_path / "programme.aac"  # quiet mono noise, then a loud stereo tone
    path.write_bytes(_adts(_noise(3.0)) + _adts(_tone(6.0, channels=2)))
    truth = _decoded_seconds(path)
    assert 8.9 < truth < 9.2
    samples, rate = adts_frames.counted_length(path)
    assert samples / rate == pytest.approx(truth, abs=0.01)
    assert decode.probe(path).duration_s == pytest.approx(truth, abs=0.01)
    got = _excerpts(path)
    assert [len(x) for x in got] == [16000] * 3
    assert np.sqrt(np.mean(got[-1] ** 2)) > 0.45, "the last excerpt is the stereo tone"


def test_sync_words_in_damage_are_no_frames(tmp_path):
    good = _adts(_noise(4.0))
    header = good[:7]  # the stream's own kind, its length pointing into zeros
    fake = header[:3] + bytes([(header[3] & 0xFC), 50 >> 3, ((50 & 7) << 5) | 0x1F, 0xFF])
    damage = bytes(30) + (fake + bytes(193)) * 40
    path = tmp_path / "damaged.aac"
    path.write_bytes(good + damage + good)
    samples, rate = adts_frames.counted_length(path)
    whole, _ = adts_frames.counted_length(_written(tmp_path / "good.aac", good))
    assert samples == 2 * whole, "40 false headers, none counted"


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_change_of_sample_rate_keeps_ffmpegs_length_and_every_excerpt(tmp_path):
    path = tmp_path / "two rates.aac"  # 4 s at 44.1 kHz, then 8 s of a loud tone at 22.05
    path.write_bytes(_adts(_noise(4.0, rate=44100), 44100) + _adts(_tone(8.0), RATE))
    assert adts_frames.counted_length(path) is None
    assert decode.probe(path).duration_s > 6.0, "not the first part's 4 s"
    got = _excerpts(path)
    assert [len(x) for x in got] == [16000] * 3, "no excerpt past what FFmpeg reads"
    assert np.sqrt(np.mean(got[-1] ** 2)) > 0.45, "the last excerpt is the second part"


def test_a_capture_cut_mid_frame_is_counted_from_its_first_whole_frame(tmp_path):
    quiet_then_loud = np.concatenate([np.zeros((1, RATE * 8)), _noise(4.0)], axis=1)
    data = _adts(quiet_then_loud)
    first = ((data[3] & 3) << 11) | (data[4] << 3) | (data[5] >> 5)  # the first frame's bytes
    path = _written(tmp_path / "capture.aac", data[first + 3:])  # 3 bytes into the second
    truth = _decoded_seconds(path)
    assert 11.8 < truth < 12.1
    assert decode.probe(path).duration_s == pytest.approx(truth, abs=0.01)
    got = _excerpts(path)
    assert [len(x) for x in got] == [16000] * 3
    assert np.sqrt(np.mean(got[-1] ** 2)) > 0.1, "the last excerpt is the loud end"


def test_a_file_with_no_frame_near_its_start_is_not_counted(tmp_path):
    path = _written(tmp_path / "noise.aac", np.random.default_rng(3).bytes(200_000))
    assert adts_frames.counted_length(path) is None
