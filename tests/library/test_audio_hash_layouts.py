"""The audio hash of files laid out wrong (damaged, zero-filled) and of FLAC's audio checksum:
a damaged layout gives no audio hash (which matches nothing) instead of one that all such
files shared, a zero-filled file is given up on at once, and a FLAC's hash follows the MD5 of
its decoded audio that a tag editor never changes."""

from __future__ import annotations

import builtins
import struct

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.library import audio_hash as ah
from musicsage.library.audio_hash import NO_AUDIO_HASH, audio_hash


def _hash(path) -> str | None:
    return audio_hash(str(path), path.stat().st_size)


def _wav_with_empty_data(path, freq):
    write_audio(path, seconds=2.0, freq=freq)
    raw = bytearray(path.read_bytes())
    at = raw.find(b"data")
    raw[at + 4:at + 8] = bytes(4)  # a recorder killed before it wrote the size
    path.write_bytes(bytes(raw))


def _mp3_with_a_lying_ape_footer(path, seed):
    body = b"\xff\xfb\x90\x00" + np.random.default_rng(seed).bytes(200_000)
    path.write_bytes(body + b"APETAGEX" + struct.pack("<IIII", 2000, 0xFFFFFF00, 0, 0)
                     + bytes(8))


def _flac_whose_last_block_runs_past_the_end(path, seed):
    block = bytes([0x80]) + (10_000_000).to_bytes(3, "big")
    path.write_bytes(b"fLaC" + block + np.random.default_rng(seed).bytes(200_000))


@pytest.mark.parametrize("make, name", [
    (lambda p, i: _wav_with_empty_data(p, 440.0 * i), "take.wav"),
    (_mp3_with_a_lying_ape_footer, "take.mp3"),
    (_flac_whose_last_block_runs_past_the_end, "take.flac")], ids=["wav", "mp3", "flac"])
def test_a_damaged_layout_has_no_audio_hash(tmp_path, make, name):
    """Two different recordings, each damaged alike: both had one hash (of an empty span)."""
    for i in (1, 2):
        (tmp_path / str(i)).mkdir()
        make(tmp_path / str(i) / name, i)
        assert _hash(tmp_path / str(i) / name) == NO_AUDIO_HASH


@pytest.mark.parametrize("name, head", [
    ("zero.flac", b"fLaC" + bytes([0]) + (34).to_bytes(3, "big") + b"\1" * 34),
    ("zero.wav", b"RIFF" + bytes(4) + b"WAVE")], ids=["flac", "wav"])
def test_a_zero_filled_file_is_given_up_on_at_once(tmp_path, monkeypatch, name, head):
    """Preallocated or half downloaded: its walk of blocks or chunks stepped 4 or 8 bytes a
    read through the whole file (5 s for 50 MiB)."""
    path = tmp_path / name
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(4 << 20)
    reads = []

    class Counted:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def seek(self, offset):
            return self.fh.seek(offset)

        def read(self, n=-1):
            reads.append(n)
            return self.fh.read(n)

    monkeypatch.setattr(ah, "open", lambda *a: Counted(builtins.open(*a)), raising=False)
    assert _hash(path) == NO_AUDIO_HASH
    assert len(reads) <= 2 * ah.MAX_PARTS + 2


def test_a_flacs_audio_hash_follows_the_md5_of_its_decoded_audio(tmp_path):
    """An edit anywhere in a FLAC changes STREAMINFO's MD5 (a tag editor never does): here
    only that MD5, as an edit between the hashed samples would; all zeros (an encoder that
    left it) still gives a hash, of the samples alone."""
    path = write_audio(tmp_path / "a.flac", seconds=3.0)
    before = _hash(path)
    raw = bytearray(path.read_bytes())
    md5 = slice(8 + 18, 8 + 34)  # "fLaC", the block header, then STREAMINFO's bytes 18-33
    assert any(raw[md5])
    raw[md5] = bytes(reversed(raw[md5]))
    path.write_bytes(bytes(raw))
    edited = _hash(path)
    raw[md5] = bytes(16)
    path.write_bytes(bytes(raw))
    assert NO_AUDIO_HASH not in (before, edited, _hash(path))
    assert len({before, edited, _hash(path)}) == 3
