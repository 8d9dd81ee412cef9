"""Walking music folders for audio files: what a scan reads from the file system, before it
opens any file (:mod:`musicsage.library.scan` decides what each found file means for the
library).

Non-audio files (by extension) are skipped quietly — those of an audio format the scan cannot
read (``.ape``, ``.dsf``…: :data:`~musicsage.library.tags.UNSUPPORTED_EXTENSIONS`) are counted
for the scan to say (``skipped``) — as are hidden folders (``.Trash-1000``,
``.git``…, not ``...And Justice for All``: :func:`is_hidden_folder`) and macOS ``._*``
resource forks. Symlinks are followed; each folder (by device and
inode) is visited once, which also stops symlink loops, and each file once by its real path
(a hard link's paths are two files: :func:`unique_files`). Linux's /proc, /sys
and /dev are never entered (:data:`SYSTEM_FOLDERS`). What cannot be used is reported through
``on_error`` and the walk goes on.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.tags import UNSUPPORTED_EXTENSIONS, audio_format
from musicsage.progress import CancelToken, check_cancel
from musicsage.text import counted

NOW_NOT_FOLDER = "now a "
"""How the reason for a root that is no longer a folder begins: the scan handles it as a
vanished root (its tracks marked missing, never deleted)."""

UNLISTED = ("cannot list", "cannot open")
"""How the reasons for a folder that could not be listed begin: the scan keeps the tracks
under it (not marked missing), and ``scan`` fails when no music folder given could be listed."""


SYSTEM_FOLDERS = ("/proc", "/sys", "/dev") if sys.platform.startswith("linux") else ()
"""Linux's virtual file systems: processes, the kernel, devices. No music lives there, and
``/proc/self/root`` leads back to ``/``: ``scan /proc/self`` walked the whole file system and
stored 4,866 tracks under /proc/self/root/…; ``scan /dev`` was remembered as a music folder."""


def refuse_system_folder(fs_path: str) -> None:
    """Refuse a folder to scan that is, or leads (through a link) into, a system folder."""
    real = os.path.realpath(fs_path)
    for top in SYSTEM_FOLDERS:
        if P.is_under(os.path.abspath(fs_path), top) or P.is_under(real, top):
            raise MusicsageError(f"{P.shown(fs_path)} is a system folder, not music: nothing "
                                 "was scanned")


@functools.lru_cache(maxsize=1)
def _system_devices() -> frozenset[int]:
    """The devices (``st_dev``) of :data:`SYSTEM_FOLDERS` that are file systems of their own
    (not the one ``/`` is on): a walk skips a folder on one of them — a link to ``/proc`` in
    a music folder, or a walk of ``/``, reached them."""
    devices = set()
    try:
        root = os.stat("/").st_dev
        for top in SYSTEM_FOLDERS:
            if os.path.isdir(top):
                devices.add(os.stat(top).st_dev)
    except OSError:
        return frozenset()
    return frozenset(devices - {root})


@dataclass(frozen=True)
class FoundFile:
    fs_path: str
    """Path for the OS (str; undecodable bytes as surrogateescape)."""
    db_path: str
    """Path as stored in the DB."""
    format: str
    size: int
    mtime_ns: int
    inode: tuple[int, int] = (0, 0)
    """(st_dev, st_ino): the same file reached twice is scanned once."""
    via_link: bool = False
    """Reached through a symlink to the file (a real path to it is preferred)."""


def _found_file(fs_path: str, st: os.stat_result, via_link: bool) -> FoundFile | None:
    """A :class:`FoundFile` for a regular file with an audio name (not macOS ``._`` litter)."""
    fmt = audio_format(os.path.basename(fs_path))
    if fmt is None or is_resource_fork(os.path.basename(fs_path)):
        return None
    return FoundFile(fs_path, P.from_fs(fs_path), fmt, st.st_size, stored_ns(st.st_mtime_ns),
                     (st.st_dev, st.st_ino), via_link)


def stored_ns(ns: int) -> int:
    """A modification time as SQLite's signed 64-bit INTEGER holds it. One past the year 2262
    (a camera's clock, a damaged file system; ``touch -d 2400-01-01``) overflowed it and the
    scan crashed on that file every time. Wrapped, not clamped: two such times stay apart,
    and the same file gives the same stamp on every scan. Playlist files' stamps go through
    it too, wherever one is stored or compared with a stored one: they crashed the same way."""
    return (ns + 2**63) % 2**64 - 2**63


def as_last_scanned(path: str, size: int | None, mtime_ns: int | None) -> tuple[bool, str | None]:
    """Whether a track's stored ``path`` could be reached, and its file's OS path when it is
    as last scanned (its size and time unchanged, and it opens) — None for a track with no
    file (a dataset's) or a file changed since, which the scan that finds it reads. What the
    one-time upgrades of unchanged files (:mod:`.mp3_recount`, :mod:`.tag_reread`) ask first."""
    if not P.is_file_path(path):
        return True, None
    fs_path = P.to_fs(path)
    try:
        st = os.stat(fs_path)
        if (st.st_size, stored_ns(st.st_mtime_ns)) != (size, mtime_ns):
            return True, None
        with open(fs_path, "rb"):
            pass
    except (OSError, ValueError):  # (ValueError: a stored path the system does not take)
        return False, None
    return True, fs_path


def _list_folder(folder: str, *, on_error: Callable[[str, str], None],
                 visited: set[tuple[int, int]],
                 on_other_file: Callable[[str], None] | None = None,
                 skipped: dict[str, int] | None = None) -> tuple[list[FoundFile], list[str]]:
    """One folder's audio files and the subfolders still to walk, both in name order; the
    folder's other regular files go to ``on_other_file``, and those of an audio format the
    scan cannot read are counted in ``skipped`` too."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        on_error(folder, f"cannot list folder: {exc.strerror or exc}")
        return [], []
    files: list[FoundFile] = []
    subdirs: list[str] = []
    for entry in entries:
        is_audio_name = audio_format(entry.name) is not None
        try:
            st = entry.stat()  # follows symlinks
        except OSError as exc:
            reason = _unusable_entry_reason(entry, exc, is_audio_name)
            if reason is not None:
                on_error(entry.path, reason)
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if is_hidden_folder(entry.name) or key in visited or st.st_dev in _system_devices():
                continue  # hidden, already seen (symlink loop / overlap), or /proc, /sys, /dev
            visited.add(key)
            subdirs.append(entry.path)
        elif stat.S_ISREG(st.st_mode):
            found = _found_file(entry.path, st, entry.is_symlink())
            if found is not None:
                files.append(found)
            elif not is_audio_name:
                _count_unsupported(entry.name, skipped)
                if on_other_file is not None:
                    on_other_file(entry.path)
        elif is_audio_name:
            on_error(entry.path, "not a regular file")
    return files, subdirs


def is_hidden_folder(name: str) -> bool:
    """Whether a folder named ``name`` is one a scan skips: a dot and then a letter (or ``_``,
    ``@``…), as ``.Trash-1000``, ``.git`` and ``.@__thumb`` are. A name starting with dots
    and a word, or a dot and a digit, is an album's or an artist's: ``...And Justice for
    All``, ``...Like Clockwork``, ``.5: The Gray Chapter``, ``.38 Special`` were skipped as
    hidden, and their tracks never appeared, without a word."""
    return name.startswith(".") and name[1:2] != "." and not name[1:2].isdigit()


def is_resource_fork(name: str) -> bool:
    """Whether a file named ``name`` is macOS litter a scan skips: ``._07 Song.flac``, the
    resource fork a Mac's copy onto a USB drive or a network share leaves beside each file
    (binary data under an audio or a playlist name). The one rule of the walk and the
    watch (:mod:`musicsage.library.watch_targets`), beside :func:`is_hidden_folder`."""
    return name.startswith("._")


def unsupported_extension(name: str) -> str | None:
    """The extension (``.ape``) of an audio file the scan cannot read here; None otherwise."""
    ext = os.path.splitext(name)[1].lower()
    return ext if ext in UNSUPPORTED_EXTENSIONS else None


def skipped_formats_text(counts: dict[str, int]) -> str | None:
    """``2 .ape files and 1 .dsf file skipped: format not supported (convert them to
    FLAC/MP3/Ogg)`` for the files :func:`unsupported_extension` counted; None when none.
    One line per scan, not per file: a folder of 400 APE rips is one fact."""
    if not counts:
        return None
    parts = [counted(n, f"{ext} file") for ext, n in sorted(counts.items())]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    them = "it" if sum(counts.values()) == 1 else "them"
    return f"{listed} skipped: format not supported (convert {them} to FLAC/MP3/Ogg)"


def _count_unsupported(name: str, skipped: dict[str, int] | None) -> None:
    """Count ``name`` in ``skipped`` (extension → files) if it is audio the scan cannot read."""
    ext = unsupported_extension(name)
    if skipped is not None and ext is not None and not is_resource_fork(name):
        skipped[ext] = skipped.get(ext, 0) + 1


_DANGLING = (errno.ENOENT, errno.ELOOP, errno.ENOTDIR)
"""How ``stat`` fails through a link to nowhere or a loop of links."""


def _unusable_entry_reason(entry: os.DirEntry, exc: OSError, is_audio_name: bool) -> str | None:
    """What to say of a listed entry that cannot be examined (None: nothing, skip it quietly).

    A link to nowhere is said only when its name is an audio file's. Anything else that is
    there but cannot be looked into — a subfolder of a folder without its ``x`` bit, a path
    longer than the system's limit — is said as ``cannot open``, which the scan treats as an
    unlisted folder: its tracks are kept, not marked missing. Skipped quietly, a folder
    nested past 4,096 bytes lost its tracks without a word, and a folder that lost its ``x``
    bit had every track under it marked missing."""
    try:
        link, folder = entry.is_symlink(), entry.is_dir(follow_symlinks=False)
    except OSError:  # the listing gave no type and lstat fails too: it may be a folder
        link, folder = False, True
    if link and exc.errno in _DANGLING:
        return "broken or looping symbolic link" if is_audio_name else None
    if not (is_audio_name or link or folder):
        return None
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENAMETOOLONG:
        why += (f" (its path is {len(os.fsencode(entry.path)):,} bytes, more than the system "
                "lets a program open)")
    return f"cannot open: {why}"


def walk_audio_files(root: str, *, on_error: Callable[[str, str], None],
                     visited: set[tuple[int, int]] | None = None,
                     cancel: CancelToken | None = None,
                     on_other_file: Callable[[str], None] | None = None,
                     skipped: dict[str, int] | None = None) -> Iterator[FoundFile]:
    """Yield the audio files under ``root`` (a folder or a single file), sorted by name per folder.

    ``on_error(fs_path, reason)`` is called for folders that cannot be listed and for audio-named
    entries that cannot be used (broken/looping links, FIFOs). ``visited`` holds (st_dev, st_ino)
    of folders already seen (shared across roots so overlapping roots add nothing twice). The
    same file may be yielded twice (through a file symlink); :func:`unique_files` picks one.
    ``on_other_file(fs_path)`` hears of each regular file in the folders that is not audio (the
    scan tells of the playlist files among them, which it does not import). ``skipped``
    (extension → count) counts the files of an audio format the scan cannot read (``.ape``,
    ``.dsf``…), which it says in one line (:func:`skipped_formats_text`)
    rather than skipping them in silence.
    """
    visited = set() if visited is None else visited
    try:
        st = os.stat(root)
    except FileNotFoundError:
        on_error(root, "not found (its tracks are marked missing)")
        return
    except OSError as exc:
        on_error(root, f"cannot open: {exc.strerror or exc}")
        return
    if not stat.S_ISDIR(st.st_mode):
        found = _found_file(root, st, False) if stat.S_ISREG(st.st_mode) else None
        if found is not None:
            yield found
        else:  # a remembered folder replaced by a file: said, and handled as a vanished one
            on_error(root, f"{NOW_NOT_FOLDER}file, not a folder (its tracks are marked missing)")
        return

    visited.add((st.st_dev, st.st_ino))
    stack = [root]
    while stack:
        check_cancel(cancel)
        files, subdirs = _list_folder(stack.pop(), on_error=on_error, visited=visited,
                                      on_other_file=on_other_file, skipped=skipped)
        yield from files
        stack.extend(reversed(subdirs))  # depth-first, in name order


def unique_files(found: Iterable[FoundFile]) -> list[FoundFile]:
    """One entry per file as its real path names it, preferring a path that is not a file
    symlink; walk order.

    A file symlink beside its target is the target reached again: scanned once. A hard
    link is not: the same inode under another real path is a track of its own, in another
    folder on purpose (:func:`~musicsage.library.spellings._same_file`), so each of its
    paths is kept. Kept one per inode, the path the walk met first was read and the other
    track (``z/song.flac`` beside the new link ``a/hard.flac``) kept its old tags and
    vectors for good after the file was edited. Only paths that share an inode are
    resolved, so a walk without links costs no more."""
    found = list(found)
    per_inode: dict[tuple[int, int], int] = {}
    for f in found:
        per_inode[f.inode] = per_inode.get(f.inode, 0) + 1
    best: dict[object, FoundFile] = {}
    for f in found:
        key = f.inode if per_inode[f.inode] == 1 else os.path.realpath(f.fs_path)
        old = best.get(key)
        if old is None or (old.via_link and not f.via_link):
            best[key] = f
    return list(best.values())
