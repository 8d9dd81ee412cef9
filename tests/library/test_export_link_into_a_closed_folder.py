"""``export DIR`` and ``train --out OUT`` where DIR/OUT is a link into a folder this user may
not open (another user's ``700`` home, ``chmod 000``) said a bare "Permission denied: DIR":
the link's own entry can be seen, so the check for a closed folder above DIR let it through.
They now name where the link leads and the folder in the way, as for a closed folder above
DIR itself; nothing is written."""

from __future__ import annotations

import errno
import os

import pytest

from musicsage.cli import main


def refuse_inside(monkeypatch, inner: str) -> None:
    """``os.lstat`` and ``os.stat`` refuse (EACCES) any path whose real place is inside
    ``inner`` (a folder's path ending in a separator), as a folder closed to this user."""
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


@pytest.fixture
def link_into_closed(tmp_path, monkeypatch):
    """``link`` → ``closed/exp``, ``closed`` acting as a mode-000 folder to a user who is
    not root (root passes any mode, so the refusals are made here): its own entry is seen,
    nothing in it, and a path through it neither."""
    closed = tmp_path / "closed"
    (closed / "exp").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(closed / "exp")
    inner = os.fspath(closed) + os.sep
    refuse_inside(monkeypatch, inner)
    return link, closed


@pytest.fixture
def dataset(tmp_path, capsys):
    """A library exported once to a dataset dir (one that ``train --dataset`` reads)."""
    from music_support import make_music

    music, _playlists, _paths = make_music(tmp_path / "music", n_tracks=3, seed=1)
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(music)]) == 0
    assert main([*argv, "embed", "--model", "spectral"]) == 0
    assert main([*argv, "export", str(tmp_path / "dataset")]) == 0
    capsys.readouterr()
    return argv, tmp_path / "dataset"


def _said(given: str, closed, instead: str) -> str:
    return (f"{given} cannot be reached: it leads to {closed / 'exp'}, and this "
            f"user may not open the folder {closed} above that (Permission denied); get "
            f"access to it, or {instead} (nothing was written)")


def test_export_into_a_link_names_the_folder_in_the_way(dataset, capsys, link_into_closed):
    argv, _src = dataset
    link, closed = link_into_closed

    assert main([*argv, "export", str(link)]) == 1

    err = capsys.readouterr().err.strip()
    assert err == "musicsage export: " + _said(str(link), closed,
                                               "export into another folder")
    assert os.listdir(os.path.realpath(link)) == []  # nothing written (root could)


def test_export_below_a_link_names_the_folder_in_the_way(dataset, capsys, link_into_closed):
    argv, _src = dataset
    link, closed = link_into_closed

    assert main([*argv, "export", str(link / "sub")]) == 1

    err = capsys.readouterr().err.strip()
    assert err == (f"musicsage export: {link / 'sub'} cannot be reached: it leads to "
                   f"{closed / 'exp' / 'sub'}, and this user may not open the folder {closed} "
                   "above that (Permission denied); get access to it, or export into another "
                   "folder (nothing was written)")


def test_train_out_a_link_names_the_folder_in_the_way(dataset, capsys, link_into_closed):
    argv, src = dataset
    link, closed = link_into_closed

    assert main([*argv, "train", "--dataset", str(src), "--out", str(link)]) == 1

    err = capsys.readouterr().err.strip()
    assert err == "musicsage train: " + _said(f"--out {link}", closed,
                                              "choose another --out folder")
