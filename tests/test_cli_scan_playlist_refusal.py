"""``scan --playlists FILE`` given one playlist file that cannot be imported (a broken XSPF, a
FIFO named .m3u, binary data, a file that is no playlist at all) printed a line without the
``musicsage scan:`` prefix and exited 0, as if it had worked. When that file is all the scan
was asked to do, it is refused like any other (one line, exit 1, no library made); among
other playlists or music folders it stays a line of the scan's report, and the rest goes on.
A player's library file (iTunes ``Library.xml``, Rhythmbox ``playlists.xml``) that cannot be
read follows the same rule: given alone it was a warning and exit 0."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.cli import main

BROKEN = {
    "broken.xspf": (b"<playlist><trackList><track>", "not a valid XSPF file"),
    "binary.m3u": (b"x\0\0\1\2", "not a playlist: binary data"),
    "songs.txt": (b"song.wav\n", "not a playlist file (extension not one of .m3u .m3u8 "
                                 ".pls .xspf)"),
    "pipe.m3u": (None, "not a regular file (a FIFO, device or folder)"),
    "Library.xml": (b'<?xml version="1.0"?>\n<plist version="1.0"><dict><key>Playlists</key>'
                    b"<array><dict>", "not a readable iTunes/Music library ("),
    "NoPlaylists.xml": (b'<?xml version="1.0"?>\n<plist version="1.0"><dict><key>Tracks</key>'
                        b"<dict></dict></dict></plist>",
                        "a property list, but not an iTunes/Music library (no Playlists)"),
    "playlists.xml": (b'<?xml version="1.0"?>\n<rhythmdb-playlists><playlist name="x" '
                      b'type="static"><location>file:///a', "not a valid Rhythmbox playlists "
                                                            "file ("),
}


def bad_playlist(folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    data = BROKEN[name][0]
    os.mkfifo(path) if data is None else path.write_bytes(data)  # a FIFO: reading it blocks
    return path


def scan(data: Path, *args) -> int:
    return main(["scan", *map(str, args), "--data-dir", str(data)])


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_lone_playlist_that_cannot_be_imported_is_refused(tmp_path, capsys, name, as_json):
    path = bad_playlist(tmp_path / "lists", name)
    data = tmp_path / "new-library"

    code = scan(data, "--playlists", path, *(["--json"] if as_json else []))

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"musicsage scan: {path}: {BROKEN[name][1]}")
    assert not data.exists(), "a refused scan starts no library"


def test_among_other_playlists_a_broken_one_is_reported_and_the_rest_imported(tmp_path,
                                                                              capsys):
    lists = tmp_path / "lists"
    broken = bad_playlist(lists, "broken.xspf")
    good = lists / "good.m3u"
    good.write_text(f"{tmp_path / 'song.wav'}\n", encoding="utf-8")
    data = tmp_path / "data"

    assert scan(data, "--playlists", broken, good) == 0
    assert scan(data, "--playlists", lists) == 0, "a folder of playlists is several too"

    out, err = capsys.readouterr()
    assert f"playlist {broken}: not a valid XSPF file" in err
    assert "musicsage scan:" not in err and "playlist 'good' (m3u): 1 entry" in out
    assert main(["stats", "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["playlists"]["total"] == 1


def test_beside_a_music_folder_a_broken_playlist_is_a_line_of_the_report(tmp_path, capsys):
    music = tmp_path / "music"
    music.mkdir()
    sf.write(music / "song.wav", 0.2 * np.sin(np.arange(22050) / 10.0), 22050)
    broken = bad_playlist(tmp_path / "lists", "pipe.m3u")

    assert scan(tmp_path / "data", music, "--playlists", broken) == 0

    out, err = capsys.readouterr()
    assert "scanned 1 audio file" in out and f"playlist {broken}: not a regular file" in err


def itunes_library(path: Path, song: Path) -> Path:
    """A Library.xml with the whole library (skipped: the player's own list) and one playlist."""
    import plistlib

    tracks = {"1": {"Track ID": 1, "Name": "Song", "Location": song.as_uri()}}
    lists = [{"Name": "Library", "Master": True, "Playlist Persistent ID": "M",
              "Playlist Items": [{"Track ID": 1}]},
             {"Name": "Mine", "Playlist Persistent ID": "P1", "Playlist Items": [{"Track ID": 1}]}]
    path.write_bytes(plistlib.dumps({"Tracks": tracks, "Playlists": lists}))
    return path


def test_a_lone_player_library_that_reads_is_imported_and_read_once(tmp_path, capsys,
                                                                    monkeypatch):
    """What its reader skips (the player's own lists) is a line of the report, not a refusal;
    the check reads the file, and the scan takes what it read (a large Library.xml takes
    seconds to parse) instead of reading it again."""
    from dataclasses import replace

    from musicsage.library.playlists import PLAYER_FORMATS

    itunes = PLAYER_FORMATS["itunes"]
    reads = []
    monkeypatch.setitem(PLAYER_FORMATS, "itunes", replace(
        itunes, read=lambda fs_path: reads.append(fs_path) or itunes.read(fs_path)))
    path = itunes_library(tmp_path / "Library.xml", tmp_path / "song.wav")

    assert scan(tmp_path / "data", "--playlists", path) == 0

    out, err = capsys.readouterr()
    assert "playlist 'Mine' (itunes): 1 entry, 0 resolved, 1 unresolved" in out
    assert "'Library' skipped: the whole library" in err and "musicsage scan:" not in err
    assert reads == [str(path)]


def test_beside_a_playlist_a_broken_player_library_is_a_line_of_the_report(tmp_path, capsys):
    broken = bad_playlist(tmp_path / "lists", "Library.xml")
    good = tmp_path / "lists" / "good.m3u"
    good.write_text(f"{tmp_path / 'song.wav'}\n", encoding="utf-8")

    assert scan(tmp_path / "data", "--playlists", broken, good) == 0

    out, err = capsys.readouterr()
    assert f"playlist {broken}: not a readable iTunes/Music library" in err
    assert "musicsage scan:" not in err and "playlist 'good' (m3u): 1 entry" in out
