"""What a scan says of a music folder it was to scan and did not find (deleted, renamed, moved
elsewhere, a drive unplugged), once it knows what became of its tracks.

A part of its own, apart from :mod:`musicsage.library.scan`: the walk meets the gone folder
first, but only after the move step (:mod:`musicsage.library.moves`) and the marking of
missing tracks is it known whether its tracks were found elsewhere or marked missing. The
line said "its tracks are marked missing" when all of them had been found moved (0 marked),
and no ``errors`` row was kept, so ``stats`` counted 0 errors where the scan had said 1.

A music folder that is there but empty while its tracks are missing (an unplugged drive's bare
mount point) gets a note instead (:func:`tell_empty_roots`): not an error, since the folder
was read, but the one hint that its files may come back. So does a link inside a music folder
to a folder gone or empty (:class:`DeadLinks`: a drive linked in, unplugged), whose missing
tracks Remove missing tracks keeps as it keeps an unplugged music folder's.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Iterable, Sequence

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.in_chunks import in_chunks
from musicsage.library.playlists.reach import CLOCK_SLACK_SECONDS
from musicsage.library.scan_report import ScanReport, ShownPath
from musicsage.library.tags import audio_format
from musicsage.text import counted


def tell_gone_roots(conn, gone: Iterable[tuple[int, str]], known: dict[str, tuple],
                    result: ScanReport, moved: set[int], marked: set[int]) -> None:
    """Finish the reason of each gone folder (``gone``: its index into ``result.errors``, whose
    reason the walk began, and its DB path) with what became of the tracks under it (``known``: path → (id,
    size, mtime_ns, status) before the scan; ``moved``: ids found at a new path; ``marked``:
    ids this scan marked missing), and keep it as the folder's scan error, as stats counts
    them; the scan's error clean-up drops it once the folder is found (or forgotten). Only a
    music folder of the library's is kept so (one that is a single file too: ``scan
    song.flac``), not a track's file nor a folder inside one that the folder watch named to
    the scan (each it heard go): a file moved away is no error — a file another watch had seen
    renamed first was counted by ``stats`` as "not found (…: forget this folder if it is gone
    for good)". A file found again is no file that failed (:func:`~.scan_write.scan_error_paths`):
    read as one, its vectors were dropped and it was analysed again."""
    rows, remembered = [], set(q.library_roots(conn))
    for i, root in gone:
        shown, reason = result.errors[i]
        ids = [(v[0], v[3]) for p, v in known.items() if P.is_under(p, root)]
        head = reason.split(" (", 1)[0]
        reason = f"{head} ({_fate(ids, moved, marked)}{_moved_advice(root, head, ids, moved)})"
        result.errors[i] = (shown, reason)
        if root in remembered:  # a music folder (see above), also one that is a single file
            rows.append((root, reason))
    if rows:
        with transaction(conn):
            for root, reason in rows:
                q.record_error(conn, root, "scan", reason)


EMPTY_ROOT = "empty (a drive not mounted?)"
"""How a scan's note begins for a music folder found empty while its tracks are missing."""

EMPTY_ROOT_ADVICE = ("mount it and scan again; if it is gone for good, `forget --missing FOLDER` "
                     "removes its missing tracks, `forget FOLDER` the folder (File › Remove "
                     "music folder in the window)")
"""How such a note ends: both front ends show it, so it names the command and the menu entry
(FOLDER is the path the note begins with; a shell-quoted copy of it read oddly)."""


def tell_empty_roots(conn, roots: Iterable[str], known: dict[str, tuple], result: ScanReport,
                     moved: set[int], marked: set[int]) -> None:
    """Note each music folder of the library among ``roots`` (DB paths) that is there but
    empty while its tracks are missing (``known``, ``moved``, ``marked``: as
    :func:`tell_gone_roots` takes them): an unplugged drive leaves its bare mount point, and
    the scan said only "0 audio files … 3 now missing", as if the files had been deleted —
    where ``forget --missing`` already keeps such a folder's tracks as a drive's."""
    if not marked and all(v[3] != "missing" for v in known.values()):
        return  # nothing missing (the usual scan): no folder is looked at
    remembered = set(q.library_roots(conn))
    for root in roots:  # one scandir first: gathering a big folder's tracks is the cost
        if root not in remembered or not bare_folder(P.to_fs(root)):
            continue
        ids = [(v[0], v[3]) for p, v in known.items() if P.is_under(p, root)]
        if any(t not in moved and (t in marked or s == "missing") for t, s in ids):
            fate = f"{EMPTY_ROOT}: {_fate(ids, moved, marked)}, and kept"
            result.notes.append((ShownPath.of(root), f"{fate}: {EMPTY_ROOT_ADVICE}"))
    _tell_dead_links([r for r in roots if r in remembered], known, result, moved, marked)


