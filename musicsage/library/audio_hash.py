"""A hash of a file's audio alone, its tags left out: a file retagged by another program (a tag
editor fixing an album's artist, often renaming the files from the new tags too) is still the
audio its track's vectors were made from.

A part of its own, beside :func:`musicsage.library.moves.content_hash` (which covers the first
and last 64 KiB, where the tags are: a retagged file was *changed* and analysed again, hours of
embedding for a library, and a renamed and retagged one was a new track, its playlist
memberships lost). Only formats whose tags lie apart from the audio in a way told for sure are
hashed: FLAC (metadata blocks before the first frame), MP3 (ID3v2 before the first frame,
ID3v1 and APEv2 at the end), WAV and AIFF (the ``data``/``SSND`` chunk). For any other file, or
one not laid out as expected (an empty audio span, an end tag longer than the file, a walk of
blocks or chunks that is no FLAC's or RIFF's), :func:`audio_hash` is ``""`` (no audio
identity: the content hash alone decides, as before) — never a guess.

What is hashed, without reading the file whole (decoding is what a rescan must not cost): the
audio's length, its first and last 64 KiB, 4 KiB at each sixteenth of it, and for FLAC the
MD5 of the decoded audio that STREAMINFO holds (a tag editor never changes it; an audio edit
re-encoded does). So an edit slips through only when it keeps the audio's length to the byte
and its ends, falls wholly between the samples (a few seconds of a WAV, less of an MP3), and
the file is no FLAC with an MD5 (an encoder may leave it zeros): a gain change, a new master,
a trim or a re-encode all change the hash.

Stored in ``track_audio_hashes`` with the (size, mtime_ns) it was computed on, as the content
hash is (a stale one never matches), by the scan for every file it writes and by
:mod:`.hash_backfill` for tracks scanned before it existed.
"""

from __future__ import annotations

import hashlib
import struct
from typing import BinaryIO

BLOCK = 64 * 1024
SAMPLE = 4 * 1024
SPREAD = 16
"""Besides the payload's first and last :data:`BLOCK` bytes, :data:`SAMPLE` bytes at each
1/SPREAD of it (15 reads of 4 KiB): an edit in the middle changes what is hashed, while a
file is still never read whole (a backfill of a 30,000-track library reads ~190 KiB each)."""

MAX_PARTS = 1000
"""FLAC metadata blocks or RIFF/IFF chunks walked before a file is taken for no audio: a
zero-filled file (preallocated, half downloaded) walked 4 bytes at a time, 5 s for 50 MiB."""

NO_AUDIO_HASH = ""
"""What is stored for a file whose audio cannot be told apart from its tags (Ogg, MP4 …), or
whose layout is damaged (an empty span, an end tag longer than the file): it is hashed, so
the backfill does not read it again, and it matches nothing (all such files had one hash)."""


