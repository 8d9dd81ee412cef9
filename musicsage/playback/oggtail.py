"""Where an Ogg Vorbis file's last page begins, so that a seek into that page lands exactly;
whether an Ogg file is chained, where its parts begin and how long each is (:func:`ogg_parts`),
and a view of one part as a file of its own (:class:`PartFile`).

libsndfile's seek into the last page of an Ogg Vorbis file lands late by the samples the
encoder trimmed from the end (736 frames, 17 ms, in a 44.1 kHz file): it places that page by
its granule position, which counts only the samples kept. Anywhere before that page its seek is
exact, so the player seeks to the page's first sample and decodes up to the target (a page
holds at most a few seconds of audio: :func:`seek_exact`).
"""

from __future__ import annotations

import os
import struct
import threading
from typing import NamedTuple

from musicsage.audio.decode import _sf_skip, sf_seek
from musicsage.library.ogg_pages import BOS, MAX_PAGE_BYTES


def seek_exact(f, start: int, page: int | None) -> None:
    """:func:`~musicsage.audio.decode.sf_seek` soundfile ``f`` to frame ``start``, exact in an
    Ogg Vorbis stream whose last page begins at frame ``page`` (None: nothing to correct):
    libsndfile lands late in that page, so it seeks to where the page begins and the frames
    before ``start`` are read and dropped."""
    early = start - page if page is not None and 0 <= page < start else 0
    sf_seek(f, start - early)
    _sf_skip(f, early)


def last_page_start(path: str) -> int | None:
    """The frame the last page of ``path``'s audio begins at: the granule position of the
    page before it in the same stream (0 when there is none). None when the end of the file
    is not Ogg pages (nothing to correct then)."""
    with open(os.fsencode(path), "rb") as fh:
        pages, size = _tail_pages(fh)
    if not pages or pages[-1][0] != size:  # the file does not end with a whole page
        return None
    serial = pages[-1][2]
    before = [granule for _end, granule, s in pages[:-1] if s == serial and granule >= 0]
    return before[-1] if before else 0


class Part(NamedTuple):
    """One part of an Ogg file: a whole Ogg stream (its header pages first), decodable alone."""

    offset: int  # the byte its first page begins at
    end: int  # the byte after its last page
    frames: int  # its streams' last granule position, the longest, less Opus' pre-skip
    last_page: int  # where that stream's last page begins (see :func:`last_page_start`)
    rate: int = 0  # what its granule positions count: 48,000 in Opus; 0 where not known


_parts_seen: dict[tuple[str, int, int], list[Part] | None] = {}
_parts_lock = threading.Lock()


def is_chained(path: str) -> bool:
    """Whether ``path`` holds more than one part (Ogg streams joined one after another, as a
    recorded radio stream is, or ``cat a.ogg b.ogg``), of which libsndfile reads only the
    first. A part ending in another stream than the file begins with says so at once; else the
    pages are walked (:func:`ogg_parts`): parts may share a serial number (``cat a.ogg a.ogg``).
    False when either end is not an Ogg page (nothing to tell then)."""
    with open(os.fsencode(path), "rb") as fh:
        head = fh.read(27)
        pages = _tail_pages(fh)[0]
    if not head.startswith(b"OggS") or len(head) < 27 or not pages:
        return False
    if struct.unpack_from("<I", head, 14)[0] != pages[-1][2]:
        return True
    parts = ogg_parts(path)
    return parts is not None and len(parts) > 1


def ogg_parts(path: str) -> list[Part] | None:
    """The parts of ``path`` in order: a part begins with a run of beginning-of-stream pages
    (one per stream it multiplexes) after a page that is not one. Only the page headers are
    read, one page after the other (a few hundred bytes a page; about 0.1 s for an hour of
    Vorbis); the answer is kept while the file's size and time stamp stay the same (a seek
    asks again). None when the file is not Ogg pages throughout (damaged, or not Ogg)."""
    st = os.stat(os.fsencode(path))
    key = (os.fspath(path), st.st_size, st.st_mtime_ns)
    with _parts_lock:
        if key in _parts_seen:
            return _parts_seen[key]
    parts = _walk_parts(path)
    with _parts_lock:
        if len(_parts_seen) >= 16:
            _parts_seen.clear()
        _parts_seen[key] = parts
    return parts


def _walk_parts(path: str) -> list[Part] | None:
    found: list[tuple[list[int], dict[int, tuple[int, int]]]] = []
    # ([offset, end, rate, pre-skip], serial: (last granule, the one before it))
    at, in_headers = 0, False
    with open(os.fsencode(path), "rb") as fh:
        while head := fh.read(27):
            if len(head) < 27 or not head.startswith(b"OggS"):
                return None
            granule, serial = struct.unpack_from("<qI", head, 6)
            begins = bool(head[5] & BOS)
            lacing = fh.read(head[26])
            if begins and not in_headers or not found:
                first = fh.read(sum(lacing))
                found.append(([at, at, _granule_rate(first), _pre_skip(first)], {}))
                fh.seek(at + 27 + len(lacing))
            in_headers = begins
            at = fh.seek(sum(lacing), os.SEEK_CUR)
            span, last = found[-1]
            span[1] = at
            if granule >= 0:
                last[serial] = (granule, last.get(serial, (0, 0))[0])
    parts: list[Part] = []
    for (offset, end, rate, skip), last in found:
        granule, before = max(last.values(), default=(0, 0))
        parts.append(Part(offset, end, max(0, granule - skip), before, rate))
    return parts or None


def _granule_rate(first_page: bytes) -> int:
    """What the granule positions of the stream whose first page holds ``first_page`` count
    in: a Vorbis stream's rate (its identification header's), 48,000 for Opus (whatever rate
    it was made at); 0 for another codec."""
    if first_page.startswith(b"\x01vorbis") and len(first_page) >= 16:
        return struct.unpack_from("<I", first_page, 12)[0]
    return 48000 if first_page.startswith(b"OpusHead") else 0


def _pre_skip(first_page: bytes) -> int:
    """The samples an Opus stream's decoder drops at its start (OpusHead bytes 10–11), which
    its granule positions count: a part's length counted them, 312 too long (a seek into the
    next part landed that much late); 0 for another codec."""
    if first_page.startswith(b"OpusHead") and len(first_page) >= 12:
        return struct.unpack_from("<H", first_page, 10)[0]
    return 0


class PartFile:
    """Bytes ``offset`` to ``end`` of the file ``fh`` as a file of their own: one part of a
    chained Ogg file, which FFmpeg then opens as a whole file (its length and seek cover
    that part, exactly as in any file, where in the whole file they cover only the first)."""

    def __init__(self, fh, part: Part) -> None:
        self._fh, self._offset, self._size, self._at = fh, part.offset, part.end - part.offset, 0

    def read(self, n: int = -1) -> bytes:
        left = self._size - self._at
        n = left if n is None or n < 0 else min(n, left)
        self._fh.seek(self._offset + self._at)
        data = self._fh.read(max(0, n))
        self._at += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._at, os.SEEK_END: self._size}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._fh.close()


def _tail_pages(fh) -> tuple[list[tuple[int, int, int]], int]:
    """The whole pages (:func:`_pages`) in the end of the open file ``fh``, long enough for
    its last page and the one before it, and how many bytes that end is."""
    size = fh.seek(0, os.SEEK_END)
    fh.seek(max(0, size - 2 * MAX_PAGE_BYTES))
    tail = fh.read()
    return _pages(tail), len(tail)


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
