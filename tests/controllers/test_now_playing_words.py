"""The player bar's line and tooltip for the playing track, worded outside the widget: the
title and artist, else the file's name (the whole path took the title's room), and the path
as the window shows a stored one (an OS path's lone surrogates read as their text)."""

from __future__ import annotations

from musicsage.controllers.now_playing import now_playing


def test_the_line_names_title_and_artist_and_the_tooltip_adds_the_path():
    assert now_playing("/music/a.flac", "Night", "Band") == (
        "Night — Band", "Night — Band\n/music/a.flac")
    assert now_playing("/music/a.flac", "Night") == ("Night", "Night\n/music/a.flac")


def test_a_track_without_tags_is_named_by_its_file_not_its_whole_path():
    line, tip = now_playing("/home/me/Music/Some Album/07 untitled.flac")
    assert line == "07 untitled.flac"
    assert tip == "07 untitled.flac\n/home/me/Music/Some Album/07 untitled.flac"


def test_an_os_path_of_a_non_utf8_session_reads_as_its_text():
    line, tip = now_playing("/music/Caf\udcc3\udca9.wav")
    assert line == "Café.wav"
    assert tip.endswith("/music/Café.wav")
