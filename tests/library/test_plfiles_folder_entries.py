"""An entry naming a folder (VLC and mpv play a whole folder from one) says so: it was "no track
in the library at this location", with "if the files moved, scan the folder they are in now",
which sent the user to scan a folder the library may hold already — nothing changed. A file
entry that is not in the library keeps that reason and advice."""

from __future__ import annotations

import pytest
from library_audio import write_audio

from musicsage.library.playlists.resolve import NOT_IN_LIBRARY
from musicsage.usecases.library import scan_library


@pytest.fixture
def scanned(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "Album" / "01 One.wav", seconds=0.2)
    scan_library(ctx, [str(music)])
    lists = tmp_path / "lists"
    lists.mkdir()
    return ctx, music, lists


@pytest.mark.parametrize("entry", ["{music}/Album", "{music}/Album/", "../music/Album",
                                   "..\\music\\Album\\", "file://{music}/Album/"])
def test_an_entry_naming_a_folder_says_so(scanned, entry):
    ctx, music, lists = scanned
    playlist = lists / "folder.m3u"
    playlist.write_text(entry.format(music=music) + "\n", encoding="utf-8")

    report = scan_library(ctx, [], [str(playlist)]).playlists[0]

    assert [u["reason"] for u in report.unresolved] == [
        "a folder, not a track: a folder's tracks are not added from a playlist"]
    warning = report.none_found_warning()
    assert "a folder, not a track" in warning and "if the files moved" not in warning


@pytest.mark.parametrize("entry", ["../music/Album/02 Two.wav", "../music/Gone"])
def test_an_entry_naming_no_file_keeps_its_advice(scanned, entry):
    ctx, music, lists = scanned
    playlist = lists / "gone.m3u"
    playlist.write_text(entry + "\n", encoding="utf-8")

    report = scan_library(ctx, [], [str(playlist)]).playlists[0]

    assert [u["reason"] for u in report.unresolved] == [NOT_IN_LIBRARY]
    assert "if the files moved, scan the folder they are in now" in report.none_found_warning()


@pytest.mark.parametrize("folder, entry", [
    ("Greatest Hits Vol.2", "../music/Greatest Hits Vol.2/"), ("R.E.M", "../music/R.E.M/"),
    ("Op.27", "{music}/Op.27/"), ("Live.2004", "..\\music\\Live.2004\\"),
    ("My Album", "../music/My%20Album/"), ("Under Root", "Under Root/")])
def test_a_folder_with_a_dot_or_under_a_library_root_says_so(ctx, tmp_path, folder, entry):
    """A folder entry ending in a separator whose name holds a dot (``Vol.2/``, ``R.E.M/``),
    one relative to a library root or percent-encoded was looked for only as written, in the
    playlist's folder: each was "no track in the library at this location". (Without its
    separator, ``Vol.2`` reads as a track's extension and is not looked for on disk.)"""
    music = tmp_path / "music"
    write_audio(music / folder / "01 One.wav", seconds=0.2)
    scan_library(ctx, [str(music)])
    lists = tmp_path / "lists"
    lists.mkdir()
    playlist = lists / "folder.m3u"
    playlist.write_text(entry.format(music=music) + "\n", encoding="utf-8")

    report = scan_library(ctx, [], [str(playlist)]).playlists[0]

    assert [u["reason"] for u in report.unresolved] == [
        "a folder, not a track: a folder's tracks are not added from a playlist"]
