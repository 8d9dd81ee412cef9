"""Write a list of tracks as an extended M3U8 playlist a music player opens.

Format (what VLC, mpv, foobar2000, Rhythmbox, Winamp … read): UTF-8 without BOM, ``\\n`` line
ends, ``#EXTM3U`` first, then per track ``#EXTINF:<whole seconds or -1>,<artist - title>`` and
the absolute path. A path that cannot be written as one plain line is written as a
percent-encoded ``file://`` URI of its raw bytes instead: a file name that is not valid UTF-8
(stored escaped, see :mod:`musicsage.library.paths`; raw bytes would make the playlist invalid
UTF-8) or one holding a line break or another control character (a newline in a name would
split the entry in two, and the second half would read as a path of its own), or one ending in
a space (readers strip a line's ends); the URI is the one ``--json`` gives. Tracks without
a file (imported from a dataset dir) are left out, a player could do nothing with them, and
counted (:class:`Written`): a list of nothing but such tracks is refused, nothing written (it
left a playlist of its header alone, "wrote 0 tracks" and no reason). A track whose file is
missing keeps its entry: its path is the file's, and plays again once the drive is back.

The file is written next to its destination under a fresh name
(:func:`musicsage.files.temporary_beside`: created with O_EXCL, so never through a planted
symlink) and renamed over the destination, so a reader sees the old playlist or the new one,
never half of one.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from musicsage.errors import MusicsageError
from musicsage.files import fsync_folder, temporary_beside
from musicsage.text import counted, printable

NO_AUDIO_FILE = ("no track of the list has an audio file (imported from a dataset dir): "
                 "nothing was written")
"""The refusal of a list none of whose tracks has a file, the same words everywhere."""


@dataclass(frozen=True)
class Written:
    """What :func:`write_m3u` wrote: ``tracks`` entries; ``left_out`` tracks of the list left
    out for want of an audio file (imported from a dataset dir), said, never dropped silently;
    ``backup``: where the user's playlist it replaced was copied first (None: nothing of the
    user's was replaced), named on the line that says it was saved — else the way back was
    a copy the user was never told of."""

    tracks: int
    left_out: int = 0
    backup: str | None = None

    def as_dict(self, dest: str | os.PathLike | None = None) -> dict[str, int | str | None]:
        """``--json``'s ``m3u``: ``tracks`` and ``left_out``, after the ``path`` written to
        when ``dest`` is given, as a person reads it, and its ``uri``, which names the file
        exactly (docs/cli.md, "Paths in JSON"): a name's byte that is not UTF-8 went out as a
        lone surrogate escape (``"\\udcff"``), which strict JSON readers refuse, and its
        U+FFFD in ``path`` names no file. The ``uri`` is of the file written: the real path,
        as the system reads ``lnk/..`` (the folder above the link's target, not the one
        ``lnk`` is in), and a link given as the playlist itself followed to its target,
        which gets the list (:func:`musicsage.usecases.search.write_m3u`; the link stays)."""
        from musicsage.library.paths import file_uri, from_fs, shown

        counts = {"tracks": self.tracks, "left_out": self.left_out}
        if dest is None:
            return counts
        where = os.path.realpath(os.path.expanduser(dest))  # lnk/.. and a link followed
        return {"path": shown(dest), "uri": file_uri(from_fs(where)), **counts}

    def line(self, dest: str | os.PathLike, verb: str = "wrote") -> str:
        """"wrote 2 tracks to n.m3u8 (1 without an audio file left out)"."""
        note = f" ({self.left_out:,} without an audio file left out)" if self.left_out else ""
        return (f"{verb} {counted(self.tracks, 'track')} to {printable(os.fspath(dest))}{note}"
                + self.backup_note)

    @property
    def backup_note(self) -> str:
        """"; the playlist it replaced is backed up in …", or "" when there is no backup."""
        return (f"; the playlist it replaced is backed up in {printable(self.backup)}"
                if self.backup else "")


def _entry_path(stored: str) -> str | None:
    """The entry line for a track's file: its path, or the URI ``--json`` gives it
    (:func:`~musicsage.library.paths.file_uri`) when the path cannot be read back from a line
    as it is — readers strip a line's ends, so a name ending in a space is a URI too."""
    from musicsage.library.paths import file_uri, is_file_path, stands_on_a_line, typed_text

    if not stored or not is_file_path(stored):
        return None
    # the stored form, also when given an OS path with escaped bytes; never from_fs of stored
    # text, which a Latin-1 locale made "%E9" of "é" and ASCII refused (similar --m3u crashed)
    stored = typed_text(stored)
    if stands_on_a_line(stored):
        return stored
    return file_uri(stored)


