"""What ``scan`` makes of the paths it is given, and the one line it says when it cannot use
them: a trailing space shown, ``~`` and ``file://`` URIs read as the shell and a file manager
mean them, an empty playlist folder and an unreadable music folder said with exit 1 (a
folder holding a player's library file, or one that cannot be listed, is not empty), under
``--watch`` too."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import pytest
from library_audio import write_audio
from player_files import write_rhythmbox, write_strawberry

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library import walk
from musicsage.library.playlists import no_playlists_in
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


def test_a_folder_holding_a_players_library_is_not_empty(tmp_path, capsys):
    """``--playlists ~/.local/share/rhythmbox`` holds playlists.xml alone: it was refused as
    holding no playlist file; a Strawberry folder beside a music folder was imported and
    said to hold none all the same (when the player skipped no list of it)."""
    music, rhythmbox, strawberry = tmp_path / "Music", tmp_path / "rb", tmp_path / "sb"
    write_audio(music / "a.wav")
    rhythmbox.mkdir()
    write_rhythmbox(rhythmbox / "playlists.xml", [("Road trip", [music / "a.wav"])])
    strawberry.mkdir()
    write_strawberry(strawberry / "strawberry.db", [("Drive", [music / "a.wav"])])
    with closing(sqlite3.connect(strawberry / "strawberry.db")) as db, db:
        db.execute("DELETE FROM playlists WHERE dynamic_playlist_type IS NOT NULL")
    assert not no_playlists_in(str(rhythmbox)) and not no_playlists_in(str(strawberry))
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["scan", "--playlists", str(rhythmbox), *data]) == 0
    out, err = capsys.readouterr()
    assert "'Road trip'" in out and "no playlist files" not in err
    assert main(["scan", str(music), "--playlists", str(strawberry), *data]) == 0
    out, err = capsys.readouterr()
    assert "'Drive'" in out and "no playlist files" not in err


def test_a_playlist_folder_that_cannot_be_listed_is_not_empty(tmp_path, monkeypatch, capsys):
    """The scan says it cannot list the folder; it is not refused as holding nothing (by
    monkeypatch: root reads a folder without permissions)."""
    empty, unread = tmp_path / "empty", tmp_path / "unread"
    empty.mkdir()
    unread.mkdir()
    assert no_playlists_in(str(empty)) and not no_playlists_in(str(tmp_path / "nowhere"))
    _unlistable(monkeypatch, unread)
    assert not no_playlists_in(str(unread))
    main(["scan", "--playlists", str(unread), "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert "cannot list folder: Permission denied" in err and "no playlist files" not in err


def test_plain_scan_of_an_unreadable_folder_fails(tmp_path, monkeypatch, capsys):
    music = tmp_path / "music"
    write_audio(music / "a.wav")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["scan", str(music), *data]) == 0
    _unlistable(monkeypatch, music)
    assert main(["scan", *data]) == 1
    assert "cannot list folder: Permission denied" in capsys.readouterr().err


def test_a_watch_says_the_same_and_never_watches_folders_it_cannot_list(tmp_path, monkeypatch,
                                                                          capsys):
    """``scan --watch`` skipped both: the empty playlist folder went unsaid, and a watch of
    music folders that cannot be listed sat there seeing nothing, exit 0 on Ctrl-C."""
    from musicsage.commands import watching

    music, empty, pls = tmp_path / "music", tmp_path / "empty", tmp_path / "pls"
    write_audio(music / "a.wav")
    empty.mkdir()
    pls.mkdir()
    (pls / "a.m3u").write_text(str(music / "a.wav") + "\n")
    watched = []
    monkeypatch.setattr(watching, "watch", lambda args, ctx: watched.append(args) or 0)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["scan", str(music), "--playlists", str(pls), str(empty), "--watch", *data]) == 0
    assert f"no playlist files in {empty}" in capsys.readouterr().err and len(watched) == 1
    _unlistable(monkeypatch, music)  # the library's folder (a named one is refused before)
    assert main(["scan", "--watch", *data]) == 1
    err = capsys.readouterr().err
    assert "cannot list folder" in err and "nothing to watch" in err and len(watched) == 1


def test_a_huge_unresolved_entry_is_cut(tmp_path, capsys):
    (tmp_path / "long.m3u").write_text("/" + "x" * 100_000 + ".wav\n/b.wav\n")
    assert main(["scan", "--playlists", str(tmp_path / "long.m3u"),
                 "--data-dir", str(tmp_path / "data")]) == 0
    line = next(t for t in capsys.readouterr().out.splitlines() if "unresolved #1" in t)
    assert len(line) < 300 and "…" in line


def _unlistable(monkeypatch, folder) -> None:
    """``folder`` cannot be listed (as without read permission, which root ignores)."""
    real = os.scandir

    def refusing(path="."):
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(walk.os, "scandir", refusing)
