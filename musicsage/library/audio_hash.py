"""A hash of a file's audio alone, its tags left out: a file retagged by another program (a tag
editor fixing an album's artist, often renaming the files from the new tags too) is still the
audio its track's vectors were made from.

A part of its own, beside :func:`musicsage.library.moves.content_hash` (which covers the first
and last 64 KiB, where the tags are: a retagged file was *changed* and analysed again, hours of
embedding for a library, and a renamed and retagged one was a new track, its playlist
memberships lost). Only formats whose tags lie apart from the audio in a way told for sure are
hashed: FLAC (metadata blocks before the first frame), MP3 (ID3v2 before the first frame,
ID3v1 and APEv2 at the end), WAV and AIFF (the ``data``/``SSND`` chunk). For any other file, or
one not laid out as expected, :func:`audio_hash` is ``""`` (no audio identity: the content hash
alone decides, as before) — never a guess.

Stored in ``track_audio_hashes`` with the (size, mtime_ns) it was computed on, as the content
hash is (a stale one never matches), by the scan for every file it writes and by
:mod:`.hash_backfill` for tracks scanned before it existed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from typing import BinaryIO

BLOCK = 64 * 1024

NO_AUDIO_HASH = ""
"""What is stored for a file whose audio cannot be told apart from its tags (Ogg, MP4 …): it is
hashed, so the backfill does not read it again, and it matches nothing."""


def audio_hash(fs_path: str, size: int) -> str | None:
    """Hash of the audio payload's length and its first and last :data:`BLOCK` bytes;
    :data:`NO_AUDIO_HASH` when the format is not one told (module doc); None if unreadable."""
    try:
        with open(fs_path, "rb") as fh:
            span = _audio_span(fh, size)
            if span is None:
                return NO_AUDIO_HASH
            start, end = span
            h = hashlib.blake2b(f"audio:{end - start}".encode(), digest_size=16)
            fh.seek(start)
            h.update(fh.read(min(BLOCK, end - start)))
            if end - start > BLOCK:
                fh.seek(max(start + BLOCK, end - BLOCK))
                h.update(fh.read(end - max(start + BLOCK, end - BLOCK)))
    except OSError:
        return None
    return h.hexdigest()


def _audio_span(fh: BinaryIO, size: int) -> tuple[int, int] | None:
    """(start, end) offsets of the audio in an open file, or None (module doc)."""
    head = fh.read(12)
    if head[:4] == b"fLaC":
        start = _after_flac_metadata(fh)
        return None if start is None else (start, _before_end_tags(fh, start, size))
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _chunk(fh, size, b"data", "<I")
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return _chunk(fh, size, b"SSND", ">I")
    start = _after_id3v2(fh, head)
    fh.seek(start)
    sync = fh.read(2)
    if len(sync) == 2 and sync[0] == 0xFF and sync[1] & 0xE0 == 0xE0 and (sync[1] >> 1) & 3:
        return start, _before_end_tags(fh, start, size)  # an MPEG layer I–III frame
    return None


def _after_flac_metadata(fh: BinaryIO) -> int | None:
    pos = 4
    while True:
        fh.seek(pos)
        header = fh.read(4)
        if len(header) < 4:
            return None
        pos += 4 + int.from_bytes(header[1:4], "big")
        if header[0] & 0x80:  # the last metadata block
            return pos


def _after_id3v2(fh: BinaryIO, head: bytes) -> int:
    pos = 0
    while head[:3] == b"ID3" and len(head) >= 10:  # a tag may follow another
        body = 0
        for byte in head[6:10]:  # synchsafe: 7 bits a byte
            body = (body << 7) | (byte & 0x7F)
        pos += 10 + body + (10 if head[5] & 0x10 else 0)
        fh.seek(pos)
        head = fh.read(10)
    return pos


def _before_end_tags(fh: BinaryIO, start: int, size: int) -> int:
    """Where the audio ends: before the ID3v1 and APEv2 tags at the end of the file, in
    either order (taggers differ)."""
    end = size
    for _ in range(4):  # each tag once, in whichever order they lie
        was = end
        if end - start >= 128:
            fh.seek(end - 128)
            if fh.read(3) == b"TAG":
                end -= 128
        if end - start >= 32:
            fh.seek(end - 32)
            footer = fh.read(32)
            if footer[:8] == b"APETAGEX":  # size: items and footer; flags bit 31: a header
                tag_size = struct.unpack("<I", footer[12:16])[0]
                flags = struct.unpack("<I", footer[20:24])[0]
                end -= tag_size + (32 if flags & 0x80000000 else 0)
        if end == was:
            break
    return max(start, end)


def _chunk(fh: BinaryIO, size: int, wanted: bytes, fmt: str) -> tuple[int, int] | None:
    """The span of the body of the RIFF/IFF chunk ``wanted`` (sizes packed as ``fmt``)."""
    pos = 12
    while pos + 8 <= size:
        fh.seek(pos)
        header = fh.read(8)
        if len(header) < 8:
            return None
        length = struct.unpack(fmt, header[4:8])[0]
        if header[:4] == wanted:
            return pos + 8, min(size, pos + 8 + length)
        pos += 8 + length + (length & 1)  # chunks are padded to an even length
    return None


def store_audio_hashes(conn: sqlite3.Connection, rows: list[tuple[int, int, str, str]]) -> None:
    """Upsert ``(size, mtime_ns, audio hash, db_path)`` for the tracks at those paths."""
    conn.executemany(
        "INSERT INTO track_audio_hashes(track_id, size, mtime_ns, hash)"
        " SELECT id, ?, ?, ? FROM tracks WHERE path = ?"
        " ON CONFLICT(track_id) DO UPDATE SET size = excluded.size,"
        " mtime_ns = excluded.mtime_ns, hash = excluded.hash", rows)
