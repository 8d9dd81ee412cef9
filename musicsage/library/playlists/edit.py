"""Adding tracks to the user's own playlist file (and removing them, :mod:`.remove`), safely.

The file belongs to the user and to whatever player wrote it, so a write happens only on an
explicit request, and:

- **never into a file that is read-only** to the user (its owner's "do not change");
- **never over a change made elsewhere**: the file must be as musicsage last read it — the
  size and mtime recorded at its import, and, when the caller read it later (the window, when
  it showed the suggestions), the same sha256 — and it is checked again just before the new
  file replaces it. Anything else is refused with a one-line reason (re-scan, then retry);
- **with a backup**: the previous bytes are copied to ``DATA/playlist-backups/`` first
  (never next to the user's file, where a player would list them), named by the UTC time;
  the newest :data:`KEEP_BACKUPS` of each playlist are kept and older ones of that playlist
  pruned — only files this module names (:func:`backup_pattern`; the names of versions
  before, :func:`legacy_backup_pattern`, as one group per playlist name), in that folder,
  nothing else, the one just made never;
- **atomically**: the new file is written beside the old one under a fresh name and renamed
  over it (a reader sees the old or the new playlist, never half of one), with the old file's
  permissions; a symlinked playlist is written through to its target. A file with other
  hard links (another player's name for the same playlist) is written in place instead, after
  the backup is on disk (its name too): a rename would give this name a new file and leave
  the others the old one. Ctrl-C and SIGTERM wait for that write; a kill or power cut during
  it leaves the backup, which only a later write's pruning removes;
- **in its own format** (:mod:`.append`), and then re-imported exactly as a scan would, so
  the library's picture of the playlist is the file's.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import stat
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from musicsage.errors import MusicsageError
from musicsage.files import fsync_folder, signals_deferred, temporary_beside
from musicsage.library import paths as P
from musicsage.library.playlists.append import append_tracks
from musicsage.library.playlists.m3u import shown_format
from musicsage.library.playlists.store import read_playlist_bytes

BACKUP_DIR = "playlist-backups"
KEEP_BACKUPS = 5
"""Backups kept per playlist: the newest ones; older ones of that playlist are pruned."""

log = logging.getLogger(__name__)


class PlaylistChanged(MusicsageError):
    """The playlist file is not as musicsage read it: it was not touched."""


@dataclass(frozen=True)
class FileStamp:
    """What a playlist file was when read: size, mtime and content hash."""

    size: int
    mtime_ns: int
    sha256: str


def read_with_stamp(fs_path: str) -> tuple[bytes, FileStamp]:
    """The file's bytes and their stamp (a regular file within the playlist size limit)."""
    st, data = read_playlist_bytes(fs_path)
    return data, FileStamp(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


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


def backup_key(fs_path: str) -> str:
    """A short key of the playlist's path in its backups' names: two playlists of one name in
    two folders (every album's ``album.m3u``) keep backups of their own, and pruning one
    never takes the other's."""
    return hashlib.blake2b(os.fsencode(fs_path), digest_size=4).hexdigest()


def backup_pattern(fs_path: str) -> re.Pattern[str]:
    """The names :func:`backup_copy` gives the backups of ``fs_path``: ``STEM.KEY.STAMP[-N]EXT``
    exactly (STAMP ``YYYYmmdd-HHMMSSZ``, UTC; without the ``Z``, the local time that versions
    before named them by, still recognised as ours); the groups are the stamp and N."""
    stem, ext = os.path.splitext(os.path.basename(fs_path))
    return re.compile(re.escape(f"{stem}.{backup_key(fs_path)}.")
                      + r"(\d{8}-\d{6}Z?)(?:-(\d+))?" + re.escape(ext))


def backup_stamp() -> str:
    """The time in a new backup's name: UTC, said by the trailing ``Z``. Local time went back
    with every move west or DST's fall-back, and a backup made after it looked older than
    the ones before (pruning then took the newer ones)."""
    return time.strftime("%Y%m%d-%H%M%SZ", time.gmtime())


def backup_copy(data: bytes, fs_path: str, backup_root: Path) -> Path:
    """Keep ``data`` (the file's previous bytes) under ``backup_root``; a new name each time.
    A backup that cannot be written whole (a full disk) is removed again — a half copy under
    a backup's name would pass for one — and refused in one line: the playlist is then not
    written at all."""
    try:
        backup_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _not_backed_up(fs_path, backup_root, exc) from exc
    stem, ext = os.path.splitext(os.path.basename(fs_path))
    stamp = backup_stamp()
    prefix = f"{stem}.{backup_key(fs_path)}.{stamp}"
    for n in range(_next_number(fs_path, backup_root, stamp), 1000):
        target = backup_root / f"{prefix}{'-' + str(n) if n else ''}{ext}"
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _not_backed_up(fs_path, backup_root, exc) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            target.unlink(missing_ok=True)  # made by us a moment ago, and not whole
            raise _not_backed_up(fs_path, backup_root, exc) from exc
        fsync_folder(backup_root)  # a power cut during an in-place write: the way back stays
        return target
    raise MusicsageError(f"cannot name a backup of {P.shown(fs_path)} in {backup_root}")


def _next_number(fs_path: str, backup_root: Path, stamp: str) -> int:
    """The first number after those this second's backups of ``fs_path`` carry: a name freed
    by pruning is never given again, so a newer backup never sorts before an older one."""
    pattern = backup_pattern(fs_path)
    try:
        matches = [pattern.fullmatch(name) for name in os.listdir(backup_root)]
    except OSError:
        return 0
    taken = [int(m.group(2) or 0) for m in matches if m is not None and m.group(1) == stamp]
    return max(taken) + 1 if taken else 0


def legacy_backup_pattern(fs_path: str) -> re.Pattern[str]:
    """The names versions before the path key gave backups of a playlist named as ``fs_path``
    is: ``STEM.STAMP[-N]EXT`` exactly (STAMP local time, ``YYYYmmdd-HHMMSS``). They do not
    tell two playlists of one name apart (every album's ``album.m3u``), so they are pruned
    as a group of their own per name: never counted against the newer backups of this one
    playlist, which would take the other playlist's only ones."""
    stem, ext = os.path.splitext(os.path.basename(fs_path))
    return re.compile(re.escape(f"{stem}.") + r"(\d{8}-\d{6})(?:-(\d+))?" + re.escape(ext))


def prune_backups(fs_path: str, backup_root: Path, newest: Path,
                  keep: int = KEEP_BACKUPS) -> list[Path]:
    """Remove the backups of ``fs_path`` beyond the newest ``keep``, once its write went well,
    and those named by earlier versions (:func:`legacy_backup_pattern`, never pruned by them)
    beyond the newest ``keep`` of this name; returns those removed. Only regular files
    directly in ``backup_root`` whose whole name is one of those count (no link, no folder,
    no other name), and ``newest`` (the backup just made) is always kept. Newest by the time
    the file was written (its mtime: the same on every clock's time zone, which a name in
    local time was not), then by name. A backup that cannot be removed is left, and the
    write still succeeded."""
    try:
        names = os.listdir(backup_root)
    except OSError:
        return []
    doomed = (_backups(backup_root, names, backup_pattern(fs_path), newest)[max(0, keep - 1):]
              + _backups(backup_root, names, legacy_backup_pattern(fs_path), newest)[keep:])
    removed = []
    for path in doomed:
        try:
            path.unlink()
            removed.append(path)
        except OSError as exc:
            log.info("old playlist backup %s not removed: %s", path, exc)
    return removed


def _backups(backup_root: Path, names: list[str], pattern: re.Pattern[str],
             newest: Path) -> list[Path]:
    """The regular files among ``names`` whose whole name ``pattern`` matches, but
    ``newest``: newest first (mtime, then stamp and number)."""
    found: list[tuple[tuple[int, str, int], Path]] = []
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or name == newest.name:
            continue
        try:
            st = os.lstat(backup_root / name)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            found.append(((st.st_mtime_ns, match.group(1), int(match.group(2) or 0)),
                          backup_root / name))
    found.sort(reverse=True)
    return [path for _, path in found]


def _not_backed_up(fs_path: str, backup_root: Path, exc: OSError) -> MusicsageError:
    return MusicsageError(f"cannot back up playlist {P.shown(fs_path)} to {backup_root}: "
                          f"{exc.strerror or exc}; the file was not touched")


def check_writable(fs_path: str, *, name: str) -> None:
    """Refuse a playlist its owner made read-only (no write permission bit, or none for us):
    the atomic rename would otherwise replace it anyway, since it needs only the folder."""
    real = os.path.realpath(fs_path)
    if not stat.S_IMODE(os.stat(real).st_mode) & 0o222 or not os.access(real, os.W_OK):
        raise MusicsageError(f"playlist {name!r} is read-only ({P.shown(fs_path)}); "
                             "the file was not touched")


class WrittenHalfway(MusicsageError):
    """A playlist written in place failed part-way and could not be put back: its previous
    content is in the backup, which must then be kept."""


def replace_file(fs_path: str, data: bytes, *, expected: FileStamp, name: str,
                 previous: bytes | None = None, backup: Path | None = None) -> None:
    """Write ``data`` over ``fs_path``, unless the file changed since ``expected`` was taken
    (checked once more just before the new content lands): atomically (a temporary file
    renamed over it), or in place when the file has other hard links (:func:`write_in_place`,
    with ``previous``, the bytes read, and the ``backup`` holding them)."""
    real = os.path.realpath(fs_path)  # a symlinked playlist: write its target, keep the link
    tmp = None
    try:
        if os.stat(real).st_nlink > 1:
            write_in_place(fs_path, data, expected=expected, name=name, previous=previous,
                           backup=backup)
            return
        fd, tmp = temporary_beside(real)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), stat.S_IMODE(os.stat(real).st_mode))
            os.fsync(fh.fileno())
        _check_still(real, expected, name)
        os.replace(tmp, real)
        tmp = None
    except OSError as exc:
        raise MusicsageError(f"cannot write playlist {P.shown(fs_path)}: "
                             f"{exc.strerror or exc}; the file was not touched") from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _check_still(real: str, expected: FileStamp, name: str) -> None:
    """Refuse (:class:`PlaylistChanged`) unless the file is still as ``expected``."""
    _, now = read_with_stamp(real)
    if now != expected:
        raise PlaylistChanged(f"playlist {name!r} changed on disk while it was being "
                              "written; the file was not touched")