def m3u_text(tracks: Iterable[Mapping], *, name: str | None = None) -> tuple[str, int]:
    """The playlist text and how many tracks it holds. Names and titles are written as
    :func:`~musicsage.library.playlists.append.title_line` writes them into a user's playlist:
    on one line, left out only where their line and the entry's would read as binary data."""
    from musicsage.library.paths import display
    from musicsage.library.playlists.append import title_line

    lines = ["#EXTM3U"]
    if name:
        lines.append(f"#PLAYLIST:{title_line(name, '#EXTM3U #PLAYLIST:')}")
    count = 0
    for t in tracks:
        path = _entry_path(t.get("path") or "")
        if path is None:
            continue
        duration = t.get("duration")
        seconds = int(round(duration)) if isinstance(duration, (int, float)) and duration > 0 else -1
        title = t.get("title") or os.path.splitext(os.path.basename(display(t["path"])))[0]
        label = f"{t['artist']} - {title}" if t.get("artist") else title
        info = f"#EXTINF:{seconds},"
        lines += [info + title_line(label, f"{info}\n{path}"), path]
        count += 1
    return "\n".join(lines) + "\n", count


def write_m3u(path: str | os.PathLike, tracks: Iterable[Mapping], *,
              name: str | None = None, overwrite: bool = False,
              backup_root: Path | None = None) -> Written:
    """Write ``tracks`` (dicts with path, title, artist, duration) to ``path`` atomically.

    Returns how many tracks were written and how many were left out (no audio file). An
    unwritable destination raises :class:`MusicsageError` and leaves any existing file
    untouched, and so does an existing file that is not a playlist this app wrote, unless
    ``overwrite`` says the user agreed to replace it (see
    :func:`_refuse_to_replace_other_files`), and a read-only file whatever ``overwrite``
    says, and a list with tracks none of which has an audio file (:data:`NO_AUDIO_FILE`). A
    playlist of the user's replaced so is first copied to ``backup_root``
    (:func:`_back_up_theirs`). The new file is on disk (fsync) before its name replaces the
    old one's: a power cut then leaves the old playlist or the new, never an empty file.
    """
    data, counts = m3u_bytes(tracks, name=name)
    dest = _expanded(path)
    check_replaceable(dest, overwrite)
    backup = _back_up_theirs(dest, backup_root) if overwrite and backup_root else None
    tmp: str | None = None
    try:
        fd, tmp = temporary_beside(dest)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), _mode_for(dest))
            fh.flush()
            os.fsync(fh.fileno())  # on disk before its name replaces the old playlist's
        os.replace(tmp, dest)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if backup is not None:
            backup.unlink(missing_ok=True)  # ours, and the file it copies is as it was
        raise MusicsageError(f"cannot write playlist {dest}: {exc.strerror or exc}") from exc
    fsync_folder(dest.parent)  # the new name too survives a power cut (never raises)
    if backup is not None:
        from musicsage.library.playlists.backups import prune_backups

        prune_backups(os.fspath(dest), backup_root, backup)
    return Written(counts.tracks, counts.left_out,
                   os.fspath(backup) if backup is not None else None)


def m3u_bytes(tracks: Iterable[Mapping], *, name: str | None = None) -> tuple[bytes, Written]:
    """The playlist's bytes (UTF-8, as M3U8 is) and what they hold, for a file or for stdout
    (``--m3u -``); a list none of whose tracks has an audio file is refused
    (:data:`NO_AUDIO_FILE`)."""
    tracks = list(tracks)
    text, count = m3u_text(tracks, name=name)
    if tracks and not count:
        raise MusicsageError(NO_AUDIO_FILE)
    return text.encode("utf-8"), Written(count, len(tracks) - count)


