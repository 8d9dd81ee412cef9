"""A WAV whose bytes past its ``data`` chunk are a tag, not audio, gets no note that audio
follows: the note's advice (``ffmpeg -ignore_length``) would turn the tag's bytes, a cover
picture's mostly, into seconds of noise at the end of the recording.

Three layouts said "… s more follow" before: an odd ``data`` size whose writer left out the
pad byte (the ``id3 `` chunk one byte early), a file cut inside its trailing tag chunk (the
chunk states more than the file holds), and an ID3v2, ID3v1 or APE tag appended raw after
the RIFF by a tagger that knows no ``id3 `` chunk.
"""

from __future__ import annotations

import struct

import numpy as np
import pytest

from musicsage.library import tags as tags_mod

RATE = 8000
"""8-bit mono: one byte a frame, a second of it 8000 bytes."""


def _wav(path, frames: int, after: bytes = b"", pad: bool = True, extra: bytes = b"") -> None:
    """An 8-bit mono WAV of ``frames`` frames of noise, then ``after`` inside the RIFF and
    ``extra`` past it; ``pad`` False leaves out the pad byte an odd ``data`` size wants."""
    data = np.random.default_rng(0).integers(0x81, 0xFF, frames, dtype=np.uint8).tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, RATE, RATE, 1, 8)
    body = (b"WAVEfmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", len(data)) + data)
    if len(data) & 1 and pad:
        body += b"\0"
    body += after
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body + extra)


def _id3_chunk(size: int) -> bytes:
    """An ``id3 `` chunk of ``size`` bytes: an ID3v2.3 header and a cover's room."""
    payload = b"ID3\x03\x00\x00" + bytes(4) + bytes(size - 10)
    return b"id3 " + struct.pack("<I", size) + payload + (b"\0" if size & 1 else b"")


def test_an_id3_chunk_after_an_odd_data_size_without_its_pad_byte(tmp_path):
    path = tmp_path / "odd.wav"
    _wav(path, 2 * RATE + 1, _id3_chunk(30_001), pad=False)
    assert tags_mod.probe(str(path)).note is None  # was "3.8 s more follow"


def test_a_file_cut_inside_its_trailing_tag_chunk(tmp_path):
    path = tmp_path / "cut.wav"
    _wav(path, 2 * RATE, _id3_chunk(60_000)[:30_000])
    assert tags_mod.probe(str(path)).note is None


@pytest.mark.parametrize("tag", [
    b"ID3\x03\x00\x00\x00\x01\x00\x00" + bytes(30_000),   # ID3v2 with a cover's room
    b"APETAGEX\xd0\x07\x00\x00" + bytes(30_000),
    b"TAG" + b"Song".ljust(30, b"\0") + bytes(30_000),
], ids=["id3v2", "ape", "id3v1"])
def test_a_raw_tag_appended_after_the_riff(tmp_path, tag):
    path = tmp_path / "tagged.wav"
    _wav(path, 2 * RATE, extra=tag)
    assert tags_mod.probe(str(path)).note is None


def test_audio_past_an_odd_data_size_is_still_said(tmp_path):
    path = tmp_path / "take.wav"
    _wav(path, 3 * RATE + 1, pad=False)
    data = bytearray(path.read_bytes())
    at = data.find(b"data")
    data[at + 4:at + 8] = struct.pack("<I", RATE + 1)  # states 1 s of the 3 s
    path.write_bytes(bytes(data))
    note = tags_mod.probe(str(path)).note
    assert note is not None and "header says 1.0 s of audio, though 2.0 s more follow" in note
