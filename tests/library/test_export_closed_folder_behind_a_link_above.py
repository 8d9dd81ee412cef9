"""``export DIR`` where DIR is a plain folder under a closed one, reached through a link
higher up (``/home`` → ``/var/home`` on Fedora Atomic), was told "it leads to /var/home/…",
as if DIR were itself a link. The folder in the way is named as DIR spells it, in the words
for a closed folder above DIR; a DIR that is a link keeps saying where it leads."""

from __future__ import annotations

import os

import pytest
from test_export_link_into_a_closed_folder import refuse_inside

from musicsage.cli import main


@pytest.fixture
def behind_a_link(tmp_path, monkeypatch):
    """``up`` → ``real``, ``real/closed`` acting as a mode-700 folder of another user to a
    user who is not root (root passes any mode, so the refusals are made here)."""
    (tmp_path / "real" / "closed" / "exp").mkdir(parents=True)
    (tmp_path / "up").symlink_to(tmp_path / "real")
    inner = os.fspath(tmp_path / "real" / "closed") + os.sep
    refuse_inside(monkeypatch, inner)
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