def _back_up_theirs(dest: Path, backup_root: Path) -> Path | None:
    """Copy the playlist ``dest`` to ``backup_root`` before "Save as playlist" replaces it,
    unless there is nothing to lose (no file, an empty one, one this app wrote): the user
    agreed to replace it, maybe by a slip, and it may be another player's only list. The
    backups are those "Add to playlist" keeps (:mod:`musicsage.library.playlists.backups`);
    one that cannot be made refuses the save, nothing written."""
    from musicsage.library.playlists.backups import backup_copy

    try:
        with open(dest, "rb") as fh:
            data = fh.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # no such file can be there: the write says why
            return None  # ("cannot read playlist … to back it up" named a file never there)
        raise MusicsageError(f"cannot read playlist {dest} to back it up: "
                             f"{exc.strerror or exc}; nothing was written") from exc
    if not data or written_here(data):
        return None
    return backup_copy(data, os.fspath(dest), backup_root)


def _expanded(path: str | os.PathLike) -> Path:
    """``path`` with ``~``/``~user`` expanded; a ``~user`` this system does not know is refused
    in one line (``train --out '~nouser/o'`` ended in "unexpected error (RuntimeError …)")."""
    from musicsage.library.paths import home_expanded

    return home_expanded(path, suffix=" (nothing was written)")


