"""A folder given as QUERY (``similar``, ``radio``) or PLAYLIST (``suggest``) is refused in
one line whose advice fits what the folder holds of the library: "give one of its audio
files" of a folder never scanned (its files are no tracks: that advice failed again) or of a
folder of playlists (``suggest`` goes with those) misled, and ``suggest FOLDER`` said only
"no playlist matches 'FOLDER' (by id, path or name)"."""

from __future__ import annotations

import pytest
from search_helpers import add_playlist, clustered_vectors, run_cli
from hints_told_support import as_default


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
    return as_default(err, ctx.data_dir).strip()


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


def test_a_music_folder_scanned_through_a_link_holds_its_tracks_by_its_real_path(
        capsys, ctx, tmp_path):
    """``scan ~/Music`` (a link to ``/disk/Music``) stores ``~/Music/…``: the real path
    typed, or a folder holding it, said "holds no track of the library: scan it first" —
    and that scan keeps the link's spelling, so the line never changed."""
    import numpy as np
    import soundfile as sf

    real = tmp_path / "disk" / "Music"
    (real / "album").mkdir(parents=True)
    for i in range(3):
        sf.write(real / "album" / f"song{i}.wav", np.full(800, 0.1 * (i + 1), np.float32), 8000)
    (tmp_path / "Music").symlink_to(real)
    assert run_cli(capsys, ctx, "scan", str(tmp_path / "Music"))[0] == 0
    for folder in (real / "album", real, tmp_path / "disk"):
        assert _line(capsys, ctx, "similar", str(folder)) == (
            f"musicsage similar: {folder} is a folder, not a track: give one of its audio "
            "files, a title or a track id")
    assert _line(capsys, ctx, "similar", str(tmp_path)).endswith(
        "is a folder, not a track: give one of its audio files, a title or a track id")


def test_suggest_given_a_folder_named_in_latin1_says_it_is_one(capsys, ctx, folders):
    """A name's byte that is not UTF-8 (0xE9, "é" in Latin-1): the folder went unseen, and
    ``suggest`` said "no playlist matches 'caf�' (by id, path or name)"."""
    import os

    folder = os.path.join(str(folders), "caf\udce9")
    os.mkdir(folder)
    assert _line(capsys, ctx, "suggest", folder).startswith(
        f"musicsage suggest: {folders}/caf\ufffd is a folder, not a playlist, and holds no "
        "playlist of the library")
    assert _line(capsys, ctx, "similar", folder).startswith(
        f"musicsage similar: {folders}/caf\ufffd is a folder, not a track, and holds no track")


def test_a_playlist_file_named_in_latin1_not_imported_says_to_import_it(capsys, ctx, folders):
    import os

    mix = os.path.join(str(folders), "caf\udce9.m3u")
    with open(mix, "w") as fh:
        fh.write("song.wav\n")
    assert "is not a playlist of the library: import it first" in _line(
        capsys, ctx, "suggest", mix)


@pytest.mark.parametrize("command", [["radio"], ["similar"], ["suggest", "mix", "--add"]])
def test_a_folder_of_playlists_names_no_other_command_as_taking_tracks(capsys, ctx, folders,
                                                                       command):
    """``radio LISTS`` said "`similar` takes an audio file, a title or a track id": another
    command than the one typed."""
    lists = folders / "lists"
    assert _line(capsys, ctx, *command, str(lists)) == (
        f"musicsage {command[0]}: {lists} is a folder of the library's playlists, not a "
        "track: `musicsage suggest PLAYLIST` lists tracks for one of them; a track is given "
        "as an audio file, a title or a track id")