def write_in_place(fs_path: str, data: bytes, *, expected: FileStamp, name: str,
                   previous: bytes | None, backup: Path | None) -> None:
    """Overwrite a hard-linked playlist in its own inode, so that every name of it (one per
    player) gets the new entries: a rename would give ``fs_path`` a new file and leave the
    other names the old one. Not atomic, hence only after the backup (on disk, name and
    bytes), and with Ctrl-C and SIGTERM held until the file is whole (raised between the
    write and the cut, they left the old file's tail after the new entries). A write that
    fails part-way (a full disk) puts ``previous`` back — it fits where it was — and, should
    that fail too, raises :class:`WrittenHalfway` naming the backup, which then must be kept.
    An ``OSError`` before the first byte is written propagates (nothing was touched)."""
    real = os.path.realpath(fs_path)
    _check_still(real, expected, name)
    fd = os.open(real, os.O_WRONLY)  # no O_TRUNC: nothing is lost before the write
    try:
        with signals_deferred():
            try:
                _overwrite(fd, data)
                return
            except OSError as exc:
                failure = exc
            try:
                if previous is None:
                    raise OSError("nothing to put back")
                _overwrite(fd, previous)
            except OSError:
                raise WrittenHalfway(
                    f"cannot write playlist {P.shown(fs_path)}: "
                    f"{failure.strerror or failure}; it was written part-way: its previous "
                    f"content is in {backup}") from failure
    finally:
        os.close(fd)
    raise MusicsageError(f"cannot write playlist {P.shown(fs_path)}: "
                         f"{failure.strerror or failure}; the file was left as it was")


