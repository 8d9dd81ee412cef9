"""``scan --playlists FILE`` given one playlist file that cannot be imported (a broken XSPF, a
FIFO named .m3u, binary data, a file that is no playlist at all) printed a line without the
``musicsage scan:`` prefix and exited 0, as if it had worked. When that file is all the scan
was asked to do, it is refused like any other (one line, exit 1, no library made); among
other playlists or music folders it stays a line of the scan's report, and the rest goes on."""

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
