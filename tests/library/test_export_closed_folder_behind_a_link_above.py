"""``export DIR`` where DIR is a plain folder under a closed one, reached through a link
higher up (``/home`` → ``/var/home`` on Fedora Atomic), was told "it leads to /var/home/…",
as if DIR were itself a link. The folder in the way is named as DIR spells it, in the words
for a closed folder above DIR; a DIR that is a link keeps saying where it leads."""

from __future__ import annotations

import errno
import os

import pytest

from musicsage.cli import main


@pytest.fixture
def behind_a_link(tmp_path, monkeypatch):
    """``up`` → ``real``, ``real/closed`` acting as a mode-700 folder of another user to a
    user who is not root (root passes any mode, so the refusals are made here)."""
    (tmp_path / "real" / "closed" / "exp").mkdir(parents=True)
    (tmp_path / "up").symlink_to(tmp_path / "real")
    inner = os.fspath(tmp_path / "real" / "closed") + os.sep
    busy: list[bool] = []

    def refusing(real, follow: bool):
        def call(path, *args, **kwargs):
            if busy or not isinstance(path, (str, bytes, os.PathLike)):
                return real(path, *args, **kwargs)
            busy.append(True)  # realpath looks with os.lstat too: with the real one here
            try:
                name = os.path.abspath(os.fsdecode(os.fspath(path)))
                where = os.path.join(os.path.realpath(os.path.dirname(name)),
                                     os.path.basename(name))
                if follow and kwargs.get("follow_symlinks", True):
                    where = os.path.realpath(name)
            finally:
                busy.clear()
            if where.startswith(inner):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "lstat", refusing(os.lstat, follow=False))
    monkeypatch.setattr(os, "stat", refusing(os.stat, follow=True))
    return tmp_path / "up" / "closed"


@pytest.fixture
def library(tmp_path, capsys) -> list[str]:
    """A library with vectors to export (made before any refusal is in place)."""
    from music_support import make_music

    music, _playlists, _paths = make_music(tmp_path / "music", n_tracks=3, seed=1)
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(music)]) == 0
    assert main([*argv, "embed", "--model", "spectral"]) == 0
    capsys.readouterr()
    return argv


def test_a_closed_folder_behind_a_link_above_is_named_as_spelled(library, capsys,
                                                                  behind_a_link):
    closed = behind_a_link

    assert main([*library, "export", str(closed / "exp")]) == 1

    assert capsys.readouterr().err.strip() == (
        f"musicsage export: {closed / 'exp'} cannot be reached: this user may not open the "
        f"folder {closed} above it (Permission denied); get access to it, or export into "
        "another folder (nothing was written)")
