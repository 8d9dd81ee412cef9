"""The music folder a queued track lives in, and whether that folder is gone.

A drive unplugged takes every file of its music folder with it, after the last scan marked
them present: the queue then tried each of them in turn, one "file not found" warning a track
(118 in 4 s; a radio kept refilling from the same folder). Finding the folder itself gone,
the queue stops once and names it (:class:`~musicsage.controllers.queue.QueueController`).
A folder that is there but refused to the user (its permissions) stops it too, every track of
it failing alike, and is said to be locked, not gone (:func:`folder_locked`).
Only the disk is read here: the scan and the folder watch own the tracks' status.

The queue asks on the window's thread, so every look at the disk is bounded
(:func:`~musicsage.controllers.bounded_look.answer_within`, :data:`DISK_WAIT_S` at most): a
network mount gone stale answers a listing only after its timeout (minutes), and the window
froze that long on the track that failed there. No answer is not "gone" at once: a damaged file
on a slow but working network drive stopped the queue as if its drive were unplugged; such a
track is skipped, as any file that fails to play is. But a drive that stays silent is: when
the look a failed track took at its folder still has no answer as the next track of that
folder fails, the queue stops (each of its tracks hung for the mount's timeout, one warning a
track, and a radio refilled from there for ever). All looks at a folder share one key
(:data:`FOLDER_LOOK`): one hangs at most per folder, not one per failed track."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from musicsage.controllers.bounded_look import DISK_WAIT_S, answer_within, still_looking
from musicsage.library import paths as P

if TYPE_CHECKING:
    from musicsage.usecases.snapshot import LibrarySnapshot

FOLDER_LOOK = "folder"
"""The kind of every look at a music folder (:func:`folder_gone`, :func:`gone_folder`): one
that hangs holds back the next, whichever asks."""


def folder_of(path: str, roots: Sequence[str]) -> str | None:
    """The library's music folder (as shown) holding the track at stored ``path``: the
    deepest one, should one folder lie inside another; None outside them all."""
    shown = P.display(path)
    under = [r for r in roots if P.is_under(shown, r)]
    return max(under, key=len) if under else None


def _listed_empty(folder: str) -> bool:
    """Whether ``folder`` cannot be listed, or is empty (a look at the disk that may hang:
    run off the caller's thread)."""
    try:
        with os.scandir(P.to_fs(folder)) as entries:
            return next(entries, None) is None
    except OSError:
        return True


def folder_gone(folder: str) -> bool:
    """Whether ``folder``, found gone before, still is: it cannot be listed, or is empty (an
    unplugged drive's mount point is often left behind empty, and a folder emptied of all its
    music holds nothing to play). One that does not answer within :data:`DISK_WAIT_S` (a
    stale network mount) has not shown itself back: it stays gone."""
    return answer_within(FOLDER_LOOK, folder, lambda: _listed_empty(folder), unanswered=True)


def still_gone(folders: set[str]) -> set[str]:
    """Those of ``folders`` still gone (one plugged back in is tried again)."""
    return {f for f in folders if folder_gone(f)}


def in_folders(snapshot: "LibrarySnapshot | None", track_id: int, folders: set[str]) -> bool:
    """Whether that track's file lies in one of ``folders`` (none: False, nothing read)."""
    return bool(folders) and track_folder(snapshot, track_id) in folders


def track_folder(snapshot: "LibrarySnapshot | None", track_id: int) -> str | None:
    """The music folder holding that track's file (None: not in the library, or no file)."""
    info = snapshot.by_id.get(track_id) if snapshot else None
    if info is None or not info.has_file:
        return None
    return folder_of(info.path, snapshot.stats.roots)


def gone_folder(snapshot: "LibrarySnapshot | None", track_id: int) -> str | None:
    """The music folder of a track whose file failed, when the whole folder is gone (a drive
    unplugged) or still silent: the look a track of it that failed before took has had no
    answer since (a network share away). None when the file is there (it failed otherwise),
    only it is missing, or the disk does not answer within :data:`DISK_WAIT_S` now, a first
    time — the track is skipped then, the queue goes on (a slow drive answers late: its next
    failure is looked at afresh). Both checks are one look, on one thread: the window waits
    :data:`DISK_WAIT_S` at most (two looks in turn made it wait twice that)."""
    info = snapshot.by_id.get(track_id) if snapshot else None
    folder = track_folder(snapshot, track_id)
    if info is None or folder is None:
        return None
    if still_looking(FOLDER_LOOK, folder):  # silent since a failure before: no wait again
        return folder
    fs_path = info.fs_path
    gone = answer_within(FOLDER_LOOK, folder,
                         lambda: not os.path.lexists(fs_path) and _listed_empty(folder),
                         unanswered=False)
    return folder if gone else None


def _refused(folder: str) -> bool:
    """Whether ``folder`` is there but the system refuses to list it (its permissions: a look
    at the disk that may hang, run off the caller's thread)."""
    try:
        with os.scandir(P.to_fs(folder)):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


def folder_locked(folder: str) -> bool:
    """Whether a music folder found "gone" is in fact there, but cannot be opened (``chmod
    000``, a drive mounted for another user): "cannot be found (a drive not mounted?)" sent
    the user to look for a drive that was plugged in. No answer within :data:`DISK_WAIT_S`
    is not locked."""
    return answer_within(FOLDER_LOOK, folder, lambda: _refused(folder), unanswered=False)


LOCKED = "cannot be opened (permission denied)"
"""What is said of a music folder that is there but refused to the user."""


def folder_gone_text(folder: str) -> str:
    """The one line said when the queue stops on a music folder that is gone, or locked."""
    if folder_locked(folder):
        return (f"Music folder {folder} {LOCKED}: the queue stopped; it is kept — give your "
                "user access to the folder, then play from it again.")
    return (f"Music folder {folder} cannot be found (a drive not mounted?): the queue "
            "stopped; it is kept — play from it once the folder is back.")


def folder_gone_row_text(title: str, folder: str) -> str:
    """The one line said when the user chooses a queued track in a music folder found gone.
    It names the track and never says the queue stopped: the queue may play on from another
    folder, or the player a track from the map, and nothing stopped then."""
    if folder_locked(folder):
        return (f"Cannot play '{title}': music folder {folder} {LOCKED}; give your user "
                "access to it, then play it again.")
    return (f"Cannot play '{title}': music folder {folder} cannot be found (a drive not "
            "mounted?); play it once the folder is back.")
