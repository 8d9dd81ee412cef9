"""The folders and files a scan is given, as absolute OS paths, each refused in one line
before anything is scanned: a path that does not exist (a typo must not mark a folder's
tracks missing), a link to nowhere or a loop of links, a folder that cannot be listed, a
system folder, a file that is no music. Apart from the scan itself (:mod:`.scan`): these
checks run before a library is opened or made, for ``scan``, ``scan --watch`` and the
playlists given to them."""

from __future__ import annotations

import errno
import os
from typing import Iterable

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.tags import is_music_path
from musicsage.library.walk import (refuse_system_folder, skipped_formats_text,
                                    unsupported_extension)


def resolve_roots(paths: Iterable[str | bytes | os.PathLike], *, must_exist: bool = True,
                  music: bool = False) -> list[str]:
    """Absolute OS paths (symlinks kept) for the given folders/files, de-duplicated, in order.

    ``must_exist`` turns a path that does not exist into a clear error (a typo on the command
    line) instead of marking a whole folder's tracks missing. ``music``: each must be a folder
    or an audio file — a playlist or ``/dev/null`` would scan as "0 audio files, 0 errors" as
    if all were well, and be remembered as a music folder. A folder in /proc, /sys or /dev
    (or a link to one) is refused when it must exist (:func:`~.walk.refuse_system_folder`).
    """
    out: list[str] = []
    for p in paths:
        if must_exist:  # "$MUSIC" unset: not the current folder
            P.given_path(p, "a path given", "a file or folder")
        fs = os.path.abspath(P.typed_path(os.fsdecode(os.fspath(p))))  # ~, file:// URIs
        if must_exist:
            _refuse_unreachable(fs)
        if must_exist and os.path.isdir(fs):
            refuse_system_folder(fs)
            if music:
                _refuse_unlistable(fs)
        if music and not is_music_path(fs):
            _refuse_unsupported_format(fs)
            raise MusicsageError(f"{P.display(P.from_fs(fs))} is neither a folder nor an audio "
                                 "file (playlists and players' files go after --playlists)")
        if fs not in out:
            out.append(fs)
    return out


def _refuse_unsupported_format(fs: str) -> None:
    """Refuse a file of an audio format the scan cannot read (``song.ape``) in the words of a
    folder scan's note on such files: it was called "neither a folder nor an audio file"."""
    ext = unsupported_extension(os.path.basename(fs))
    if ext is not None:
        why = skipped_formats_text({ext: 1}).partition(" skipped: ")[2]
        raise MusicsageError(f"{P.shown_exactly(fs)}: {why}; nothing was scanned")


def _refuse_unreachable(fs: str) -> None:
    """Refuse a path given to scan that cannot be reached, saying why: ``os.path.exists``
    is False for a loop of links, a link to nowhere and a file in a folder one may not enter
    alike, and all three were called "no such file or folder" though the name was right."""
    shown = P.shown_exactly(fs)
    try:
        os.stat(fs)
    except (FileNotFoundError, NotADirectoryError) as exc:
        try:
            target = P.shown(os.readlink(fs)) if os.path.islink(fs) else None
        except OSError:
            target = None
        if target is not None:
            raise MusicsageError(f"{shown} is a symbolic link to {target}, which does not "
                                 "exist: nothing was scanned") from exc
        raise MusicsageError(f"no such file or folder: {shown}") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MusicsageError(f"{shown} is a loop of symbolic links (it leads back to "
                                 "itself): nothing was scanned") from exc
        raise MusicsageError(f"{shown} cannot be reached: {exc.strerror or exc}; nothing was "
                             "scanned") from exc


def _refuse_unlistable(fs: str) -> None:
    """Refuse a music folder given to scan that cannot be listed (no read permission), as an
    audio file that cannot be read is: it was remembered as a music folder of a new library
    and the scan said "0 audio files" with exit 0."""
    try:
        with os.scandir(fs):
            pass
    except OSError as exc:
        raise MusicsageError(f"{P.shown(fs)} cannot be read: cannot list folder: "
                             f"{exc.strerror or exc}; nothing was scanned") from exc
