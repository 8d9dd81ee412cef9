"""A playlist file's new bytes put in its place: atomically (a temporary file beside it,
renamed over it, with its mode, owner and group), or in its own inode when other hard links
name it (padded, then cut, with Ctrl-C and SIGTERM held), never over a change made since it
was read (:class:`FileStamp`), put back when a write in place fails part-way. Apart from
:mod:`.edit`, which decides what to write and when (change refusal, backups, re-import): this
is only how bytes reach the disk without a reader ever seeing half a playlist."""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from musicsage.critical_writes import signals_deferred
from musicsage.errors import MusicsageError
from musicsage.files import temporary_beside
from musicsage.library import paths as P
from musicsage.library.playlists import store
from musicsage.library.walk import stored_ns


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
    st, data = store.read_playlist_bytes(fs_path)
    return data, FileStamp(st.st_size, stored_ns(st.st_mtime_ns),
                           hashlib.sha256(data).hexdigest())


class WrittenHalfway(MusicsageError):
    """A playlist written in place failed part-way and could not be put back: its previous
    content is in the backup, which must then be kept."""


def replace_file(fs_path: str, data: bytes, *, expected: FileStamp, name: str,
                 previous: bytes | None = None, backup: Path | None = None) -> None:
    """Write ``data`` over ``fs_path``, unless the file changed since ``expected`` was taken
    (checked once more just before the new content lands): atomically (a temporary file
    renamed over it), or in place when the file has other hard links (:func:`write_in_place`,
    with ``previous``, the bytes read, and the ``backup`` holding them). The new file gets
    the old one's mode, owner and group; another user's file whose owner we may not give
    the new file is written in place too (a rename would make it ours), and so is a file
    whose folder takes no new file (a shared folder of another user's, its files writable by
    the group): "cannot write playlist: Permission denied" named a file the user may write."""
    real = os.path.realpath(fs_path)  # a symlinked playlist: write its target, keep the link
    tmp = None
    try:
        st = os.stat(real)
        if st.st_nlink > 1:
            write_in_place(fs_path, data, expected=expected, name=name, previous=previous,
                           backup=backup)
            return
        try:
            fd, tmp = temporary_beside(real)
        except PermissionError:  # a folder that takes no new file, a file that may be written
            write_in_place(fs_path, data, expected=expected, name=name, previous=previous,
                           backup=backup)
            return
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            owner_kept = _keep_owner(fh.fileno(), st)
            os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
            os.fsync(fh.fileno())
        if not owner_kept:
            write_in_place(fs_path, data, expected=expected, name=name, previous=previous,
                           backup=backup)
            return
        _check_still(real, expected, name)
        os.replace(tmp, real)
        tmp = None
    except OSError as exc:
        raise MusicsageError(f"cannot write playlist {P.shown(fs_path)}: "
                             f"{exc.strerror or exc}; the file was not touched") from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _keep_owner(fd: int, old: os.stat_result) -> bool:
    """Give the open new file ``fd`` the owner and group of the file it replaces (``old``): a
    playlist in a shared folder stays its owner's and its group's. False when that is not
    permitted and the owner is another user: the rename would give them a file of ours. A
    group we may not give our own file is let go (only root can give it)."""
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
    except PermissionError:
        return old.st_uid == os.geteuid()
    return True


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
                _stamp_back(fd, expected)
            except OSError:
                raise WrittenHalfway(
                    f"cannot write playlist {P.shown(fs_path)}: "
                    f"{failure.strerror or failure}; it was written part-way: its previous "
                    f"content is in {backup}") from failure
    finally:
        os.close(fd)
    raise MusicsageError(f"cannot write playlist {P.shown(fs_path)}: "
                         f"{failure.strerror or failure}; the file was left as it was")


def _stamp_back(fd: int, expected: FileStamp) -> None:
    """The modification time the file had when read, put back with its bytes: "left as it
    was" is then true for the library too, which would otherwise refuse the next add or
    remove (through this name or another of the file) as "changed on disk"."""
    try:
        os.utime(fd, ns=(os.fstat(fd).st_atime_ns, expected.mtime_ns))
    except OSError:
        pass  # the bytes are back; the next edit asks for a re-scan, which is true


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
