"""The files behind a QUERY (:mod:`musicsage.search.query`): the track a path names, and
whether several tracks a text names are one file copied.

Both decide which track ``suggest --add/--remove`` writes into a user's playlist file, so a
near match is never enough where the disk can tell: a path that differs from a track's only
in letter case is another file on most filesystems, and two files of one content hash (their
size and first and last 64 KiB) may be two songs between the same silences.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass

from musicsage.files import same_path
from musicsage.library import queries
from musicsage.library.paths import is_file_path, json_fields


@dataclass(frozen=True)
class Candidate:
    track_id: int
    title: str | None
    artist: str | None
    path: str
    status: str

    def label(self) -> str:
        artist = self.artist or "?"
        title = self.title or os.path.basename(self.path)
        return f"{artist} - {title}"

    def where(self) -> str:
        """Where the candidate is, as a list line shows it: ``(its path)``, or for a track
        imported from a dataset dir without a file ``— no audio file (imported from DIR)``,
        as ``playlists PLAYLIST`` says it, not its synthetic ``dataset:<dir>#<id>`` key (the
        library's own, which no user has seen)."""
        from musicsage.library.paths import shown_place

        place = shown_place(self.path)
        return f"({place})" if is_file_path(self.path) else f"— {place}"

    def as_dict(self) -> dict:
        """The candidate as ``--json`` lists it: its path shown and as a URI, either of which
        names it again as a QUERY (:func:`~musicsage.library.paths.json_fields`)."""
        return json_fields({"track_id": self.track_id, "title": self.title,
                            "artist": self.artist, "path": self.path, "status": self.status})


def candidate(row: sqlite3.Row) -> Candidate:
    """A track row as a :class:`Candidate`."""
    return Candidate(int(row["id"]), row["title"], row["artist"], row["path"], row["status"])


def by_path(conn: sqlite3.Connection, query: str) -> Candidate | None:
    """The track QUERY, a path, names: its exact stored path, then a case- and Unicode-form-
    insensitive match, then the track that is the same file (:func:`_by_file`). Where the
    typed path is a file or folder on disk, an insensitive match is taken only when it is
    that very file: ``Other.wav`` beside the library's ``other.wav`` is another file on
    Linux, and ``suggest --remove`` took the library's out of the playlist."""
    from musicsage.library.paths import display, from_fs, match_key, to_fs

    expanded = os.path.expanduser(query)
    absolute = os.path.abspath(expanded)  # folds `lnk/..` as no system does: where the file
    if (".." in expanded.split(os.sep) and not os.path.lexists(expanded)  # is not there to be
            and os.path.realpath(absolute) != os.path.realpath(expanded)):  # compared (a drive
        absolute = os.path.realpath(expanded)  # unplugged), the link's target is what `..`
    forms = [from_fs(query), from_fs(absolute)]  # leaves (OS form -> stored)
    for form in forms:
        row = queries.track_by_path(conn, form)  # (abspath folds `lnk/..` as the system does
        if row and (not os.path.lexists(expanded)  # not: the file opened is the one it names)
                    or same_path(to_fs(row["path"]), expanded)):
            return candidate(row)
    key, rows = match_key(forms[-1]), queries.all_tracks(conn)
    hits = [candidate(r) for r in rows if match_key(r["path"]) == key]
    if not hits and "\ufffd" in forms[-1]:  # as --json's "path" and the lists show a name
        hits = [candidate(r) for r in rows if display(r["path"]) == forms[-1]]  # not UTF-8
    if os.path.lexists(expanded):  # a file of its own: only itself by another spelling
        hits = [h for h in hits if same_path(to_fs(h.path), expanded)
                or _matched_by_the_filesystem(expanded, to_fs(h.path))]
    return prefer_present(hits) or _by_file(conn, expanded)