DEAD_LINK = "a link to a folder that is gone or empty (a drive not mounted?)"
"""How a scan's note begins for a link inside a music folder whose tracks it found missing."""

DEAD_LINK_ADVICE = ("mount it and scan again; if it is gone for good, `forget --missing LINK` "
                    "removes its missing tracks (in the window: delete the link, then File › "
                    "Remove missing tracks)")


def _tell_dead_links(roots: list[str], known: dict[str, tuple], result: ScanReport,
                     moved: set[int], marked: set[int]) -> None:
    """Note each link inside ``roots`` to a folder gone or empty (:class:`DeadLinks`) whose
    tracks are missing: the scan said only "4 now missing", as if a linked drive's files had
    been deleted, where Remove missing tracks keeps them as a drive's. Only on a scan that
    remembers its roots (``roots``: what :func:`tell_empty_roots` is given), as the empty
    folder's note: the folder watch's rescans say no link, and the next full scan says it."""
    links, behind = DeadLinks(roots), {}
    for path, (tid, _size, _mtime, status) in known.items():
        if tid not in moved and (tid in marked or status == "missing"):
            if (link := links.holder(path)) is not None:
                behind.setdefault(link, []).append((tid, status))
    for link, ids in behind.items():
        fate = f"{DEAD_LINK}: {_fate(ids, moved, marked)}, and kept"
        result.notes.append((ShownPath.of(link), f"{fate}: {DEAD_LINK_ADVICE}"))


def bare_folder(fs_root: str) -> bool:
    """Whether ``fs_root`` is a folder with nothing in it (as forget's check of a drive's
    mount point: a folder that still holds a cover image had its audio deleted)."""
    try:
        with os.scandir(fs_root) as entries:
            return next(entries, None) is None
    except OSError:  # gone (said by tell_gone_roots), or cannot be listed (an error)
        return False


def unreachable_root(fs_root: str) -> bool:
    """Whether the music folder ``fs_root`` is gone or empty: a drive unplugged leaves its
    bare mount point, where a scan marks every track missing (the scan's own check, which
    also says the folder is empty; one that cannot be listed counts when gone)."""
    return bare_folder(fs_root) or not os.path.isdir(fs_root)


class DeadLinks:
    """Folders inside the music folders ``roots`` (DB form) that are symbolic links to a
    folder gone or empty: a drive linked into a music folder (``~/Music/usb -> /media/usb``)
    and unplugged. Its tracks are missing as an unplugged music folder's are, but the music
    folder is there, so Remove missing tracks took them — vectors and playlist places with
    them — where it keeps an unplugged music folder's. One look per folder, remembered.

    Only folders: a track whose file is itself such a link is :func:`dead_file_link`'s.

    ``empty_folders``: a plain folder left empty counts too (a drive mounted straight inside a
    music folder, ``~/Music/usb``, leaves it bare): what a scan must not fold into copies; not
    for Remove missing tracks, which removes an album whose files were deleted, its folder kept."""

    def __init__(self, roots: Sequence[str], *, empty_folders: bool = False):
        self.roots = list(roots)
        self.empty_folders = empty_folders
        self._seen: dict[str, str | None] = {}

    def holder(self, path: str) -> str | None:
        """The outermost such link (DB form) between ``path``'s music folder and ``path``
        (a missing track's), or None."""
        root = next((r for r in self.roots if P.is_under(path, r) and path != r), None)
        return None if root is None else self._dead(path.rpartition("/")[0], root)

    def _dead(self, folder: str, root: str) -> str | None:
        if folder not in self._seen:
            outer = None if len(folder) <= len(root) else self._dead(
                folder.rpartition("/")[0], root)
            self._seen[folder] = outer or (folder if len(folder) > len(root)
                                           and self._unplugged(P.to_fs(folder)) else None)
        return self._seen[folder]

    def _unplugged(self, fs: str) -> bool:
        """Whether the folder ``fs`` is a link to a folder gone or empty, or (with
        ``empty_folders``) a plain folder with nothing in it."""
        if os.path.islink(fs):
            return unreachable_root(fs)
        return self.empty_folders and bare_folder(fs)