def check_folder_of(path: str | os.PathLike, what: str = "playlist") -> None:
    """Refuse a destination whose folder is not there, in one line that says what to do: the
    write said only "No such file or directory" (``radio`` after building its list). The
    commands (and the window's ``--screenshot``, ``what`` naming the file) call it before any
    work; the folder is never created (a typo would leave a stray folder behind)."""
    dest = _expanded(path)
    folder = dest.parent
    try:
        is_folder = stat.S_ISDIR(os.stat(folder).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        raise MusicsageError(f"cannot write {what} {dest}: the folder {folder} does not exist; "
                             "create it first or choose another path (nothing was written)"
                             ) from None
    except OSError:
        return  # e.g. no permission: the write itself says what is wrong
    if not is_folder:
        raise MusicsageError(f"cannot write {what} {dest}: {folder} is a file, not a folder; "
                             "choose another path (nothing was written)")


PLAYLIST_SUFFIXES = (".m3u", ".m3u8")


def _refuse_to_replace_other_files(dest: Path, overwrite: bool = False) -> None:
    """A destination that exists is replaced only when nothing of the user's is lost: an empty
    file, or a playlist this app wrote (:func:`written_here`) — ``--m3u mine.m3u8`` replaced
    any ``.m3u8``, the user's own playlist or notes under that name included, with no backup.

    ``overwrite``: the user agreed to replace this file (the window's save dialog asks). Any
    playlist is replaced then — an ``.m3u``/``.m3u8`` file, or one that starts like an M3U —
    but no other kind of file: ``song.flac`` chosen by a slip would lose the user's audio."""
    try:
        if dest.is_dir():
            raise MusicsageError(f"cannot write playlist {dest}: it is a folder")
        if dest.exists() and not dest.is_file():  # a device (/dev/null), a pipe, a socket
            raise MusicsageError(f"cannot write playlist {dest}: not a regular file")
        if not dest.exists():
            return
        _refuse_read_only(dest)
        with open(dest, "rb") as fh:
            data = fh.read(MAX_OWN_BYTES + 1)
    except OSError:
        return  # the write itself will report what is wrong with the destination
    if not overwrite:
        if data and not written_here(data):
            raise MusicsageError(f"{dest} exists and is not a playlist musicsage wrote: choose "
                                 "another name (nothing was written)")
        return
    if (data and dest.suffix.lower() not in PLAYLIST_SUFFIXES
            and not data.lstrip(b"\xef\xbb\xbf").startswith(b"#EXTM3U")):
        raise MusicsageError(f"{dest} exists and is not an M3U playlist: not overwritten "
                             "(give a new file or an .m3u8 one)")


def check_replaceable(path: str | os.PathLike, overwrite: bool = False) -> None:
    """Refuse before any work a destination :func:`write_m3u` would refuse
    (:func:`check_folder_of`, :func:`_refuse_to_replace_other_files`: a folder, a read-only
    file, one this app did not write unless ``overwrite``): ``radio``/``similar``/``suggest
    --m3u`` built their whole list first and were refused only then. What cannot be looked
    at is left for the write to judge, as the write's own check leaves it."""
    _refuse_a_folder_name(path)
    _refuse_another_format(path)
    dest = _expanded(path)
    check_folder_of(dest)
    _refuse_to_replace_other_files(dest, overwrite)


def _refuse_a_folder_name(path: str | os.PathLike) -> None:
    """Refuse a name ending in a separator (``--m3u Lists/``, as a shell completes a folder)
    that is no folder: ``Path`` drops the slash, and a file named ``Lists`` was written where
    the user meant a folder (or ``mix.m3u/`` replaced ``mix.m3u``). An existing folder is
    refused as a folder by the checks after this one."""
    text = os.fspath(path)
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    if isinstance(text, str) and text.endswith(separators) and not os.path.isdir(text):
        raise MusicsageError(f"cannot write playlist {text}: a name ending in "
                             f"{text[-1]} names a folder, and there is none; give the "
                             "playlist file's name (nothing was written)")


def _refuse_another_format(path: str | os.PathLike) -> None:
    """Refuse a name with the extension of another playlist format (``--m3u mix.pls``, ``.xspf``):
    M3U8 text was written under it, which no player reads as that format, nor the library's
    scan ("not a PLS playlist"). The window's save dialog adds ``.m3u8`` to such a name."""
    from musicsage.library.playlists.base import format_for
    from musicsage.library.playlists.m3u import M3U

    text = os.fspath(path)
    fmt = format_for(text)
    if fmt is not None and fmt is not M3U:
        stem, ext = os.path.splitext(os.path.basename(text))
        raise MusicsageError(f"cannot write playlist {printable(text)}: it is written as M3U8, "
                             f"which a {printable(ext)} file does not hold (players read it as "
                             f"{fmt.name.upper()}); name it {printable(stem)}.m3u8 (nothing was "
                             "written)")


def _refuse_read_only(dest: Path) -> None:
    """Refuse a destination its owner made read-only (no write bit, or none for us): the
    rename that replaces it needs only the folder's permission, so a playlist the user
    protected was replaced all the same, read-only again after it — the rule "Add to
    playlist" keeps (:func:`musicsage.library.playlists.edit.read_only`)."""
    from musicsage.library.playlists.edit import read_only

    if read_only(dest):
        raise MusicsageError(f"cannot write playlist {dest}: you may not write to it "
                             "(read-only); nothing was written (make it writable or choose "
                             "another name)")


MAX_OWN_BYTES = 64 << 20
"""A longer file is not taken for one of this app's playlists (300,000 entries and more)."""

_EXTINF = re.compile(r"#EXTINF:(-1|[0-9]+),[^\r]*")


def written_here(data: bytes) -> bool:
    """Whether ``data`` is a playlist :func:`m3u_text` wrote, exactly: UTF-8, ``#EXTM3U`` then
    its ``#PLAYLIST:`` name, then an ``#EXTINF`` line before each entry, ``\n`` line ends
    (or ``#EXTM3U`` alone: nothing to lose). Every version of the app wrote that, and named
    each list it saved with entries; a playlist another player or a person wrote is rarely
    that strict (no name, entries without ``#EXTINF``, other directives, CRLF)."""
    if len(data) > MAX_OWN_BYTES or not data.endswith(b"\n"):
        return False
    try:
        lines = data[:-1].decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return False
    if lines[0] != "#EXTM3U":
        return False
    if len(lines) == 1:
        return True
    if not lines[1].startswith("#PLAYLIST:") or "\r" in lines[1] or len(lines) % 2:
        return False
    pairs = zip(lines[2::2], lines[3::2])
    return all(_EXTINF.fullmatch(info) and entry and not entry.startswith("#")
               and "\r" not in entry for info, entry in pairs)


def _mode_for(dest: Path) -> int:
    """The permission bits the playlist gets: those of the file it replaces, else rw-r--r--
    (``mkstemp`` makes its files private, which a playlist is not)."""
    try:
        return stat.S_IMODE(dest.stat().st_mode)
    except OSError:
        return 0o644
