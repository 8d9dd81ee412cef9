"""Odd places in a music folder: folders a scan can list but not look into (nested past the
system's path limit, inside a folder without its ``x`` bit), and paths given to scan that
cannot be reached (a loop of links, a link to nowhere, a folder that cannot be listed).
Each is said in one line; no track is lost or marked missing for it."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library import scan as scan_mod
from musicsage.library.scan import resolve_roots, scan_roots

PATH_MAX = 4096


def scan(conn, *roots):
    return scan_roots(conn, resolve_roots(roots, music=True))


def status(conn, path) -> str:
    return q.track_by_path(conn, P.from_fs(str(path)))["status"]


def nest_past_the_path_limit(folder: Path, song: Path) -> str:
    """Folders of 200-byte names under ``folder`` until the path passes PATH_MAX, ``song``
    moved into the deepest one (made through folder handles: no path that long can be
    opened). Returns the path of the first folder that cannot be opened by its path."""
    name = "d" * 200
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    path, first_too_long = str(folder), None
    try:
        while len(os.fsencode(path)) <= PATH_MAX + 100:
            os.mkdir(name, dir_fd=fd)
            path = os.path.join(path, name)
            if first_too_long is None and len(os.fsencode(path)) > PATH_MAX - 1:
                first_too_long = path
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.rename(song, "deep.wav", dst_dir_fd=fd)
    finally:
        os.close(fd)
    return first_too_long


def test_a_folder_nested_past_the_path_limit_is_said_not_skipped_silently(conn, music,
                                                                          tmp_path):
    write_audio(music / "near.wav")
    too_long = nest_past_the_path_limit(music, write_audio(tmp_path / "deep.wav"))
    rep = scan(conn, music)
    assert rep.added == 1
    reasons = dict(rep.errors)
    assert too_long in reasons, rep.errors  # it was passed over without a word
    assert reasons[too_long].startswith("cannot open: ")
    assert "bytes, more than the system lets a program open" in reasons[too_long]
    assert [r["path"] for r in q.list_errors(conn, "scan")] == [P.from_fs(too_long)]


class _Unexaminable:
    """A listed entry ``stat`` cannot look at, as in a folder that lost its ``x`` bit (the
    tests run as root, whom modes do not stop)."""

    def __init__(self, entry: os.DirEntry) -> None:
        self._entry, self.name, self.path = entry, entry.name, entry.path

    def stat(self, *, follow_symlinks: bool = True):
        raise PermissionError(errno.EACCES, "Permission denied", self.path)

    def is_symlink(self) -> bool:
        return False

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return self._entry.is_dir(follow_symlinks=False)  # the listing's own type


def test_a_folder_without_its_x_bit_keeps_its_tracks(conn, music, monkeypatch):
    """A folder one may list but not enter: its files and subfolders cannot be examined.
    Its subfolder was skipped without a word and every track there marked missing."""
    inner = write_audio(music / "noexec" / "sub" / "a.wav")
    direct = write_audio(music / "noexec" / "b.wav")
    write_audio(music / "c.wav")
    assert scan(conn, music).added == 3
    real_scandir = os.scandir

    def scandir(path="."):
        if not os.fsdecode(path).endswith("noexec"):
            return real_scandir(path)
        with real_scandir(path) as it:
            return contextlib.nullcontext([_Unexaminable(e) for e in it])

    monkeypatch.setattr(scan_mod.os, "scandir", scandir)
    rep = scan(conn, music)
    reasons = dict(rep.errors)
    assert reasons[str(music / "noexec" / "sub")] == "cannot open: Permission denied"
    assert reasons[str(direct)] == "cannot open: Permission denied"
    assert rep.missing == 0
    assert status(conn, inner) == status(conn, direct) == "present"


def test_a_loop_of_links_and_a_link_to_nowhere_are_named_as_such(tmp_path):
    os.symlink("b.wav", tmp_path / "a.wav")
    os.symlink("a.wav", tmp_path / "b.wav")
    os.symlink("/nonexistent/song.wav", tmp_path / "dangling.wav")
    with pytest.raises(MusicsageError, match=r"a\.wav is a loop of symbolic links"):
        resolve_roots([tmp_path / "a.wav"])
    with pytest.raises(MusicsageError, match=r"dangling\.wav is a symbolic link to "
                                             r"/nonexistent/song\.wav, which does not exist"):
        resolve_roots([tmp_path / "dangling.wav"])
    with pytest.raises(MusicsageError, match="^no such file or folder: "):
        resolve_roots([tmp_path / "typo.wav"])  # a plain typo still reads as one


def test_a_music_folder_that_cannot_be_listed_is_refused_before_it_is_remembered(
        conn, music, monkeypatch):
    """It was remembered as a music folder of a new library, and the scan said "0 audio
    files" with exit 0; an unreadable audio FILE given is refused the same way."""
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fsdecode(path) == str(music):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(scan_mod.os, "scandir", scandir)
    with pytest.raises(MusicsageError, match="cannot be read: cannot list folder: Permission "
                                             "denied; nothing was scanned"):
        resolve_roots([music], music=True)
    assert q.library_roots(conn) == []
