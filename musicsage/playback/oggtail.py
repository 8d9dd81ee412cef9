"""Where an Ogg Vorbis file's last page begins, so that a seek into that page lands exactly;
whether an Ogg file is chained, and how long it is then (:func:`is_chained`).

libsndfile's seek into the last page of an Ogg Vorbis file lands late by the samples the
encoder trimmed from the end (736 frames, 17 ms, in a 44.1 kHz file): it places that page by
its granule position, which counts only the samples kept. Anywhere before that page its seek is
exact, so the player seeks to the page's first sample and decodes up to the target (a page
holds at most a few seconds of audio).
"""

from __future__ import annotations

import os
import struct

MAX_PAGE_BYTES = 27 + 255 + 255 * 255
"""The longest an Ogg page can be: its header, 255 lacing values, 255 segments of 255 bytes."""


def last_page_start(path: str) -> int | None:
    """The frame the last page of ``path``'s audio begins at: the granule position of the
    page before it in the same stream (0 when there is none). None when the end of the file
    is not Ogg pages (nothing to correct then)."""
    with open(os.fsencode(path), "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - 2 * MAX_PAGE_BYTES))  # the last page and the one before it
        tail = fh.read()
    pages = _pages(tail)
    if not pages or pages[-1][0] != len(tail):  # the file does not end with a whole page
        return None
    serial = pages[-1][2]
    before = [granule for _end, granule, s in pages[:-1] if s == serial and granule >= 0]
    return before[-1] if before else 0


def is_chained(path: str) -> bool:
    """Whether ``path`` ends in another Ogg stream than it begins with: a chained file (parts
    joined one after another, as a recorded radio stream is), of which libsndfile reads only
    the first part. False when either end is not an Ogg page (nothing to tell then)."""
    with open(os.fsencode(path), "rb") as fh:
        head = fh.read(27)
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - 2 * MAX_PAGE_BYTES))
        tail = fh.read()
    pages = _pages(tail)
    if not head.startswith(b"OggS") or len(head) < 27 or not pages:
        return False
    return struct.unpack_from("<I", head, 14)[0] != pages[-1][2]


def chained_frames(path: str) -> int | None:
    """The length of a chained file: the last granule position of each of its streams, added
    up (each part counts its samples from 0). Only the page headers are read, one page after
    the other (a few hundred bytes a page). None when the file is not Ogg pages throughout."""
    last: dict[int, int] = {}
    with open(os.fsencode(path), "rb") as fh:
        while head := fh.read(27):
            if len(head) < 27 or not head.startswith(b"OggS"):
                return None
            granule, serial = struct.unpack_from("<qI", head, 6)
            if granule >= 0:
                last[serial] = granule
            lacing = fh.read(head[26])
            fh.seek(sum(lacing), os.SEEK_CUR)
    return sum(last.values()) or None


def _pages(tail: bytes) -> list[tuple[int, int, int]]:
    """(end offset, granule position, stream serial) of the whole pages in ``tail``, walking
    from one page to the next ("OggS" inside a packet is skipped: it starts no whole page)."""
    pages: list[tuple[int, int, int]] = []
    at = tail.find(b"OggS")
    while at >= 0:
        end = _page_end(tail, at)
        if end is None:
            at = tail.find(b"OggS", at + 1)
            continue
        granule, serial = struct.unpack_from("<qI", tail, at + 6)
        pages.append((end, granule, serial))
        at = end if tail.startswith(b"OggS", end) else tail.find(b"OggS", end)
    return pages


def _page_end(tail: bytes, at: int) -> int | None:
    """Where the page whose header starts at ``at`` ends, None if no whole page is there."""
    if at + 27 > len(tail) or tail[at + 4] != 0:  # version 0: the only one there is
        return None
    segments = tail[at + 26]
    if at + 27 + segments > len(tail):
        return None
    end = at + 27 + segments + sum(tail[at + 27:at + 27 + segments])
    return end if end <= len(tail) else None