def _matched_by_the_filesystem(typed: str, stored: str) -> bool:
    """Whether the filesystem itself took ``typed`` for ``stored`` (a path differing from it
    in letter case or Unicode form): each name of ``typed`` that differs from ``stored``'s is
    no entry of its folder, so only a case-insensitive lookup found it. A FUSE mount of a
    stick (exfat-fuse) gives each spelling its own inode, so ``samefile`` says no, and
    ``song.wav`` typed for the stick's ``Song.wav`` was refused as not in the library; on
    Linux ``Other.wav`` beside ``other.wav`` is listed, another file. Both paths with their
    links resolved, as the system reads them: ``music/lnk/../song.wav`` opens the file
    beside ``lnk``'s target, not ``music/Song.wav``, which ``abspath`` made of it."""
    typed_parts = os.path.realpath(typed).split(os.sep)
    stored_parts = os.path.realpath(stored).split(os.sep)
    if len(typed_parts) != len(stored_parts):
        return False
    for i, (mine, theirs) in enumerate(zip(typed_parts, stored_parts)):
        if mine == theirs:
            continue
        try:
            if mine in os.listdir(os.sep.join(typed_parts[:i]) or os.sep):
                return False
        except OSError:
            return False
    return True


def _by_file(conn: sqlite3.Connection, fs_path: str) -> Candidate | None:
    """The track stored at another path to the same file. A scan records a file once, at its
    real path when it has one (library/walk.py): a symbolic link to a track named no track,
    and scanning again did not help. Tried: the real path, then the tracks with its file name
    that are the same file on disk (a file in a folder reached through a link is stored at
    the path the walk took, so its real path is another one)."""
    from musicsage.library.paths import from_fs, match_key, to_fs

    real = os.path.realpath(fs_path)
    if not os.path.isfile(real):
        return None
    row = queries.track_by_path(conn, from_fs(real))
    if row:
        return candidate(row)
    name = match_key(os.path.basename(from_fs(real)))
    hits = [candidate(r) for r in queries.all_tracks(conn)
            if is_file_path(r["path"]) and match_key(os.path.basename(r["path"])) == name
            and same_path(to_fs(r["path"]), real)]
    return prefer_present(hits)


def prefer_present(hits: list[Candidate]) -> Candidate | None:
    """The single hit, or the single present hit among missing copies; else None."""
    if len(hits) == 1:
        return hits[0]
    present = [h for h in hits if h.status == "present"]
    return present[0] if len(present) == 1 else None


def one_file(conn: sqlite3.Connection, hits: list[Candidate], *,
             verify: bool = True) -> Candidate | None:
    """The first (lowest id) of ``hits`` when they are all one file copied, preferring one
    whose file is on disk; else None. Asking which of two byte-identical files was meant,
    when ``similar`` folds the other away anyway, sent the user to a track id for nothing.
    The content hash (the one neighbour lists fold copies by) only shortlists: it reads the
    size and both ends, which two songs of one length between silences share, and ``suggest
    --add`` wrote the first into the playlist for the other.

    ``verify`` (a write, ``suggest --add/--remove``): every track's file must be on disk and
    hold the same bytes, compared whole; a drive not mounted (its tracks still 'present')
    left the hash alone to go by, and ``--add`` wrote one of two songs. Otherwise (a read:
    ``similar``, ``radio``, ``--select``) a few blocks of the files on disk are compared,
    which tells another song at once (comparing two 100 MB copies whole read 210 MB), and a
    file gone since the scan has its hash to go by."""
    from musicsage.library.moves import current_hashes
    from musicsage.library.paths import to_fs
    from musicsage.search.same_file import same_files

    hashes = current_hashes(conn, [h.track_id for h in hits])
    if len(hashes) < len(hits) or len(set(hashes.values())) != 1:
        return None
    present = [h for h in hits if h.status == "present"]
    on_disk = [h for h in present if is_file_path(h.path) and os.path.exists(to_fs(h.path))]
    if verify and len(on_disk) < len(hits):  # a file gone (a drive unplugged, or deleted)
        return None  # is not compared: nothing vouches that it is the same song
    if not same_files([to_fs(h.path) for h in on_disk], whole=verify):
        return None
    return min(on_disk or present or hits, key=lambda h: h.track_id)

