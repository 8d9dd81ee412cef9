"""Playlist files inside a scanned music folder: a scan does not import them (rippers leave an
album.m3u in every album folder) but says so, with the command that imports them — a user's
``Road trip.m3u`` there was ignored in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.controllers.summaries import describe_scan
from musicsage.usecases.library import scan_library


@pytest.fixture
def my_music(tmp_path: Path) -> Path:
    """``My Music`` with a track, ``Road trip.m3u``, an album's list and macOS litter."""
    music = tmp_path / "My Music"
    write_audio(music / "Album/a.wav", seconds=0.1)
    (music / "Road trip.m3u").write_text("Album/a.wav\n")
    (music / "Album/album.m3u").write_text("a.wav\n")
    (music / "._Road trip.m3u").write_bytes(b"\0\5\0")
    return music


def test_a_scan_counts_the_playlist_files_it_did_not_import(ctx, my_music):
    rep = scan_library(ctx, [my_music])
    assert rep.playlists == [] and rep.playlist_files == [
        str(my_music / "Road trip.m3u"), str(my_music / "Album/album.m3u")]
    assert rep.to_dict()["playlist_files_not_read"] == {
        "count": 2, "examples": rep.playlist_files, "folders": [str(my_music)]}
    assert describe_scan(rep) == ("Scan finished: 1 new; 2 playlist files found, not imported "
                                  "('Road trip.m3u' and 'album.m3u'): File › Import playlists…")
    again = scan_library(ctx)  # a plain re-scan counts them, and does not say it every time
    assert len(again.playlist_files) == 2 and describe_scan(again) == (
        "Scan finished: nothing changed")


def test_playlist_files_imported_before_or_now_are_not_counted(ctx, my_music):
    rep = scan_library(ctx, [my_music], [my_music / "Road trip.m3u"])
    assert [p.name for p in rep.playlists] == ["Road trip"]
    assert rep.playlist_files == [str(my_music / "Album/album.m3u")]
    assert describe_scan(scan_library(ctx, [my_music])) == (
        "Scan finished: nothing changed; 1 playlist file found, not imported ('album.m3u'): "
        "File › Import playlists…")
    scan_library(ctx, [], [my_music])
    rep = scan_library(ctx, [my_music])
    assert rep.playlist_files == [] and describe_scan(rep) == "Scan finished: nothing changed"


def test_the_cli_names_one_and_the_command_that_imports_them(data_dir, my_music, capsys):
    assert main(["scan", str(my_music), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (f"2 playlist files in the music folders were not imported "
                       f"(e.g. '{my_music}/Road trip.m3u'): to import them, "
                       f"`musicsage --data-dir {data_dir} scan --playlists '{my_music}'`")
    assert main(["scan", "--data-dir", str(data_dir)]) == 0  # a plain re-scan: not again
    assert "playlist file" not in capsys.readouterr().out
    assert main(["scan", str(my_music), "--json", "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["playlist_files_not_read"]["count"] == 2
    (my_music / "Album/album.m3u").unlink()
    assert main(["scan", str(my_music), "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"1 playlist file in the music folders was not imported ('{my_music}/Road trip.m3u'): "
        f"to import it, `musicsage --data-dir {data_dir} scan --playlists "
        f"'{my_music}/Road trip.m3u'`")


def test_a_playlist_file_refused_before_is_not_offered_for_import(data_dir, my_music, capsys):
    """Binary junk named ``Broken.m3u`` is refused as a playlist (an error, counted by
    ``stats``); a later scan of the folder still told to import it, which only fails again."""
    (my_music / "Broken.m3u").write_bytes(bytes(range(256)) * 8)
    scan = ["scan", str(my_music), "--data-dir", str(data_dir)]
    assert main([*scan, "--playlists", str(my_music / "Broken.m3u")]) == 0
    assert "not a playlist: binary data" in capsys.readouterr().err
    assert main(scan) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"2 playlist files in the music folders were not imported "
        f"(e.g. '{my_music}/Road trip.m3u'): to import them, "
        f"`musicsage --data-dir {data_dir} scan --playlists '{my_music}'`")
    assert main([*scan, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["playlist_files_not_read"]
    assert listed["count"] == 2 and str(my_music / "Broken.m3u") not in listed["examples"]
