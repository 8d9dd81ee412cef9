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
from mp3_support import RATE, joined, lame, tone

from musicsage.audio import decode, mpeg_spans


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
    joined(path, [tone(10.0, 330.0), tone(10.0, 550.0)])
    monkeypatch.setitem(sys.modules, "av", None)  # ``import av`` fails
    mpeg_spans.ffmpeg_reads_mp3.cache_clear()
    try:
        info = decode.probe(str(path))
        assert (info.backend, info.duration_s) == ("soundfile", 10.0), "libsndfile's part"
        excerpts = decode.read_spans(str(path), [(1.0, 1.0), (8.0, 1.0)], sr=RATE, info=info)
        assert [len(x) for x in excerpts] == [RATE, RATE], "embedded, not refused"
    finally:
        mpeg_spans.ffmpeg_reads_mp3.cache_clear()


def _synchsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127])


def _id3_with_cover_art(nbytes: int, seed: int) -> bytes:
    """An ID3v2.3 tag holding an APIC frame of ``nbytes`` random bytes: a picture's data,
    where FFmpeg finds false frame starts."""
    art = np.random.default_rng(seed).integers(0, 256, nbytes, np.uint8).tobytes()
    body = b"\x00image/png\x00\x03\x00\x89PNG\r\n\x1a\n" + art
    frame = b"APIC" + len(body).to_bytes(4, "big") + b"\x00\x00" + body
    return b"ID3\x03\x00\x00" + _synchsafe(len(frame)) + frame


def _ape_with_header(nbytes: int, seed: int) -> bytes:
    """An APEv2 tag with its header (flag bit 29) and ``nbytes`` of binary item data."""
    items = np.random.default_rng(seed).integers(0, 256, nbytes, np.uint8).tobytes()
    size = len(items) + 32  # the items and the footer, not the header
    header = b"APETAGEX" + (2000).to_bytes(4, "little") + size.to_bytes(4, "little") + \
        (1).to_bytes(4, "little") + (0xA0000000).to_bytes(4, "little") + b"\0" * 8
    footer = header[:20] + (0x80000000).to_bytes(4, "little") + b"\0" * 8
    return header + items + footer


def test_joined_mp3_files_with_cover_art_lyrics_and_ape_tags_between_are_no_damage(tmp_path):
    parts = []
    for i, hz in enumerate((330.0, 550.0, 880.0)):
        one = tmp_path / f"part{i}.mp3"
        lame(one, tone(10.0, hz), {"b": "128k"}, {"id3v2_version": "0", "write_xing": "1"})
        parts.append(one.read_bytes())
    lyrics = b"LYRICSBEGIN" + b"IND00002" + b"10" + b"000019LYRICS200" + b"TAG" + b"t" * 125
    for name, between in (("art.mp3", (_id3_with_cover_art(200_000, 1),
                                       _id3_with_cover_art(50_000, 2))),
                          ("lyrics.mp3", (lyrics, lyrics)),
                          ("ape.mp3", (_ape_with_header(60_000, 3), _ape_with_header(9_000, 4)))):
        path = tmp_path / name
        path.write_bytes(parts[0] + between[0] + parts[1] + between[1] + parts[2])
        info = decode.probe(str(path))
        assert info.backend == mpeg_spans.BACKEND, name
        excerpts = decode.read_spans(str(path), [(8.0, 4.0), (18.0, 4.0), (25.0, 2.0)],
                                     sr=RATE, info=info)
        assert [len(x) for x in excerpts] == [4 * RATE, 4 * RATE, 2 * RATE], name
        whole = decode.load(str(path), sr=RATE)
        assert 29.9 * RATE < len(whole) < 30.3 * RATE, name
        spectrum = np.abs(np.fft.rfft(whole[25 * RATE:26 * RATE]))
        assert abs(np.argmax(spectrum) - 880.0) < 5, f"{name}: the third file where it is"


def test_without_ffmpegs_mp3_demuxer_an_mp3_past_libsndfile_is_read_by_libsndfile(
        tmp_path, monkeypatch):
    av = pytest.importorskip("av")
    path = tmp_path / "mix.mp3"
    joined(path, [tone(10.0, 330.0), tone(10.0, 550.0)])
    monkeypatch.setattr(av, "formats_available", av.formats_available - {"mp3"})
    mpeg_spans.ffmpeg_reads_mp3.cache_clear()
    try:
        info = decode.probe(str(path))
        assert (info.backend, info.duration_s) == ("soundfile", 10.0), "libsndfile's part"
    finally:
        mpeg_spans.ffmpeg_reads_mp3.cache_clear()
