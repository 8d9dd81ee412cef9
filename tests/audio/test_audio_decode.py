"""Decoding: formats, exact spans, mono mixdown, resampling, bad files, bounded reads."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.errors import MusicsageError

SR = 16000


def ramp_signal(seconds: float, sr: int = SR) -> np.ndarray:
    """Stereo test signal: left = slow ramp (position readable from the value), right = −left."""
    n = int(seconds * sr)
    left = (np.arange(n) / n * 0.9).astype(np.float32)
    return np.stack([left, -left * 0.5], axis=1)


def write_aac(path: Path, x: np.ndarray, sr: int, codec: str = "aac") -> None:
    import av

    with av.open(str(path), "w") as c:
        stream = c.add_stream(codec, rate=sr)
        stream.layout = "stereo" if x.shape[1] == 2 else "mono"
        for i in range(0, len(x), 1024):
            chunk = np.ascontiguousarray(x[i:i + 1024].T)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=stream.layout.name)
            frame.sample_rate = sr
            for packet in stream.encode(frame):
                c.mux(packet)
        for packet in stream.encode(None):
            c.mux(packet)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_span_is_sample_exact_and_mono(tmp_path, fmt):
    x = ramp_signal(6.0)
    p = tmp_path / f"t.{fmt}"
    sf.write(p, x, SR, format=fmt.upper(), subtype="VORBIS" if fmt == "ogg" else None)
    info = decode.probe(p)
    assert info.backend == "soundfile" and info.sample_rate == SR and info.channels == 2
    assert info.duration_s == pytest.approx(6.0, abs=0.01)
    got = decode.read_span(p, 2.0, 1.5, sr=SR)
    assert got.dtype == np.float32 and got.ndim == 1 and len(got) == int(1.5 * SR)
    want = x[2 * SR:2 * SR + len(got)].mean(axis=1)  # mono = mean of channels
    tol = 0.02 if fmt == "ogg" else 1e-3
    assert np.abs(got - want).max() < tol


def test_resampling_keeps_duration_and_pitch(tmp_path):
    sr_in, sr_out = 44100, 48000
    t = np.arange(3 * sr_in) / sr_in
    sf.write(tmp_path / "tone.wav", (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32), sr_in)
    y = decode.read_span(tmp_path / "tone.wav", 1.0, 1.0, sr=sr_out)
    assert len(y) == sr_out
    peak_hz = np.argmax(np.abs(np.fft.rfft(y))) * sr_out / len(y)
    assert peak_hz == pytest.approx(1000, abs=2)


def clicks(seconds: float, times, sr: int = SR) -> np.ndarray:
    """Silence with short 1 kHz bursts starting at ``times`` (stereo): onsets are easy to find."""
    x = np.zeros((int(seconds * sr), 2), np.float32)
    burst = 0.8 * np.sin(2 * np.pi * 1000 * np.arange(400) / sr)
    for t in times:
        x[int(t * sr):int(t * sr) + 400] = burst[:, None]
    return x


def onset(y: np.ndarray, sr: int = SR) -> float:
    return float(np.argmax(np.abs(y) > 0.2)) / sr


def test_pyav_fallback_reads_m4a_spans(tmp_path):
    p = tmp_path / "t.m4a"
    write_aac(p, clicks(10.0, [1.0, 5.5, 8.25]), SR)
    info = decode.probe(p)
    assert info.backend == "pyav" and info.channels == 2
    assert info.duration_s == pytest.approx(10.0, abs=0.2)
    whole = decode.load(p, sr=SR)  # decoded linearly from the start
    spans = [(0.5, 1.0), (5.0, 2.0), (7.9, 1.0)]
    got = decode.read_spans(p, spans, sr=SR, info=info)
    assert [len(y) for y in got] == [SR, 2 * SR, SR]
    for (start, _), y in zip(spans, got):
        # A seek lands on the same samples as a linear decode (to a sample or two).
        linear = whole[int(start * SR):int(start * SR) + len(y)]
        assert abs(onset(y) - onset(linear)) <= 2 / SR
        assert np.abs(y - linear).max() < 0.02


def test_mp3_spans_are_placed_in_time(tmp_path):
    p = tmp_path / "t.mp3"
    sf.write(p, clicks(10.0, [1.0, 5.5, 8.25]), SR)
    for start, want in [(0.5, 1.0), (5.0, 5.5), (7.9, 8.25)]:
        y = decode.read_span(p, start, 1.0, sr=SR)
        assert start + onset(y) == pytest.approx(want, abs=0.002)


def test_spans_past_the_end_are_clipped_and_empty_dropped(tmp_path):
    sf.write(tmp_path / "s.wav", ramp_signal(2.0), SR)
    spans = decode.read_spans(tmp_path / "s.wav", [(1.5, 3.0), (5.0, 1.0), (0.0, 0.0)], sr=SR)
    assert len(spans) == 1 and len(spans[0]) == SR // 2


def test_load_whole_file_and_max_seconds(tmp_path):
    sf.write(tmp_path / "s.flac", ramp_signal(3.0), SR)
    assert len(decode.load(tmp_path / "s.flac", sr=8000)) == 3 * 8000
    assert len(decode.load(tmp_path / "s.flac", sr=8000, max_seconds=1.0)) == 8000


@pytest.mark.parametrize("content", [b"", b"not audio at all" * 100, b"RIFF\x00\x00"])
def test_corrupt_files_raise_decode_error(tmp_path, content):
    p = tmp_path / "bad.wav"
    p.write_bytes(content)
    with pytest.raises(decode.DecodeError) as err:
        decode.read_spans(p, [(0.0, 1.0)], sr=SR)
    assert isinstance(err.value, MusicsageError) and "bad.wav" in str(err.value)
    assert "Errno" not in str(err.value)  # FFmpeg's internal error number is no help


def test_missing_file_raises_decode_error(tmp_path):
    with pytest.raises(decode.DecodeError, match="not found"):
        decode.probe(tmp_path / "nope.flac")
    with pytest.raises(decode.DecodeError, match="a folder, not an audio file"):
        decode.probe(tmp_path)  # `tags ~/Music` said "file not found" of a folder that exists


def test_truncated_files_give_what_they_hold_or_an_error(tmp_path):
    good = tmp_path / "good.flac"
    sf.write(good, ramp_signal(10.0), SR)
    data = good.read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[:len(data) // 3])  # header promises 10 s, data ends early
    try:
        spans = decode.read_spans(cut, [(0.0, 1.0), (8.0, 1.0)], sr=SR)
        assert 1 <= len(spans) and len(spans[0]) > 0
    except decode.DecodeError:
        pass  # also acceptable: an error for this track, never another exception type

    m4a = tmp_path / "t.m4a"
    write_aac(m4a, ramp_signal(6.0), SR)
    raw = m4a.read_bytes()
    broken = tmp_path / "broken.m4a"
    broken.write_bytes(raw[:len(raw) // 2])  # moov atom at the end: unreadable
    with pytest.raises(decode.DecodeError):
        decode.read_spans(broken, [(0.0, 1.0)], sr=SR)


def sparse_wav(path: Path, *, hours: float, sr: int = 48000, channels: int = 2) -> int:
    """A WAV of silence whose data is a sparse hole: gigabytes of 'audio', no disk used."""
    n_frames = int(hours * 3600 * sr)
    data_bytes = n_frames * channels * 2
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, sr, sr * channels * 2,
                                    channels * 2, 16)
    header += b"data" + struct.pack("<I", data_bytes)
    with open(path, "wb") as f:
        f.write(header)
        f.truncate(len(header) + data_bytes)
    return n_frames


def test_two_hour_file_reads_only_its_spans(tmp_path, monkeypatch):
    p = tmp_path / "mix.wav"
    sparse_wav(p, hours=2.0)
    requested = []
    original = decode.sf_read  # every libsndfile read of decode goes through it

    def counting_read(f, frames):
        requested.append(frames)
        return original(f, frames)

    monkeypatch.setattr(decode, "sf_read", counting_read)
    info = decode.probe(p)
    assert info.duration_s == pytest.approx(7200.0)
    spans = [(600.0, 4.0), (3600.0, 4.0), (7000.0, 4.0)]
    tracemalloc.start()
    out = decode.read_spans(p, spans, sr=16000, info=info)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [len(x) for x in out] == [64000] * 3
    assert sum(requested) == 3 * 4 * 48000  # exactly the spans' frames, nothing else
    assert peak < 20 * 2**20  # the whole file would be 1.4 GB as float32


def test_pyav_decodes_only_near_the_span(tmp_path, monkeypatch):
    sr = 8000
    p = tmp_path / "long.m4a"
    write_aac(p, np.zeros((180 * sr, 1), np.float32) + 0.1, sr)
    decoded = []
    real_open = decode._av_open

    class Counting:
        def __init__(self, container):
            self._c = container

        def __getattr__(self, name):
            return getattr(self._c, name)

        def decode(self, *a, **kw):
            for frame in self._c.decode(*a, **kw):
                decoded.append(frame.samples)
                yield frame

    monkeypatch.setattr(decode, "_av_open", lambda path: Counting(real_open(path)))
    out = decode.read_span(p, 150.0, 2.0, sr=sr)
    assert len(out) == 2 * sr
    assert sum(decoded) < 10 * sr  # seeked: a few frames, not 150 s of audio