def audio_hash(fs_path: str, size: int) -> str | None:
    """Hash of the audio payload's length, its first and last :data:`BLOCK` bytes, a
    :data:`SAMPLE` at each 1/:data:`SPREAD` of it and, for FLAC, the MD5 of the decoded audio
    its STREAMINFO holds; :data:`NO_AUDIO_HASH` when the format is not one told or its layout
    is damaged (module doc); None if unreadable."""
    try:
        with open(fs_path, "rb") as fh:
            span = _audio_span(fh, size)
            if span is None or span[0] >= span[1]:
                return NO_AUDIO_HASH  # nothing to tell one recording from another by
            start, end, md5 = span
            length = end - start
            h = hashlib.blake2b(f"audio:{length}:".encode() + md5, digest_size=16)
            offsets = [start, max(start + BLOCK, end - BLOCK)]
            offsets[1:1] = [start + length * k // SPREAD for k in range(1, SPREAD)]
            for offset, n in zip(offsets, [BLOCK] + [SAMPLE] * (SPREAD - 1) + [BLOCK]):
                if offset < end:
                    fh.seek(offset)
                    h.update(fh.read(min(n, end - offset)))
    except OSError:
        return None
    return h.hexdigest()


def _audio_span(fh: BinaryIO, size: int) -> tuple[int, int, bytes] | None:
    """(start, end) offsets of the audio in an open file and what else names it (FLAC's
    STREAMINFO MD5, else b""), or None (module doc)."""
    head = fh.read(12)
    if head[:4] == b"fLaC":
        meta = _after_flac_metadata(fh)
        return None if meta is None else _with_end(fh, meta[0], size, meta[1])
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _chunk(fh, size, b"data", "<I")
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return _chunk(fh, size, b"SSND", ">I")
    start = after_id3v2(fh, head)
    fh.seek(start)
    sync = fh.read(2)
    if len(sync) == 2 and sync[0] == 0xFF and sync[1] & 0xE0 == 0xE0 and (sync[1] >> 1) & 3:
        return _with_end(fh, start, size, b"")  # an MPEG layer I–III frame
    return None


def _with_end(fh: BinaryIO, start: int, size: int, md5: bytes) -> tuple[int, int, bytes] | None:
    end = _before_end_tags(fh, start, size)
    return None if end is None or start >= end else (start, end, md5)


def _after_flac_metadata(fh: BinaryIO) -> tuple[int, bytes] | None:
    """Where the first frame starts, and STREAMINFO's MD5 of the decoded audio (b"" when the
    encoder left it all zeros); None for a walk that is no FLAC's (see :data:`MAX_PARTS`):
    STREAMINFO not first, a reserved block type, an empty block other than padding."""
    pos, md5 = 4, b""
    for n in range(MAX_PARTS):
        fh.seek(pos)
        header = fh.read(4)
        kind, length = header[0] & 0x7F if header else 0, int.from_bytes(header[1:4], "big")
        if len(header) < 4 or (n == 0) != (kind == 0) or kind >= 7 or (length == 0 and kind != 1):
            return None
        if n == 0:
            body = fh.read(length)
            md5 = body[18:34] if len(body) >= 34 and any(body[18:34]) else b""
        pos += 4 + length
        if header[0] & 0x80:  # the last metadata block
            return pos, md5
    return None


def after_id3v2(fh: BinaryIO, head: bytes, start: int = 0) -> int:
    """Where a file's audio begins: past its ID3v2 tags (``head``: the 10 bytes at ``start``,
    just read), one after another if a tagger left several; ``start`` without one. The size
    is synchsafe; a footer adds 10 bytes. One copy: the MP3 frame walk
    (:mod:`.mpeg_frames`, also at the next joined file's tag) reads it too."""
    pos = start
    while head[:3] == b"ID3" and len(head) >= 10:  # a tag may follow another
        body = 0
        for byte in head[6:10]:  # synchsafe: 7 bits a byte
            body = (body << 7) | (byte & 0x7F)
        pos += 10 + body + (10 if head[5] & 0x10 else 0)
        fh.seek(pos)
        head = fh.read(10)
    return pos


def _before_end_tags(fh: BinaryIO, start: int, size: int) -> int | None:
    """Where the audio ends: before the ID3v1 and APEv2 tags at the end of the file, in
    either order (taggers differ); None when an APEv2 tag claims more than there is (a
    damaged tag: the audio's end is not known)."""
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
                tag_size += 32 if flags & 0x80000000 else 0
                if tag_size < 32 or tag_size > end - start:
                    return None
                end -= tag_size
        if end == was:
            break
    return end


def _chunk(fh: BinaryIO, size: int, wanted: bytes,
           fmt: str) -> tuple[int, int, bytes] | None:
    """The span of the body of the RIFF/IFF chunk ``wanted`` (sizes packed as ``fmt``); None
    when the walk meets what no chunk is (an id not four printable characters, a chunk of
    no bytes) or goes on past :data:`MAX_PARTS`."""
    pos = 12
    for _ in range(MAX_PARTS):
        if pos + 8 > size:
            return None
        fh.seek(pos)
        header = fh.read(8)
        length = struct.unpack(fmt, header[4:8])[0] if len(header) == 8 else 0
        if length == 0 or not all(32 <= c < 127 for c in header[:4]):
            return None
        if header[:4] == wanted:
            return pos + 8, min(size, pos + 8 + length), b""
        pos += 8 + length + (length & 1)  # chunks are padded to an even length
    return None