def dead_file_link(conn: sqlite3.Connection, track_id: int, fs_path: str) -> bool:
    """Whether ``fs_path`` (the missing track ``track_id``'s file, not there) is a symbolic
    link to a file in a folder gone, or left as a drive leaves its mount point: a drive's file
    linked into a music folder (``~/Music/x.flac -> /media/usb/x.flac``) and unplugged, kept as
    a linked folder's (:class:`DeadLinks`) — once removed, its vectors and playlist places were
    lost. A link whose target's folder is there lost its file (deleted, moved): that track
    goes, and the rescan calls it a broken link — also when the deletion left the folder empty
    (``~/rips/single/x.flac`` deleted), which :func:`_bare_since_seen` tells from a bare mount
    point: counting every empty folder as a drive's kept a deleted single for good, said to
    be on "a drive unplugged?"."""
    try:
        if not os.path.islink(fs_path):
            return False
        folder = os.path.dirname(os.path.realpath(fs_path))
        return not os.path.isdir(folder) or _bare_since_seen(conn, track_id, folder)
    except OSError:  # cannot be followed: no sign of a drive, a file to remove
        return False


def _bare_since_seen(conn: sqlite3.Connection, track_id: int, folder: str) -> bool:
    """Whether ``folder`` is empty and was not modified since the track ``track_id`` was found
    in it: deleting its file would have modified it (the rule a playlist's file follows,
    :func:`~musicsage.library.playlists.reach.file_unreachable`); a mount point was made before
    the drive's files could be scanned. Since the track's ``added_at``: its ``updated_at`` is
    the scan's that marked it missing, after the deletion, and its ``mtime_ns`` the file's own,
    which a copy keeps (``rsync -a``), older than a mount point made later."""
    if not bare_folder(folder):
        return False
    added = conn.execute("SELECT (julianday(added_at) - 2440587.5) * 86400.0 FROM tracks"
                         " WHERE id = ?", (track_id,)).fetchone()
    return (added is not None and added[0] is not None
            and os.stat(folder).st_mtime < added[0] - CLOCK_SLACK_SECONDS)


def dead_link_note(n: int, link: str, remedy: str, *, file: bool = False) -> str:
    """What Remove missing tracks (and ``forget --missing``) says of the ``n`` missing tracks
    it keeps behind ``link`` (:class:`DeadLinks`; ``file``: the track's own file is the link,
    :func:`dead_file_link`), as shown; ``remedy``: how its caller removes them (the command
    line names the link: ``forget --missing LINK``; the window cannot)."""
    what = ("file is a link to a file in a folder" if file
            else "folder is a link to a folder")
    return (f"{counted(n, 'missing track')} kept: {'its' if n == 1 else 'their'} {what} that "
            f"is gone or empty (a drive unplugged?); mount it and scan again, or {remedy}: "
            f"{link}")


def on_drives_not_mounted(conn: sqlite3.Connection, track_ids: Iterable[int]) -> set[int]:
    """Those of ``track_ids`` (missing tracks) whose music folder is gone or empty
    (:func:`unreachable_root`), or that lie behind a link to such a folder or in an empty folder
    inside it (:class:`DeadLinks`, ``empty_folders``): a drive not mounted, whose files are not
    gone. What a scan must not fold into copies found elsewhere
    (:func:`~musicsage.library.copy_moves.fold_copies_into_moves`): an unplugged drive's track
    took its laptop copy's path, the copy's row and id left the library, and the drive plugged
    back in came back as new tracks."""
    ids = sorted({int(t) for t in track_ids})
    if not ids:
        return set()
    roots = q.library_roots(conn)
    links, out = DeadLinks(roots, empty_folders=True), set()
    gone = [r for r in roots if unreachable_root(P.to_fs(r))]
    for marks, chunk in in_chunks(ids):
        out.update(int(tid) for tid, path in conn.execute(
            f"SELECT id, path FROM tracks WHERE id IN ({marks})", chunk)
            if any(P.is_under(path, r) for r in gone) or links.holder(path) is not None)
    return out


def empty_folders_holding(conn: sqlite3.Connection,
                          track_ids: Iterable[int]) -> dict[str, list[int]]:
    """``{folder: its tracks}`` of those of ``track_ids`` (missing tracks) that lie in a plain
    folder left empty inside a music folder (:class:`DeadLinks` with ``empty_folders``, no
    link): where the scan holds back copies (:func:`on_drives_not_mounted`) that may be a
    move — an album's files moved elsewhere, its folder left — and says so, unlike a music
    folder gone or empty and a dead link, which have notes of their own."""
    links, out = DeadLinks(q.library_roots(conn), empty_folders=True), {}
    for tid in sorted({int(t) for t in track_ids}):
        row = conn.execute("SELECT path FROM tracks WHERE id = ?", (tid,)).fetchone()
        folder = None if row is None else links.holder(row[0])
        if folder is not None and not os.path.islink(P.to_fs(folder)):
            out.setdefault(folder, []).append(tid)
    return out


