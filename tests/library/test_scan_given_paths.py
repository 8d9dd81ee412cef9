"""What ``scan`` makes of the paths it is given, and the one line it says when it cannot use
them: a trailing space shown, ``~`` and ``file://`` URIs read as the shell and a file manager
mean them, an empty playlist folder and an unreadable music folder said with exit 1."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library import walk
from musicsage.library.scan import resolve_roots


def test_trailing_space_is_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "music").mkdir()
    with pytest.raises(MusicsageError, match=r"no such file or folder: '.*/music '$"):
        resolve_roots(["music "])


def test_quoted_tilde_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Music").mkdir()
    assert resolve_roots(["~/Music"], music=True) == [str(tmp_path / "Music")]


def test_local_file_uri_is_its_path(tmp_path):
    (tmp_path / "sub dir").mkdir()
    uri = "file://" + str(tmp_path).replace(" ", "%20") + "/sub%20dir"
    assert resolve_roots([uri], music=True) == [str(tmp_path / "sub dir")]
    assert resolve_roots(["file://localhost" + str(tmp_path)]) == [str(tmp_path)]
    with pytest.raises(MusicsageError, match="names a file on another machine"):
        resolve_roots(["file://nas/share/music"])


def test_empty_playlist_folder_is_said(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["scan", "--playlists", str(tmp_path / "empty"), *data]) == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage scan: no playlist files in {tmp_path / 'empty'}; nothing was scanned")
    assert not (tmp_path / "data").exists(), "a library was made for nothing"
    (tmp_path / "pls").mkdir()
    (tmp_path / "pls" / "a.m3u").write_text("/nowhere.wav\n")
    assert main(["scan", "--playlists", str(tmp_path / "pls"), str(tmp_path / "empty"),
                 *data]) == 0  # one folder with a playlist: the scan did something
    assert f"no playlist files in {tmp_path / 'empty'}" in capsys.readouterr().err


def test_plain_scan_of_an_unreadable_folder_fails(tmp_path, monkeypatch, capsys):
    music = tmp_path / "music"
    write_audio(music / "a.wav")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["scan", str(music), *data]) == 0
    real = os.scandir

    def refusing(path="."):
        if os.fspath(path) == str(music):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(walk.os, "scandir", refusing)
    assert main(["scan", *data]) == 1
    assert "cannot list folder: Permission denied" in capsys.readouterr().err


def test_a_huge_unresolved_entry_is_cut(tmp_path, capsys):
    (tmp_path / "long.m3u").write_text("/" + "x" * 100_000 + ".wav\n/b.wav\n")
    assert main(["scan", "--playlists", str(tmp_path / "long.m3u"),
                 "--data-dir", str(tmp_path / "data")]) == 0
    line = next(t for t in capsys.readouterr().out.splitlines() if "unresolved #1" in t)
    assert len(line) < 300 and "…" in line
