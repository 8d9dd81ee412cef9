"""A folder given as QUERY (``similar``, ``radio``) or PLAYLIST (``suggest``) is refused in
one line whose advice fits what the folder holds of the library: "give one of its audio
files" of a folder never scanned (its files are no tracks: that advice failed again) or of a
folder of playlists (``suggest`` goes with those) misled, and ``suggest FOLDER`` said only
"no playlist matches 'FOLDER' (by id, path or name)"."""

from __future__ import annotations

import pytest
from search_helpers import add_playlist, clustered_vectors, run_cli


@pytest.fixture
def folders(library, tmp_path):
    """The library's music under ``music/``, its playlist under ``lists/``, and ``other/``,
    a folder the library knows nothing of."""
    library.add(6)
    library.embed(clustered_vectors(6))
    add_playlist(library.conn, str(tmp_path / "lists" / "mix.m3u"), "mix", library.ids[:3])
    library.conn.commit()
    for name in ("music/artist0", "lists", "other"):
        (tmp_path / name).mkdir(parents=True)
    return tmp_path


def _line(capsys, ctx, *args) -> str:
    rc, out, err = run_cli(capsys, ctx, *args)
    assert (rc, out) == (1, ""), err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


@pytest.mark.parametrize("command", ["similar", "radio"])
def test_a_folder_of_tracks_is_told_to_give_one_of_its_files(capsys, ctx, folders, command):
    for folder in (folders / "music", folders / "music" / "artist0"):
        assert _line(capsys, ctx, command, str(folder)) == (
            f"musicsage {command}: {folder} is a folder, not a track: give one of its audio "
            "files, a title or a track id")


@pytest.mark.parametrize("command", ["similar", "radio"])
def test_a_folder_the_library_never_scanned_is_told_to_be_scanned(capsys, ctx, folders,
                                                                  command):
    other = folders / "other"
    assert _line(capsys, ctx, command, str(other)) == (
        f"musicsage {command}: {other} is a folder, not a track, and holds no track of the "
        f"library: scan it first (`musicsage scan {other}`), then give one of its audio "
        "files, a title or a track id")


def test_a_folder_of_playlists_is_sent_to_suggest(capsys, ctx, folders):
    line = _line(capsys, ctx, "similar", str(folders / "lists"))
    assert line.startswith(f"musicsage similar: {folders / 'lists'} is a folder of the "
                           "library's playlists, not a track: `musicsage suggest PLAYLIST`")
    assert "audio files" not in line


def test_suggest_given_a_folder_says_it_is_one(capsys, ctx, folders):
    lists, other = folders / "lists", folders / "other"
    assert _line(capsys, ctx, "suggest", str(lists)) == (
        f"musicsage suggest: {lists} is a folder, not a playlist: give one of its playlist "
        "files, a playlist's name or id (`musicsage playlists` lists them)")
    assert _line(capsys, ctx, "suggest", str(other)) == (
        f"musicsage suggest: {other} is a folder, not a playlist, and holds no playlist of "
        "the library: give a playlist file, a playlist's name or id (`musicsage playlists` "
        f"lists them; `musicsage scan --playlists {other}` imports the playlist files in it)")
