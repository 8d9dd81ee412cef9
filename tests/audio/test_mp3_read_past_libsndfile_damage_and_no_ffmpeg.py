"""An MP3 that holds more than libsndfile reads (no Xing header, files joined end to end) is
read by FFmpeg (:mod:`musicsage.audio.mpeg_spans`). Its invalid packets were all skipped, so
a file with 4 KiB of garbage in the middle was embedded as if whole where libsndfile had said
"cannot decode (damaged audio data?)"; now damage inside an excerpt reports the file, while a
tag between joined files is still no damage. And without PyAV the file was handed to FFmpeg
anyway and never embedded: libsndfile's part is read as before."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode, mpeg_spans

RATE = 44100


def tone(seconds: float, hz: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def lame(path, y: np.ndarray, options: dict, muxer: dict) -> None:
    """``y`` as a stereo MP3 by LAME through FFmpeg, with the muxer's ``muxer`` options."""
    av = pytest.importorskip("av")
    if "libmp3lame" not in av.codecs_available:
        pytest.skip("this FFmpeg has no MP3 encoder")
    pcm = (np.clip(np.stack([y, y], 1), -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(str(path), "w", format="mp3", options=muxer) as out:
        stream = out.add_stream("libmp3lame", rate=RATE, options=options)
        stream.layout = "stereo"
        resampler = av.AudioResampler(format="s16p", layout="stereo", rate=RATE)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
        frame.sample_rate = RATE
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def test_a_vbr_mp3_damaged_inside_an_excerpt_is_reported_not_embedded(tmp_path):
    path = tmp_path / "rip.mp3"
    y = tone(30.0)
    y[:3 * RATE] = 0.5 * np.random.default_rng(0).standard_normal(3 * RATE)  # a short guess
    lame(path, y, {"abr": "1", "b": "128k"}, {"write_xing": "0"})
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = np.random.default_rng(5).integers(0, 256, 4096, np.uint8).tobytes()
    path.write_bytes(bytes(data))
    info = decode.probe(str(path))
    assert info.backend == mpeg_spans.BACKEND, "FFmpeg reads past libsndfile's guess"
    with pytest.raises(decode.DecodeError,
                       match=r"^rip\.mp3: cannot decode \(damaged audio data\?\)$"):
        decode.load(str(path), sr=RATE)
    clear = decode.read_spans(str(path), [(1.0, 1.0), (28.0, 1.0)], sr=RATE, info=info)
    assert [len(x) for x in clear] == [RATE, RATE], "excerpts away from the damage are read"


def test_joined_mp3_files_with_tags_between_them_are_no_damage(tmp_path):
    path = tmp_path / "mix.mp3"
    parts = []
    for i, hz in enumerate((330.0, 550.0, 880.0)):
        one = tmp_path / f"part{i}.mp3"
        lame(one, tone(10.0, hz), {"b": "128k"}, {"id3v2_version": "3"})
        parts.append(one.read_bytes())
    path.write_bytes(b"".join(parts))
    assert parts[1][:3] == b"ID3", "the second file's tag lies between the first's frames"
    whole = decode.load(str(path), sr=RATE)
    assert 29.9 * RATE < len(whole) < 30.3 * RATE


def test_without_pyav_an_mp3_past_libsndfile_is_read_by_libsndfile(tmp_path, monkeypatch):
    path = tmp_path / "mix.mp3"
    data = b""
    for i, hz in enumerate((330.0, 550.0)):
        one = tmp_path / f"part{i}.mp3"
        sf.write(one, tone(10.0, hz), RATE, format="MP3", subtype="MPEG_LAYER_III")
        data += one.read_bytes()
    path.write_bytes(data)
    monkeypatch.setitem(sys.modules, "av", None)  # ``import av`` fails
    mpeg_spans.ffmpeg_reads_mp3.cache_clear()
    try:
        info = decode.probe(str(path))
        assert (info.backend, info.duration_s) == ("soundfile", 10.0), "libsndfile's part"
        excerpts = decode.read_spans(str(path), [(1.0, 1.0), (8.0, 1.0)], sr=RATE, info=info)
        assert [len(x) for x in excerpts] == [RATE, RATE], "embedded, not refused"
    finally:
        mpeg_spans.ffmpeg_reads_mp3.cache_clear()
