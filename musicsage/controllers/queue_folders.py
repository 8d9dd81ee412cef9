"""The music folder a queued track lives in, and whether that folder is gone.

A drive unplugged takes every file of its music folder with it, after the last scan marked
them present: the queue then tried each of them in turn, one "file not found" warning a track
(118 in 4 s; a radio kept refilling from the same folder). Finding the folder itself gone,
the queue stops once and names it (:class:`~musicsage.controllers.queue.QueueController`).
A folder that is there but refused to the user (its permissions: not listed, or listed but
not entered) stops it too, every track of it failing alike, and is said to be locked, not gone,
naming the folder the system refuses — itself, or one on its way (:data:`_LOCKED`).
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
from musicsage.playback.not_a_file import locked_folder

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


_LOCKED: dict[str, str] = {}
"""The music folders the last look at found refused to the user (:func:`_listed_empty`), each
with the folder the system refuses as shown ("" for the music folder itself; ``/media/bob`` for
a drive mounted for bob): the queue's line reads it, not the disk. A second look of its own made
the window wait twice, and, unanswered, called a locked folder "cannot be found"."""


def _listed_empty(folder: str) -> bool:
    """Whether ``folder`` cannot be listed, or is empty, or is listed but what it holds cannot
    be looked at (``chmod -R 644``: every track of it failed, one warning each). A look at the
    disk that may hang: run off the caller's thread. It notes a refusal in :data:`_LOCKED`."""
    fs_folder = P.to_fs(folder)
    inside = os.path.join(fs_folder, _ANY_NAME)
    try:
        with os.scandir(fs_folder) as entries:
            empty = next(entries, None) is None
    except PermissionError:
        return _refused(folder, inside)
    except OSError:
        _LOCKED.pop(folder, None)
        return True
    if not empty and _not_entered(inside):
        return _refused(folder, inside)
    _LOCKED.pop(folder, None)
    return empty


_ANY_NAME = "musicsage-looks-inside"
"""A name looked up in a music folder: the system refuses it only where the folder cannot be
entered (a name it lists might be another user's FUSE mount, refused on its own)."""


def _not_entered(fs_path: str) -> bool:
    """Whether the system refuses to look up ``fs_path``, a name in a folder it listed (the
    folder is read but not entered); there or not, it is entered."""
    try:
        os.lstat(fs_path)
    except PermissionError:
        return True
    except OSError:
        pass
    return False


def _refused(folder: str, inside: str) -> bool:
    """Note in :data:`_LOCKED` that music folder ``folder`` is refused to the user, with the
    folder the system refuses on the way to ``inside``, a path in it (as the player's line
    names it: :func:`~musicsage.playback.not_a_file.locked_folder`). True: it is "gone"."""
    refused = locked_folder(inside)
    same = refused == os.path.realpath(P.to_fs(folder))
    _LOCKED[folder] = "" if same else P.shown(refused)
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
    gone = answer_within(FOLDER_LOOK, folder, lambda: not os.path.lexists(fs_path) and (
        _listed_empty(folder) or _note_refused(folder, fs_path)), unanswered=False)
    return folder if gone else None


_REFUSED_WITHIN: dict[str, str] = {}
"""The track (file system path) whose look found a folder inside its music folder refused to
the user (an album's, an artist's: ``chmod 000``), with that folder: the queue skips the
entries after it in that folder untried (:func:`past_refused`). They failed alike one by one,
a warning each, where the first one's line already names the folder."""


def _note_refused(folder: str, fs_path: str) -> bool:
    """Note in :data:`_REFUSED_WITHIN` the highest folder between music folder ``folder``
    (refused itself: :data:`_LOCKED`) and the file ``fs_path`` that cannot be looked into, if
    one is. False: the music folder is not gone (part of :func:`gone_folder`'s look)."""
    root, at, between = P.to_fs(folder).rstrip(os.sep), os.path.dirname(fs_path), []
    while at.startswith(root + os.sep):
        between.append(at)
        at = os.path.dirname(at)
    _REFUSED_WITHIN.clear()
    for inner in reversed(between):  # from the top down
        if _not_entered(os.path.join(inner, _ANY_NAME)):
            _REFUSED_WITHIN[fs_path] = inner
            break
    return False


def past_refused(snapshot: "LibrarySnapshot | None", tracks: Sequence[int], index: int) -> int:
    """``index``, or past the entries from there on that lie in the folder the look at the
    entry before it (which failed) found refused to the user (:func:`_note_refused`)."""
    after = snapshot is not None and 0 < index <= len(tracks)  # (a failed entry before it)
    before = snapshot.by_id.get(tracks[index - 1]) if after else None
    refused = _REFUSED_WITHIN.pop(before.fs_path, None) if before is not None else None
    while refused is not None and index < len(tracks):
        info = snapshot.by_id.get(tracks[index]) if snapshot else None
        if info is None or not info.has_file or not P.is_under(info.fs_path, refused):
            break
        index += 1
    return index


LOCKED = "cannot be opened (permission denied"
"""What is said of a music folder that is there but refused to the user, up to the folder the
system refuses where that is another (" on /media/bob"), and ")"."""


def _locked_words(folder: str) -> tuple[str, str] | None:
    """How a music folder the look found refused (:data:`_LOCKED`; "cannot be found (a drive
    not mounted?)" sent the user to look for a drive that was plugged in) is said: what it is,
    and the folder to give access to ("" for the music folder itself); None: not refused."""
    refused = _LOCKED.get(folder)
    if refused is None:
        return None
    return (f"{LOCKED} on {refused})" if refused else f"{LOCKED})"), refused


def folder_gone_text(folder: str) -> str:
    """The one line said when the queue stops on a music folder that is gone, or locked."""
    if (locked := _locked_words(folder)) is not None:
        what, refused = locked
        return (f"Music folder {folder} {what}: the queue stopped; it is kept — give your "
                f"user access to {refused or 'the folder'}, then play from it again.")
    return (f"Music folder {folder} cannot be found (a drive not mounted?): the queue "
            "stopped; it is kept — play from it once the folder is back.")


def folder_gone_row_text(title: str, folder: str) -> str:
    """The one line said when the user chooses a queued track in a music folder found gone.
    It names the track and never says the queue stopped: the queue may play on from another
    folder, or the player a track from the map, and nothing stopped then."""
    if (locked := _locked_words(folder)) is not None:
        what, refused = locked
        return (f"Cannot play '{title}': music folder {folder} {what}; give your user "
                f"access to {refused or 'it'}, then play it again.")
    return (f"Cannot play '{title}': music folder {folder} cannot be found (a drive not "
            "mounted?); play it once the folder is back.")
