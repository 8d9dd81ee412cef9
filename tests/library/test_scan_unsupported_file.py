"""``scan`` given one file of a format it cannot read, and the paths of ``scan --json``.

``scan song.ape`` said the file "is neither a folder nor an audio file", which it is: a user
with Monkey's Audio rips read it as a broken file. It now says the format is not supported in
the words a folder scan's skipped-formats note uses. ``scan --json``'s ``roots`` and each
imported playlist's ``path`` had no URI beside them, unlike every other path in JSON output: a
folder or playlist whose name is not UTF-8 was named only by its U+FFFD form, which names no
file (docs/cli.md, "Paths in JSON").
"""

from __future__ import annotations

import json
import os
from urllib.parse import unquote_to_bytes

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.walk import skipped_formats_text


@pytest.mark.parametrize("ext", [".ape", ".mpc", ".dsf"])
def test_one_file_of_an_unsupported_format(tmp_path, capsys, ext):
    song = tmp_path / f"song{ext}"
    song.write_bytes(b"\0" * 4096)
    assert main(["scan", str(song), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err.strip()
    why = skipped_formats_text({ext: 1}).partition(" skipped: ")[2]
    assert err == f"musicsage scan: {song}: {why}; nothing was scanned"
    assert "neither a folder nor an audio file" not in err


def test_other_files_are_still_neither(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    assert main(["scan", str(notes), "--data-dir", str(tmp_path / "data")]) == 1
    assert "is neither a folder nor an audio file" in capsys.readouterr().err


def _odd_folder(tmp_path) -> bytes:
    folder = os.path.join(os.fsencode(tmp_path), b"caf\xe9 #1")
    try:
        os.makedirs(folder)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses a file name that is not UTF-8")
    return folder


def test_json_roots_and_playlists_have_uris(tmp_path, capsys):
    folder = _odd_folder(tmp_path)
    write_audio(os.path.join(folder, b"a.wav"))
    playlist = os.path.join(folder, b"mix \xff.m3u8")
    with open(playlist, "wb") as fh:
        fh.write(b"#EXTM3U\na.wav\n")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["scan", os.fsdecode(folder), "--playlists", os.fsdecode(playlist), "--json",
                 *data]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["roots"] == [os.fsdecode(folder).replace("\udce9", "\ufffd")]
    [root_uri] = out["root_uris"]
    assert root_uri.isascii() and unquote_to_bytes(root_uri[len("file://"):]) == folder
    [pl] = out["playlists"]
    assert list(pl)[:2] == ["path", "uri"] and "\ufffd" in pl["path"]
    assert unquote_to_bytes(pl["uri"][len("file://"):]) == playlist
    assert pl["resolved"] == 1
