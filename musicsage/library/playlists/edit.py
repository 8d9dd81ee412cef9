"""Adding tracks to the user's own playlist file (and removing them, :mod:`.remove`), safely.

The file belongs to the user and to whatever player wrote it, so a write happens only on an
explicit request, and:

- **never into a file that is read-only** to the user (its owner's "do not change");
- **never over a change made elsewhere**: the file must be as musicsage last read it — the
  size and mtime recorded at its import (each write here re-imports it), and the sha256 a
  caller that read it later may give — and it is checked again just before the new
  file replaces it. Anything else is refused with a one-line reason (re-scan, then retry);
- **with a backup**: the previous bytes are copied to ``DATA/playlist-backups/`` first
  (never next to the user's file, where a player would list them), named by the UTC time;
  the newest :data:`KEEP_BACKUPS` of each playlist are kept and older ones of that playlist
  pruned (:mod:`.backups`: only names it gives that playlist's path; the names of versions
  before it, never);
- **atomically**: the new file is written beside the old one under a fresh name and renamed
  over it (a reader sees the old or the new playlist, never half of one), with the old file's
  permissions, owner and group; a symlinked playlist is written through to its target. A file with other
  hard links (another player's name for the same playlist) is written in place instead, after
  the backup is on disk (its name too): a rename would give this name a new file and leave
  the others the old one. Ctrl-C and SIGTERM wait for that write; a kill or power cut during
  it leaves the backup, which only a later write's pruning removes;
- **in its own format** (:mod:`.append`), refused untouched unless the new bytes read as a
  playlist of that format, and then re-imported exactly as a scan would, so the library's
  picture of the playlist is the file's.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.playlists.append import append_tracks
from musicsage.library.playlists.backups import (BACKUP_DIR, KEEP_BACKUPS,  # noqa: F401
                                                 backup_copy, backup_key, prune_backups)
from musicsage.library.playlists.file_writes import (  # noqa: F401  names kept here
    FileStamp, PlaylistChanged, WrittenHalfway, read_with_stamp, replace_file, write_in_place)
from musicsage.library.playlists import backups, reach, store
from musicsage.library.playlists.m3u import shown_format
from musicsage.text import printable

@dataclass
class AddReport:
    """What "Add to playlist" did (``suggest --add --json`` prints :meth:`to_dict`)."""

    playlist_id: int
    path: str
    format: str
    added: list[int] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """``{"track_id", "reason"}`` of chosen tracks not written (already in it, no file …)."""
    backup: str | None = None
    entries: int = 0
    resolved: int = 0
    sha256: str | None = None  # of the bytes written (reported by suggest --add --json)

    def to_dict(self) -> dict:
        return asdict(self)


def check_unchanged(fs_path: str, *, imported: tuple[int, int] | None,
                    expected_sha256: str | None, stamp: FileStamp, name: str,
                    verb: str = "add") -> None:
    """Refuse (:class:`PlaylistChanged`) unless the file read now (``stamp``) is the one
    imported (size, mtime) and, if given, the one the caller read (sha256). ``verb`` is what
    the user is told to do again (add, remove)."""
    if imported is not None and (stamp.size, stamp.mtime_ns) != tuple(imported):
        raise PlaylistChanged(f"playlist {name!r} changed on disk since it was imported "
                              f"(size or time differ); re-scan it, then {verb} again — the "
                              "file was not touched")
    if expected_sha256 is not None and stamp.sha256 != expected_sha256:
        raise PlaylistChanged(f"playlist {name!r} changed on disk since it was read (its "
                              f"content differs); re-scan it, then {verb} again — the file "
                              "was not touched")


def read_only(fs_path: str | os.PathLike) -> bool:
    """Whether its owner made the file (a link's target) read-only: no write permission bit,
    or none for us. An atomic rename would replace it anyway (it needs only the folder's)."""
    real = os.path.realpath(fs_path)
    return not stat.S_IMODE(os.stat(real).st_mode) & 0o222 or not os.access(real, os.W_OK)


class PlaylistReadOnly(MusicsageError):
    """The file may not be written: not touched. Its cause and way on: each front end's to say."""


class NotAdded(MusicsageError):
    """The file was written but its re-import does not list a chosen track: it was put back."""


def add_tracks_to_file(fs_path: str, tracks: Sequence[Mapping], *, backup_root: Path,
                       imported: tuple[int, int] | None, expected_sha256: str | None,
                       name: str, verify: Callable[[], None] | None = None) -> tuple[Path, str]:
    """Append ``tracks`` to the playlist file at ``fs_path`` by :func:`rewrite_file` (``verify``
    too); returns the backup and the written bytes' sha256. The caller holds the scan lock."""
    written: list[bytes] = []

    def change(data: bytes) -> bytes:
        written.append(_readable_append(data, fs_path, tracks, name=name))
        return written[-1]

    backup = rewrite_file(fs_path, change, backup_root=backup_root, imported=imported,
                          expected_sha256=expected_sha256, name=name, verify=verify)
    return backup, hashlib.sha256(written[-1]).hexdigest()


def _readable_append(data: bytes, fs_path: str, tracks: Sequence[Mapping], *,
                     name: str) -> bytes:
    """``data`` with ``tracks`` appended, refused (:class:`PlaylistError`, nothing written)
    past the playlist size limit, or when it no longer reads as a playlist of its format (a
    title holding a control character made an XSPF no XML parser reads): the re-import
    failed after the write, and the user's file could no longer be read nor edited here."""
    from musicsage.library.playlists.base import PlaylistError, format_for

    new = append_tracks(data, fs_path, tracks)
    if len(new) > store.MAX_PLAYLIST_BYTES:  # read now: a test lowers it
        raise PlaylistError(f"cannot add to playlist {name!r}: it would grow past "
                            f"{store.MAX_PLAYLIST_BYTES // 2**20} MB, the most a playlist may "
                            f"hold; add {'it' if len(tracks) == 1 else 'them'} to another "
                            "playlist — the file was not touched")
    fmt = format_for(fs_path)
    try:
        if fmt is not None:
            fmt.parse(new, os.path.basename(fs_path))
    except PlaylistError as exc:
        raise PlaylistError(f"cannot add {_titles(tracks)} to playlist {name!r}: the entries "
                            f"written for them would not read back ({exc}); the file was not "
                            "touched") from exc
    return new


def _titles(tracks: Sequence[Mapping]) -> str:
    """"'Intro (live)', 'Outro' and 3 more" (a file's name for a track without a title)."""
    named = [repr(printable(t.get("title") or P.display(t["path"]).rsplit("/", 1)[-1]))
             for t in tracks[:3]]
    return ", ".join(named) + (f" and {len(tracks) - 3} more" if len(tracks) > 3 else "")


def rewrite_file(fs_path: str, change: Callable[[bytes], bytes], *, backup_root: Path,
                 imported: tuple[int, int] | None, expected_sha256: str | None, name: str,
                 verb: str = "add", verify: Callable[[], None] | None = None) -> Path:
    """Replace the playlist file at ``fs_path`` by ``change(its bytes)``, by every rule of
    the module docstring; returns the backup's path. ``change`` may refuse (raise):
    nothing is written then. ``verify``, run once the new file is in place, may refuse too
    (:class:`NotAdded`): the previous bytes are put back and no older backup is pruned — a
    change that did not work never leaves the user's file changed; a database error it raises
    names the backup (:func:`.backups.made_by`). The caller holds the library's scan lock."""
    try:
        data, stamp = read_with_stamp(fs_path)
    except FileNotFoundError as exc:  # deleted (or a symlink to nothing), or its folder gone
        raise MusicsageError(reach.gone_file_line(fs_path, name, verb)) from exc
    except (OSError, store.PlaylistError) as exc:  # a FIFO or too large: named, as a scan does
        raise MusicsageError(f"cannot read playlist {P.shown(fs_path)}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from exc
    check_unchanged(fs_path, imported=imported, expected_sha256=expected_sha256, stamp=stamp,
                    name=name, verb=verb)
    if read_only(fs_path):  # its owner's "do not change"
        raise PlaylistReadOnly(f"playlist {name!r} is read-only ({P.shown(fs_path)}); the file "
                               "was not touched")
    new = change(data)
    backup = backup_copy(data, fs_path, backup_root)
    try:
        replace_file(fs_path, new, expected=stamp, name=name, previous=data,
                     backup=backup)
    except WrittenHalfway:
        raise  # the backup holds what the file was: kept
    except MusicsageError:
        backup.unlink(missing_ok=True)  # ours, and the file it copies is as it was
        raise
    if verify is not None:  # the file is changed now: its backup goes only once it is undone
        try:
            with backups.named_on_failure(backup):  # the re-import: the database may refuse
                verify()
        except NotAdded:
            _put_back(fs_path, data, new, name=name, backup=backup)  # else: backup kept
            backup.unlink(missing_ok=True)
            raise
    prune_backups(fs_path, backup_root, backup)
    return backup


def _put_back(fs_path: str, previous: bytes, written: bytes, *, name: str,
              backup: Path) -> None:
    """Write ``previous`` over the file we just wrote (``written``), by the same rules. When
    that cannot be done, :class:`WrittenHalfway`: the backup (``previous``) is then kept."""
    undone = (f"playlist {name!r}: an add that did not read back could not be undone; its "
              f"previous content is in {backup}")
    try:
        now_data, now = read_with_stamp(fs_path)
        if now_data != written:  # a player wrote it meanwhile: theirs now
            raise WrittenHalfway(undone)
        replace_file(fs_path, previous, expected=now, name=name, previous=now_data,
                     backup=backup)
    except WrittenHalfway:
        raise
    except (OSError, MusicsageError) as exc:
        raise WrittenHalfway(undone) from exc


def _choose(conn, playlist_id: int, track_ids: Sequence[int]) -> tuple[list[Mapping], list[dict]]:
    """The facts of the chosen tracks to write, and the others as ``{"track_id", "reason"}``
    (already in the playlist, no file, missing)."""
    from musicsage.library.relations import playlist_member_ids, track_facts

    members = set(playlist_member_ids(conn, playlist_id))
    facts = track_facts(conn, track_ids)
    chosen: list[Mapping] = []
    skipped: list[dict] = []
    for tid in dict.fromkeys(int(t) for t in track_ids):
        fact = facts.get(tid)
        reason = ("no such track" if fact is None else
                  "already in the playlist" if tid in members else
                  "no audio file (imported from a dataset)" if not P.is_file_path(fact["path"]) else
                  "the file is missing" if fact["status"] == "missing" else None)
        if reason:
            skipped.append({"track_id": tid, "reason": reason})
        else:
            chosen.append(fact)
    return chosen, skipped


def add_to_playlist(conn, data_dir: Path, playlist_id: int, track_ids: Sequence[int], *,
                    expected_sha256: str | None = None, progress=None,
                    cancel=None) -> AddReport:
    """Write the chosen tracks into playlist ``playlist_id``'s file, then re-import it.

    Tracks already in the playlist, missing files and tracks without a file are skipped (and
    listed). Nothing to write: the file is not touched. Raises :class:`PlaylistChanged` when
    the file is not as imported (or as read: ``expected_sha256``), :class:`NotAdded` (the
    file put back) when the re-imported playlist does not hold every track written.
    ``progress`` hears of a wait for a scan of the library (which holds the write's lock),
    and ``cancel`` is heard during that wait (:class:`~musicsage.errors.Cancelled`, nothing
    written): unheard, a cancelled add wrote once the scan ended. Never once the lock is held."""
    from musicsage.library.lock import scan_lock
    from musicsage.library.playlists.no_file import why_not_editable
    from musicsage.library.relations import playlist_names, playlist_row

    row = playlist_row(conn, playlist_id)
    if row is None:
        raise MusicsageError(f"no playlist with id {playlist_id}")
    pid, name = int(row["id"]), playlist_names(conn)[int(row["id"])]
    if why := why_not_editable(row["path"], name, "add"):  # the window's Add, off by it
        raise MusicsageError(why)
    report = AddReport(pid, P.display(row["path"]), shown_format(row["path"], row["format"]) or "")
    chosen, report.skipped = _choose(conn, pid, track_ids)
    if chosen:
        with scan_lock(conn, progress=progress, cancel=cancel, stage="playlists"):
            row = playlist_row(conn, pid)  # as a scan or another add that ran meanwhile left it
            if row is None:
                raise MusicsageError(f"playlist {name!r} is no longer in the library")
            chosen, report.skipped = _choose(conn, pid, track_ids)  # again, under the lock
            if chosen:
                backup, report.sha256 = _write_checked(conn, data_dir, row, chosen, name=name,
                                                       expected_sha256=expected_sha256)
                report.backup = str(backup)
                report.added = [int(f["id"]) for f in chosen]
    report.entries, report.resolved = conn.execute(
        "SELECT COUNT(*), COUNT(track_id) FROM playlist_entries WHERE playlist_id = ?",
        (pid,)).fetchone()
    return report


def _write_checked(conn, data_dir: Path, row: Mapping, chosen: Sequence[Mapping], *, name: str,
                   expected_sha256: str | None) -> tuple[Path, str]:
    """Add ``chosen`` to playlist ``row``'s file, re-import it (and the playlists that are that
    file under another name: :func:`.reach.other_names`), return the backup and the
    written bytes' sha256; the file is put back (:class:`NotAdded`) unless every chosen track
    is then a member: an entry that reads back as nothing (or as another track) was not added."""
    from musicsage.library.playlists.store import import_playlist_file
    from musicsage.library.queries import track_summaries
    from musicsage.library.relations import playlist_member_ids

    fs_path, errors = P.to_fs(row["path"]), []
    rows = track_summaries(conn, [f["id"] for f in chosen])

    def verify() -> None:
        imported = import_playlist_file(conn, fs_path)
        if imported.error:
            errors.append(imported.error)  # not the entries' fault: the file stays written
            return
        members = set(playlist_member_ids(conn, int(row["id"])))
        lost = [f for f in chosen if int(f["id"]) not in members]
        if lost:
            raise NotAdded(f"cannot add {P.display(lost[0]['path'])} to playlist {name!r}: its "
                           f"entry in {P.shown(fs_path)} does not read back as that track; the "
                           "file was put back as it was")
        for other in reach.other_names(conn, fs_path, row):  # the same file, another name's
            import_playlist_file(conn, other)

    try:
        backup, sha256 = add_tracks_to_file(
            fs_path, [rows[f["id"]] for f in chosen], backup_root=Path(data_dir) / BACKUP_DIR,
            imported=(row["size"], row["mtime_ns"]), expected_sha256=expected_sha256,
            name=name, verify=verify)
    except NotAdded:
        import_playlist_file(conn, fs_path)  # the file as it was put back, with a new time:
        for other in reach.other_names(conn, fs_path, row):  # so under its other names too
            import_playlist_file(conn, other)
        raise
    if errors:
        raise MusicsageError(f"playlist {name!r} was written (backup: {backup}) but could not "
                             f"be re-imported: {errors[0]}")
    return backup, sha256
