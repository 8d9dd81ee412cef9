"""A playlist's entries that match no track were named once, by the scan that read its file;
after it ``playlists NAME`` said only "1 entry not in the library", its ``--json`` only
``"unresolved": 1``, and ``export`` left them out with no word. A user moving a library
wants to know which entries to mend: each is listed by its place in the file and its text,
the first screenful in text, every one in ``--json`` (``unresolved_entries``); the export
says how many it left out and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from musicsage.cli import main
from musicsage.commands.playlists import SHOWN_UNMATCHED
from music_support import make_music

GONE = "/media/olddrive/Music/Rock Band/99 Nope.flac"
MANY = [f"/media/old/{i:02d} missing.flac" for i in range(SHOWN_UNMATCHED + 5)]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """'Moved Drive': a track, an entry of a drive long gone, a track; 'Old Disk': a track
    and more entries of a gone drive than a screen lists; the six 'Mix N' all found."""
    root = tmp_path_factory.mktemp("unmatched")
    music, lists, paths = make_music(root, n_tracks=4, seconds=0.3)
    found = [f"../music/{p.parent.name}/{p.name}\n" for p in paths]
    (lists / "Moved Drive.m3u").write_text(found[0] + GONE + "\n" + found[1])
    (lists / "Old Disk.m3u").write_text(found[2] + "".join(m + "\n" for m in MANY))
    data = root / "data"
    assert main(["scan", str(music), "--playlists", str(lists), "--data-dir", str(data),
                 "--json"]) == 0
    return data


def test_the_playlist_lists_its_entry_not_in_the_library_by_its_place(library, capsys):
    capsys.readouterr()
    assert main(["playlists", "Moved Drive", "--data-dir", str(library)]) == 0
    out = capsys.readouterr().out.splitlines()

    assert "2 tracks; 1 entry not in the library" in out[0]
    assert out[3] == "not in the library (as the file has them):"
    assert out[4].split() == ["#2", *GONE.split()]
    assert len(out) == 5


def test_json_lists_every_entry_not_in_the_library(library, capsys):
    capsys.readouterr()
    assert main(["playlists", "Old Disk", "--data-dir", str(library), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)

    assert got["playlist"]["unresolved"] == len(MANY)
    assert got["unresolved_entries"] == [{"position": i, "raw": raw}
                                         for i, raw in enumerate(MANY, 2)]


def test_a_long_list_shows_a_screenful_and_says_how_many_more(library, capsys):
    capsys.readouterr()
    assert main(["playlists", "Old Disk", "--data-dir", str(library)]) == 0
    out = capsys.readouterr().out.splitlines()

    shown = [line for line in out if "missing.flac" in line]
    assert shown[0].split() == ["#2", "/media/old/00", "missing.flac"]
    assert len(shown) == SHOWN_UNMATCHED
    assert "… and 5 more" in out[-1] and "--json` lists all" in out[-1]


def test_a_playlist_of_found_tracks_lists_none(library, capsys):
    capsys.readouterr()
    assert main(["playlists", "Mix 1", "--data-dir", str(library), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unresolved_entries"] == []
    assert main(["playlists", "Mix 1", "--data-dir", str(library)]) == 0
    assert "not in the library" not in capsys.readouterr().out


def test_the_export_says_the_entries_it_left_out(library, tmp_path, capsys):
    capsys.readouterr()
    assert main(["export", str(tmp_path / "exp"), "--data-dir", str(library)]) == 0
    err = capsys.readouterr().err

    assert (f"{1 + len(MANY)} playlist entries of 2 playlists match no track of the library "
            "and were not exported") in err
    assert main(["export", str(tmp_path / "exp"), "--data-dir", str(library), "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("were not exported" in note for note in notes)