def _overwrite(fd: int, data: bytes) -> None:
    """``data`` from the start of the open file ``fd``, the rest cut off, on disk.

    Shorter than the file, ``data`` is first written padded to its length with newlines
    (:func:`_padded`) and synced, and only then cut: a kill or power cut between the write
    and the cut (neither can be held) left the old file's tail after the new entries — a
    playlist of old and new entries mixed, or an XSPF no parser reads. Padded, it is the new
    playlist with blank lines at its end, which M3U, PLS and XML all ignore."""
    padded = _padded(data, os.fstat(fd).st_size)
    view, done = memoryview(padded), 0
    while done < len(view):
        done += os.pwrite(fd, view[done:], done)
    if len(padded) > len(data):
        os.fsync(fd)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _padded(data: bytes, size: int) -> bytes:
    """``data`` with newlines after it up to ``size`` bytes at least (a whole number of them:
    two bytes each in a UTF-16 file, known by its BOM, whose newline that is)."""
    newline = b"\n"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            newline = "\n".encode(codec)
    missing = size - len(data)
    return data + newline * -(-missing // len(newline)) if missing > 0 else data


def add_tracks_to_file(fs_path: str, tracks: Sequence[Mapping], *, backup_root: Path,
                       imported: tuple[int, int] | None, expected_sha256: str | None,
                       name: str) -> Path:
    """Append ``tracks`` to the playlist file at ``fs_path`` (see the module docstring);
    returns the backup's path. The caller holds the library's scan lock."""
    return rewrite_file(fs_path, lambda data: append_tracks(data, fs_path, tracks),
                        backup_root=backup_root, imported=imported,
                        expected_sha256=expected_sha256, name=name)


def rewrite_file(fs_path: str, change: Callable[[bytes], bytes], *, backup_root: Path,
                 imported: tuple[int, int] | None, expected_sha256: str | None, name: str,
                 verb: str = "add") -> Path:
    """Replace the playlist file at ``fs_path`` by ``change(its bytes)``, with every rule of
    the module docstring (unchanged since imported/read, writable, backed up, replaced as a
    whole, older backups pruned); returns the backup's path. ``change`` may refuse (raise):
    nothing is written then. The caller holds the library's scan lock."""
    try:
        data, stamp = read_with_stamp(fs_path)
    except OSError as exc:
        raise MusicsageError(f"cannot read playlist {P.shown(fs_path)}: "
                             f"{exc.strerror or exc}") from exc
    check_unchanged(fs_path, imported=imported, expected_sha256=expected_sha256, stamp=stamp,
                    name=name, verb=verb)
    check_writable(fs_path, name=name)
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
    prune_backups(fs_path, backup_root, backup)
    return backup


def add_to_playlist(conn, data_dir: Path, playlist_id: int, track_ids: Sequence[int], *,
                    expected_sha256: str | None = None, progress=None) -> AddReport:
    """Write the chosen tracks into playlist ``playlist_id``'s file, then re-import it.

    Tracks already in the playlist, missing files and tracks without a file are skipped (and
    listed). Nothing to write: the file is not touched. Raises :class:`PlaylistChanged` when
    the file is not as imported (or as read: ``expected_sha256``). ``progress`` hears that
    the write waits for a scan of the library (it holds the lock the write needs).
    """
    from musicsage.library.lock import scan_lock
    from musicsage.library.playlists.no_file import no_file_reason
    from musicsage.library.playlists.store import import_playlist_file
    from musicsage.library.relations import (playlist_member_ids, playlist_names, playlist_row,
                                             track_facts)

    row = playlist_row(conn, playlist_id)
    if row is None:
        raise MusicsageError(f"no playlist with id {playlist_id}")
    name = playlist_names(conn)[int(row["id"])]
    if not P.is_file_path(row["path"]):
        raise MusicsageError(no_file_reason(row["path"], name, "add"))
    report = AddReport(int(row["id"]), P.display(row["path"]),
                       shown_format(row["path"], row["format"]) or "")
    members = set(playlist_member_ids(conn, playlist_id))
    facts = track_facts(conn, track_ids)
    chosen: list[Mapping] = []
    for tid in dict.fromkeys(int(t) for t in track_ids):
        fact = facts.get(tid)
        reason = ("no such track" if fact is None else
                  "already in the playlist" if tid in members else
                  "no audio file (imported from a dataset)" if not P.is_file_path(fact["path"]) else
                  "the file is missing" if fact["status"] == "missing" else None)
        if reason:
            report.skipped.append({"track_id": tid, "reason": reason})
        else:
            chosen.append(fact)
    if not chosen:  # the file is not touched; the report still tells what the playlist holds
        report.entries, report.resolved = conn.execute(
            "SELECT COUNT(*), COUNT(track_id) FROM playlist_entries WHERE playlist_id = ?",
            (int(row["id"]),)).fetchone()
        return report
    from musicsage.library.queries import track_summaries

    rows = track_summaries(conn, [f["id"] for f in chosen])
    fs_path = P.to_fs(row["path"])
    with scan_lock(conn, progress=progress, stage="playlists"):
        backup = add_tracks_to_file(fs_path, [rows[f["id"]] for f in chosen],
                                    backup_root=Path(data_dir) / BACKUP_DIR,
                                    imported=(row["size"], row["mtime_ns"]),
                                    expected_sha256=expected_sha256, name=name)
        imported = import_playlist_file(conn, fs_path)
    if imported.error:
        raise MusicsageError(f"playlist {name!r} was written (backup: {backup}) but could not "
                             f"be re-imported: {imported.error}")
    report.added = [int(f["id"]) for f in chosen]
    report.backup = str(backup)
    report.entries, report.resolved = imported.entries, imported.resolved
    return report
