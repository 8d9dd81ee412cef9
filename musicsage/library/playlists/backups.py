"""The backups of a user's playlist file that :mod:`.edit` makes before it writes one.

Each write copies the previous bytes to ``DATA/playlist-backups/`` (never next to the user's
file, where a player would list them) under a name of its own; once the write went well,
that playlist's backups beyond the newest :data:`KEEP_BACKUPS` are pruned — only files this
module names for that playlist's path, in that folder, nothing else, the one just made never.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from musicsage.errors import MusicsageError
from musicsage.files import fsync_folder
from musicsage.library import paths as P
from musicsage.name_max import fit_name

BACKUP_DIR = "playlist-backups"
KEEP_BACKUPS = 5
"""Backups kept per playlist: the newest ones; older ones of that playlist are pruned."""

log = logging.getLogger(__name__)

_MADE = "playlist_backup"
"""The attribute of a database error that carries the backup a write made (:func:`made_by`)."""


def backup_key(fs_path: str) -> str:
    """A short key of the playlist's path in its backups' names: two playlists of one name in
    two folders (every album's ``album.m3u``) keep backups of their own, and pruning one
    never takes the other's."""
    return hashlib.blake2b(os.fsencode(fs_path), digest_size=4).hexdigest()


def backup_pattern(fs_path: str) -> re.Pattern[str]:
    """The names :func:`backup_copy` gives the backups of ``fs_path``: ``STEM.KEY.STAMP[-N]EXT``
    exactly (STAMP ``YYYYmmdd-HHMMSSZ``, UTC; without the ``Z``, the local time that versions
    before named them by, still recognised as ours; STEM also as versions before gave a name
    not in UTF-8, its bytes kept: those backups were never pruned); the groups are the stamp
    and N."""
    stem, ext = _stem_and_ext(fs_path)
    stems = {re.escape(stem), re.escape(_stem_and_ext(fs_path, keep_bytes=True)[0])}
    return re.compile(f"(?:{'|'.join(sorted(stems))})" + re.escape(f".{backup_key(fs_path)}.")
                      + r"(\d{8}-\d{6}Z?)(?:-(\d+))?" + re.escape(ext))


def _stem_and_ext(fs_path: str, keep_bytes: bool = False) -> tuple[str, str]:
    """The STEM and EXT of the backups' names of ``fs_path``: STEM cut so that the longest
    of them (number 999) fits a file name's 255 bytes — a playlist of a long, legal name
    could not be backed up, hence never edited. The key tells two cut STEMs apart. A byte
    of the name that is not UTF-8 (``caf\\xe9.m3u`` from an old disk) is U+FFFD in STEM: the
    backup's path, which ``suggest --add`` prints and gives in ``--json``, was
    ``caf\\udce9…`` there (a lone surrogate, which strict JSON readers refuse)."""
    stem, ext = os.path.splitext(os.path.basename(fs_path))
    if not keep_bytes:  # ``keep_bytes``: the STEM versions before gave (:func:`backup_pattern`)
        stem = os.fsencode(stem).decode("utf-8", "replace")
    ours = f".{backup_key(fs_path)}.{backup_stamp()}-999{ext}"
    return fit_name(stem, len(os.fsencode(ours))), ext


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
    stem, ext = _stem_and_ext(fs_path)
    stamp = backup_stamp()
    prefix = f"{stem}.{backup_key(fs_path)}.{stamp}"
    mode = _backup_mode(fs_path)
    for n in range(_next_number(fs_path, backup_root, stamp), 1000):
        target = backup_root / f"{prefix}{'-' + str(n) if n else ''}{ext}"
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
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


def _backup_mode(fs_path: str) -> int:
    """The permission bits of a backup of ``fs_path``: the file's own read/write bits, never
    more than ``0o644`` (and less by the umask). A fixed 0644 made the copy of a private
    (0600) playlist readable by every user of the machine; one that cannot be looked at
    gets 0600."""
    try:
        return stat.S_IMODE(os.stat(fs_path).st_mode) & 0o644
    except OSError:
        return 0o600


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


def prune_backups(fs_path: str, backup_root: Path, newest: Path,
                  keep: int = KEEP_BACKUPS) -> list[Path]:
    """Remove the backups of ``fs_path`` beyond the newest ``keep``, once its write went well;
    returns those removed. Only regular files directly in ``backup_root`` whose whole name
    is one :func:`backup_pattern` gives this playlist's path count (no link, no folder, no
    other name), and ``newest`` (the backup just made) is always kept. Names of the versions
    before the path key (``STEM.STAMP.EXT``) are never removed: they do not say which of two
    playlists of one name they copy, nor prove that the app made them. Newest by the time
    the file was written (its mtime: the same on every clock's time zone, which a name in
    local time was not), then by name. A backup that cannot be removed is left, and the
    write still succeeded."""
    try:
        names = os.listdir(backup_root)
    except OSError:
        return []
    doomed = _backups(backup_root, names, backup_pattern(fs_path), newest)[max(0, keep - 1):]
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


@contextmanager
def named_on_failure(backup: Path) -> Iterator[None]:
    """Run once the playlist file was written, with ``backup`` holding what it was: a library
    database error in the block (the re-import of the written file, refused by a full disk
    or a lock) carries ``backup`` out (:func:`made_by`), so the caller's line names the backup
    this write made — listing the folder before and after the write to guess it repeated
    this module's naming, and could name a backup another write made meanwhile."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        setattr(exc, _MADE, backup)
        raise


def made_by(exc: BaseException) -> Path | None:
    """The backup the write that raised ``exc`` made (:func:`named_on_failure`), or None: the
    error came before the file was written, or from outside such a block."""
    backup = getattr(exc, _MADE, None)
    return backup if isinstance(backup, Path) else None
