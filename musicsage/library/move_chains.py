"""Telling a link of a chain of renames from a copy, for :class:`~.moves.MoveFinder`.

``mv c.wav d.wav; mv b.wav c.wav; mv a.wav b.wav``, seen by one scan: d.wav holds c's song,
while c.wav is still a file, so d.wav alone looks like a copy of c.wav. It is a link of a
chain when c.wav holds another known track's song now (:meth:`ChainLinks._left`), and the
song that left c.wav should go first to the file it went to when that file's own track's song
left too (:meth:`ChainLinks.is_link`): its file is gone, or its path is one this scan reads
that holds other content now. Without the second case, a chain of three renames whose last
song also had a copy deleted (``rm x/c.wav`` first) gave d.wav to the deleted copy's track,
and b's track was taken for one whose audio ``mv b.wav c.wav`` overwrote: it left the library
with its vectors and its playlist place.

A chain may close on itself: two files swapped (``mv a.wav t.wav; mv b.wav a.wav; mv t.wav
b.wav``) or three turned round. Every path is still a file, so no song is found gone: each
file was read as its track's changed, both vectors dropped, and each playlist place played
the other song. :meth:`ChainLinks.cycles` finds the files whose songs went round such a ring
of paths, each song's track then taking the path its song went to; the track still at that
path is set aside while the scan writes the ring (:meth:`~.moves.MoveFinder.make_room`). A
file edited in place holds no other path's song, and is no link.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Protocol

from musicsage.library import paths as P
from musicsage.library.copy_moves import HASH_TELLS_FILE_SQL


class FileFacts(Protocol):
    fs_path: str
    db_path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class _Facts:  # a file's, where no FoundFile is at hand (ChainLinks._there)
    fs_path: str
    db_path: str
    size: int
    mtime_ns: int


class ChainLinks:
    """What one scan knows of files and paths to tell chains of renames: the paths it reads
    (:attr:`listed`) and which stored paths are gone. A subclass hashes files, once each
    (:meth:`_hash`, :meth:`_audio_hash`)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.listed: set[str] = set()
        """DB paths of the files this scan reads (:meth:`_left` looks at no other)."""
        self._gone_paths: dict[str, bool] = {}
        """DB path -> whether its file was gone when first looked at in this scan."""

    def _hash(self, f: FileFacts) -> str | None:
        raise NotImplementedError

    def _audio_hash(self, f: FileFacts) -> str | None:
        raise NotImplementedError

    def _file_gone(self, db_path: str) -> bool:
        """Whether a track's ``db_path`` is a file's and no file is there, looked at once
        per scan (a stored path is asked of every new file of its hash or its tags)."""
        gone = self._gone_paths.get(db_path)
        if gone is None:
            gone = P.is_file_path(db_path) and not os.path.lexists(P.to_fs(db_path))
            self._gone_paths[db_path] = gone
        return gone

    def _left(self, db_path: str, f: FileFacts) -> bool:
        """Whether ``f``'s song (a new file's) left ``db_path``, a path this scan reads whose
        file holds another known track's song now: ``mv b.wav c.wav; mv a.wav b.wav``, c.wav
        is b's song moved, not a copy. Not a file edited in place: its backup is a copy; nor
        one with its track's stamp, which the scan takes unchanged (equal times and sizes)."""
        if db_path not in self.listed or db_path == f.db_path or (
                there := self._there(db_path)) is None or self.conn.execute(
                "SELECT 1 FROM tracks WHERE path = ? AND size = ? AND mtime_ns = ?",
                (db_path, there.size, there.mtime_ns)).fetchone():
            return False
        return (self._hash(there) != self._hash(f) and self._anothers_song(there)
                and self._audio_hash(there) != self._audio_hash(f))

    @staticmethod
    def _there(db_path: str) -> _Facts | None:
        """The file at ``db_path`` now (None: none there)."""
        try:
            st = os.stat(fs_path := P.to_fs(db_path))
        except OSError:
            return None
        return _Facts(fs_path, db_path, st.st_size, st.st_mtime_ns)

    def is_link(self, db_path: str) -> bool:
        """Whether the song that left ``db_path`` (:meth:`_left`) is a link of a chain of
        renames, not a copy left behind (``cp a b``): the file now at ``db_path`` holds the
        song of a track whose own song left its path too (:meth:`_anothers_song`)."""
        return self._anothers_song(self._there(db_path), gone=True)

    def _anothers_song(self, f: FileFacts | None, gone: bool = False) -> bool:
        """Whether ``f`` holds a known track's content, one at another path (as last read;
        ``gone``: one whose song left that path — its file gone, or another song there
        now: a link of a chain of renames, not a copy)."""
        if f is None or (digest := self._hash(f)) is None:
            return False
        return any(not gone or self._file_gone(r[0]) or self._song_left(r[0], digest)
                   for r in self.conn.execute(
            "SELECT t.path FROM track_hashes h JOIN tracks t ON t.id = h.track_id WHERE"
            f" h.size IN (?, 0) AND h.hash = ? AND t.path != ? AND {HASH_TELLS_FILE_SQL}",
            (f.size, digest, f.db_path)))

    def _song_left(self, db_path: str, digest: str) -> bool:
        """Whether the song of hash ``digest`` left ``db_path``, a path this scan reads: the
        file there holds other content now (the next link of a chain, its own song moved on)."""
        if db_path not in self.listed:
            return False
        there = self._there(db_path)
        return there is not None and self._hash(there) != digest

    def cycles(self, held: Iterable[tuple[FileFacts, int]]) -> dict[str, tuple[int, str]]:
        """Of ``held`` (a file each, at a path this scan reads, with the id of the track at
        that path, whose song may have left it), those whose songs went round a ring of
        their paths: ``{DB path: (id of the track whose song its file holds, that track's
        path)}``. Each file holds the content, as last hashed, of one track of ``held``
        alone, and no other file of ``held`` holds it (a copy besides: not told)."""
        files = list(held)
        track_at = {f.db_path: track_id for f, track_id in files}
        song_of = {f.db_path: path for f, _t in files
                   if (path := self._lone_song_from(f, track_at)) is not None}
        twice = {path for path, n in Counter(song_of.values()).items() if n > 1}
        out: dict[str, tuple[int, str]] = {}
        walked: set[str] = set()  # each path once: a chain of 10,000 renames stays linear
        for start in song_of:
            ring, path = [], start
            while path in song_of and path not in walked and path not in twice:
                walked.add(path)
                ring.append(path)
                path = song_of[path]
            if ring and path == start:  # back where it began: a ring, not a chain
                out.update((p, (track_at[song_of[p]], song_of[p])) for p in ring)
        return out

    def _lone_song_from(self, f: FileFacts, track_at: dict[str, int]) -> str | None:
        """The path, of ``track_at``'s, whose track's content (as last hashed) ``f`` holds,
        when one alone: ``f``'s song came from there."""
        if (digest := self._hash(f)) is None:
            return None
        paths = {r[0] for r in self.conn.execute(
            "SELECT t.path FROM track_hashes h JOIN tracks t ON t.id = h.track_id WHERE"
            f" h.size IN (?, 0) AND h.hash = ? AND t.path != ? AND {HASH_TELLS_FILE_SQL}",
            (f.size, digest, f.db_path)) if r[0] in track_at}
        return paths.pop() if len(paths) == 1 else None
