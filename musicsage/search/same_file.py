"""Whether files of one content hash are one file copied: ONE verdict, asked by every place
that folds or refuses copies — a QUERY naming several tracks (:func:`~musicsage.search.
query_files.one_file`), the add's duplicate check (:func:`~musicsage.search.suggest.
copies_of_members`) and the neighbour lists' fold (:class:`TrackFiles`, for
:class:`~musicsage.search.lists.ListCurator`).

The content hash (size, first and last 64 KiB: :func:`musicsage.library.moves.content_hash`)
only shortlists: two songs of one length between the same silences share it. The lists went
by the hash alone, hid the other song and said "copies of the query left out". Bytes are
compared only for tracks whose hash collides, each pair once: the verdict is kept while both
files' stat (device, inode, size, mtime, ctime) stays, so a changed file is compared again.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from contextlib import ExitStack
from typing import Mapping, Sequence

from musicsage.progress import CancelToken, check_cancel

BLOCK = 64 << 10
"""The size of each block compared first (as the content hash reads)."""
BLOCKS = 8
"""How many blocks, spread over the files between their ends (which the hash read)."""
CHUNK = 1 << 20
"""The size of each read when the files are compared whole (a cancel is heard between)."""

_UNREAD, _DIFFER, _SAME_BLOCKS, _SAME_WHOLE = -1, 0, 1, 2
"""A pair's verdict: not known (a file could not be read: never kept); another file; the same
in :data:`BLOCKS` blocks; the same every byte."""
_KEPT = 1024
"""How many pairs' verdicts are kept (the oldest forgotten first)."""
_verdicts: "OrderedDict[tuple, int]" = OrderedDict()
_lock = threading.Lock()


def same_files(fs_paths: Sequence[str], *, whole: bool = True,
               cancel: CancelToken | None = None) -> bool:
    """Whether the files ``fs_paths`` all hold the very same bytes (True for fewer than two):
    :func:`files_verdict`, False when one cannot be read: nothing vouches for it (a write
    never trusts a copy it could not check)."""
    return files_verdict(fs_paths, whole=whole, cancel=cancel) is True


def files_verdict(fs_paths: Sequence[str], *, whole: bool = True,
                  cancel: CancelToken | None = None) -> bool | None:
    """Whether the files ``fs_paths`` all hold the very same bytes (True for fewer than two):
    each compared with the first, their sizes, then :data:`BLOCKS` blocks spread over them
    (another song differs there, found without reading it all: a read's verdict), then, when
    ``whole`` (a write's), every byte in :data:`CHUNK` reads, ``cancel`` heard between
    (Raises :class:`~musicsage.errors.Cancelled`; nothing is kept). None when none differs
    but one could not be read (another user's file, a NAS's read error): not known, and not
    kept, so the pair is read again once the disk answers."""
    if len(fs_paths) < 2:
        return True
    try:
        looks = [_look(os.stat(p)) for p in fs_paths]
    except OSError:
        return None
    need = _SAME_WHOLE if whole else _SAME_BLOCKS
    unread = False
    for path, look in zip(fs_paths[1:], looks[1:]):
        found = _verdict(fs_paths[0], looks[0], path, look, need, cancel)
        if found == _DIFFER:
            return False
        unread = unread or found == _UNREAD
    return None if unread else True


def _look(st: os.stat_result) -> tuple[int, ...]:
    """What a kept verdict holds for: the file (device, inode) as it is (size, mtime, and the
    ctime a tagger rewriting it in place, size and mtime kept, still moves)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _verdict(path_a: str, look_a: tuple[int, ...], path_b: str, look_b: tuple[int, ...],
             need: int, cancel: CancelToken | None) -> int:
    """The pair's kept verdict when it says enough for ``need``; else compared and kept."""
    if look_a[:2] == look_b[:2]:  # one inode (a hard link): the same file
        return _SAME_WHOLE
    key = tuple(sorted((look_a, look_b)))
    with _lock:
        kept = _verdicts.get(key)
    if kept is not None and (kept == _DIFFER or kept >= need):
        return kept
    found = _compare(path_a, path_b, look_a[2], look_b[2], need == _SAME_WHOLE, cancel)
    if found == _UNREAD:  # a read error passes (a NAS answers again): not a verdict to keep
        return found
    with _lock:
        _verdicts[key] = found
        _verdicts.move_to_end(key)
        while len(_verdicts) > _KEPT:
            _verdicts.popitem(last=False)
    return found


def _compare(path_a: str, path_b: str, size_a: int, size_b: int, whole: bool,
             cancel: CancelToken | None) -> int:
    """The verdict on two files of those sizes, read now; :data:`_UNREAD` when one could not
    be opened or read (EACCES, EIO): that says nothing about their bytes."""
    if size_a != size_b:
        return _DIFFER
    spread = [(size_a - BLOCK) * i // (BLOCKS + 1) for i in range(1, BLOCKS + 1)]
    reads = [(at, BLOCK) for at in spread if at > 0]
    if whole:
        reads += [(at, CHUNK) for at in range(0, size_a, CHUNK)]
    with ExitStack() as files:
        try:
            a, b = (files.enter_context(open(p, "rb", buffering=0)).fileno()
                    for p in (path_a, path_b))
            for at, n in reads:
                check_cancel(cancel)
                if os.pread(a, n, at) != os.pread(b, n, at):
                    return _DIFFER
        except OSError:
            return _UNREAD
    return _SAME_WHOLE if whole else _SAME_BLOCKS


def on_disk(tracks: Sequence[Mapping]) -> list[str]:
    """The files (OS paths) of ``tracks`` (rows with ``path``) that are on disk now."""
    from musicsage.library.paths import is_file_path, to_fs

    return [to_fs(str(t["path"])) for t in tracks
            if is_file_path(str(t["path"])) and os.path.exists(to_fs(str(t["path"])))]


class TrackFiles:
    """What neighbour lists fold copies by: ``self(ids)``, the content hashes of those tracks
    (:func:`musicsage.library.moves.current_hashes`: only the tracks of one hash are asked
    about), and :meth:`same`, whether two tracks of one hash are one file. A read: their
    files on disk compared by blocks; a file gone since the scan, or one that cannot be read
    now (another user's, a NAS's read error), has its hash to go by (as
    :func:`~musicsage.search.query_files.one_file` reads it): else the query's own copy was
    listed as its nearest neighbour."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __call__(self, track_ids: Sequence[int]) -> dict[int, str]:
        from musicsage.library.moves import current_hashes

        return current_hashes(self.conn, track_ids)

    def same(self, a: int, b: int) -> bool:
        """Whether tracks ``a`` and ``b`` (of one content hash) are one file copied."""
        from musicsage.library.queries import track_summaries

        rows = track_summaries(self.conn, [a, b])
        return files_verdict(on_disk(list(rows.values())), whole=False) is not False
