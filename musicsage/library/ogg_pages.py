"""Whether an Ogg file ends in the middle of a page: :func:`ends_mid_page`. The probe asks it
of the files it reads as "ogg" (.ogg, .oga: Vorbis or FLAC in Ogg) or "opus".

libsndfile and mutagen take the last whole page's position for an Ogg stream's length, so a
file cut short reads as a shorter, whole stream: nothing but its pages tells the cut. The
probe (:func:`musicsage.library.tags.probe`) records it. Such a file is never an error: it is
a track of its whole pages (a stream rip, a recording killed mid-write); a known track that
now reads shorter than stored gets a note from the scan.

Pages are found from the file's tail: the first page there whose CRC checks (so that "OggS"
inside a page's data is not taken for a page), then each next one by its length. The file
ends mid-page when the bytes after the last whole page begin a page of a stream seen there
(a serial number of the tail's pages with that stream's next sequence number: streams may be
interleaved, or the first page of a chained stream) that runs past the end. Anything else
after the last page (an ID3v1 tag, junk that happens to start with "OggS") is no cut.
"""

from __future__ import annotations

import os
import zlib

MAX_PAGE_BYTES = 27 + 255 + 255 * 255
"""The longest an Ogg page can be: its header, 255 lacing values, 255 segments of 255 bytes
(playback's reader of chained files, :mod:`musicsage.playback.oggtail`, uses it too)."""
_TAIL = 2 * MAX_PAGE_BYTES
"""Bytes read from the file's end: at least one whole page begins in them."""
_HEADER = 27
BOS = 0x02
"""The header-type flag of a stream's first page ("beginning of stream")."""
_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def ends_mid_page(fs_path: str) -> bool:
    """Whether the Ogg file at ``fs_path`` ends inside a page of its stream (a cut file);
    False when it cannot be read (the decoder's reading decides then)."""
    try:
        with open(fs_path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - _TAIL))
            tail = fh.read()
    except OSError:
        return False
    at = _first_checked_page(tail)
    last_seq: dict[bytes, int] = {}  # serial number → the last sequence number in the tail
    while at is not None:
        last_seq[tail[at + 14:at + 18]] = int.from_bytes(tail[at + 18:at + 22], "little")
        end = _page_end(tail, at)
        nxt = _page_end(tail, end) if tail.startswith(b"OggS"[:len(tail) - end], end) else None
        if end == len(tail) or nxt is None:
            return False  # the file ends with a whole page, or with something that is no page
        if nxt > len(tail):
            return _continues(tail, end, last_seq)
        if not _crc_ok(tail, end, nxt):
            return False  # "OggS" and junk after the last page
        at = end
    return False


def _first_checked_page(data: bytes) -> int | None:
    """Where the first page found in ``data`` whose CRC checks begins; None if none."""
    at = data.find(b"OggS")
    while at >= 0:
        end = _page_end(data, at)
        if end is not None and end <= len(data) and _crc_ok(data, at, end):
            return at
        at = data.find(b"OggS", at + 1)
    return None


def _page_end(data: bytes, at: int) -> int | None:
    """Where the page starting at ``at`` ends, past ``len(data)`` when its header or lacing
    is cut off; None when what is there cannot be a page (version not 0)."""
    if len(data) > at + 4 and data[at + 4] != 0:
        return None
    if at + _HEADER > len(data):
        return len(data) + 1
    segments = data[at + 26]
    if at + _HEADER + segments > len(data):
        return len(data) + 1
    return at + _HEADER + segments + sum(data[at + _HEADER:at + _HEADER + segments])


def _continues(data: bytes, cut: int, last_seq: dict[bytes, int]) -> bool:
    """Whether the page begun at ``cut`` (cut off by the file's end) continues a stream of the
    tail's whole pages (``last_seq``: serial number → its last sequence number there): a known
    serial number with its next sequence number — not only the last page's stream, as the
    streams of a file (a video's audio and subtitles) may be interleaved — or the first page
    of a chained stream. A header cut before those fields cannot be told: a cut."""
    if cut + _HEADER > len(data):
        return True
    serial, seq = data[cut + 14:cut + 18], int.from_bytes(data[cut + 18:cut + 22], "little")
    if data[cut + 5] & BOS:
        return seq == 0
    return serial in last_seq and seq == last_seq[serial] + 1


def _crc_ok(data: bytes, at: int, end: int) -> bool:
    """Whether the page ``data[at:end]`` carries its own CRC."""
    page = data[at:at + 22] + b"\0\0\0\0" + data[at + 26:end]
    return ogg_crc(page) == int.from_bytes(data[at + 22:at + 26], "little")


def ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial value 0, no final xor):
    zlib's reflected CRC-32 of the bit-reversed bytes, bit-reversed — zlib's C loop instead
    of a Python loop over up to 130 kB per file (a scan reads thousands)."""
    reflected = zlib.crc32(data.translate(_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{reflected:032b}"[::-1], 2)