MOVED_ADVICE = ("unplugged? plug it in and scan again; moved? scan its new place (File › Add "
                "music folder… in the window) to find them moved")
"""How the line of a music folder not found whose tracks are missing ends: the step that
finds them after a move or a restore elsewhere (their vectors, playlist places and the model
kept) went unsaid, and the line read as the end of them; its commonest cause, a drive
unplugged, is named first. Both front ends show it, so it names the step and the menu entry,
as :data:`EMPTY_ROOT_ADVICE` does (the window's own line leaves out "in the window":
:data:`MOVED_ADVICE_WINDOW`)."""

MOVED_ADVICE_WINDOW = MOVED_ADVICE.replace(" in the window", "")
""":data:`MOVED_ADVICE` as the window's scan line says it, in the window."""


def _moved_advice(root: str, head: str, ids: list[tuple[int, str]], moved: set[int]) -> str:
    """``: ``:data:`MOVED_ADVICE` for a folder ``root`` not found (``head``) with tracks,
    none of them found moved (one found so was scanned at its new place already); else
    empty. Not for a music folder that is one file (``scan song.flac``): no folder to add."""
    if head != "not found" or not ids or audio_format(root) or moved & {t for t, _s in ids}:
        return ""
    return f": {MOVED_ADVICE}"


def _fate(ids: list[tuple[int, str]], moved: set[int], marked: set[int]) -> str:
    """What became of a gone folder's tracks (``ids``: (id, status before the scan)), in words."""
    n_moved = sum(1 for t, _s in ids if t in moved)
    n_marked = sum(1 for t, _s in ids if t in marked)
    already = sum(1 for t, s in ids if s == "missing" and t not in moved)
    forget = "forget this folder if it is gone for good"
    if not ids:
        return f"no track of the library is in it: {forget}"
    if n_moved == len(ids):
        return f"its {_are(n_moved, 'found moved elsewhere', past=True)}: {forget}"
    if n_marked == len(ids):
        return f"its {_are(n_marked, 'marked missing')}"
    if already == len(ids):
        return f"its {_are(already, 'still marked missing')}"
    parts = [f"{counted(n, 'track')} {what}" for n, what in (
        (n_moved, "found moved elsewhere"), (n_marked, "now marked missing"),
        (already, "still missing")) if n]
    return "of its tracks: " + ", ".join(parts)


def _are(n: int, what: str, past: bool = False) -> str:
    """"3 tracks are <what>", "track is <what>" (was/were with ``past``)."""
    verb = ("was" if n == 1 else "were") if past else ("is" if n == 1 else "are")
    return f"{counted(n, 'track')} {verb} {what}"


def tracks_under(conn: sqlite3.Connection, root: str) -> tuple[int, int]:
    """(the library's tracks under the folder ``root`` (DB form), those of them missing)."""
    where, params = q.under_sql("path", [root])
    n, missing = conn.execute(f"SELECT COUNT(*), SUM(status = 'missing') FROM tracks"
                              f" WHERE {where}", params).fetchone()
    return n, missing or 0


class GoneTracks(int):
    """The tracks a folder watch's batch marked missing under a music folder gone as a whole
    (an int: its callers count them), with what became of its tracks in words (``fate``) when
    none was: "none of its tracks is missing" was said of a folder that held none, and of one
    whose tracks were all marked missing long before."""

    fate: str = ""

    @classmethod
    def of(cls, marked: int, moved: int, missing: int) -> "GoneTracks":
        """``marked`` by the batch; ``moved``: its tracks found elsewhere by the batch;
        ``missing``: those missing under it now."""
        out, n = cls(marked), moved + missing
        if moved and missing:
            out.fate = (f"its {counted(n, 'track')}: {moved} found moved, {missing} marked "
                        "missing before")
        elif n:
            out.fate = (f"its {counted(n, 'track')} {'was' if n == 1 else 'were'} "
                        + ("found moved" if moved else "marked missing before"))
        else:  # it held none, or an earlier batch found them moved and said so (the watch
            out.fate = "no track of the library is left in it"  # read the move's ends apart)
        return out
