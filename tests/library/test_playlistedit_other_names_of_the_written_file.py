"""One playlist file imported under two names — a symlink or a hard link named otherwise (a
player's folder and the user's, say), each a playlist of the library — and edited through one
of them: the other name's playlist is read again too. It kept the entries from before the
write (the window listed a removed track, or lacked an added one, under that name), and an
add or remove through it was refused with "changed on disk since it was imported; re-scan
it", for musicsage's own write."""

from __future__ import annotations

import os

import pytest
from playlist_support import playlist_library

from musicsage.usecases.library import list_playlists, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist, remove_from_playlist


@pytest.fixture(params=["symlink", "hard link"])
def two_names(request, ctx, tmp_path):
    """``(ctx, ids, the file's playlist id, the other name's id)``: One and Two listed."""
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    mix = lists / "Mix.m3u8"
    mix.write_text("#EXTM3U\n../music/A/One.wav\n../music/A/Two.wav\n", encoding="utf-8")
    other = lists / "Road trip.m3u8"
    (os.symlink if request.param == "symlink" else os.link)(mix, other)
    scan_library(ctx, [], [str(mix)])  # then, another day, the other folder's name of it
    scan_library(ctx, [], [str(other)])
    by_name = {p.name: p.id for p in list_playlists(ctx)}
    assert set(by_name) == {"Mix", "Road trip"}, "two playlists of the library"
    return ctx, ids, by_name["Mix"], by_name["Road trip"]


def test_a_removal_is_read_back_under_the_other_name(two_names):
    ctx, ids, mix, other = two_names
    remove_from_playlist(ctx, mix, [ids["A/Two.wav"]])
    assert playlist_track_ids(ctx, other) == [ids["A/One.wav"]]
    report = remove_from_playlist(ctx, other, [ids["A/One.wav"]])  # not "changed on disk"
    assert [r["track_id"] for r in report.removed] == [ids["A/One.wav"]]
    assert playlist_track_ids(ctx, mix) == []


def test_an_add_is_read_back_under_the_other_name(two_names):
    ctx, ids, mix, other = two_names
    add_to_playlist(ctx, mix, [ids["C/Five.wav"]])
    assert playlist_track_ids(ctx, other) == [ids[n] for n in
                                              ("A/One.wav", "A/Two.wav", "C/Five.wav")]
    report = add_to_playlist(ctx, other, [ids["B/Three.wav"]])
    assert report.added == [ids["B/Three.wav"]]
    assert playlist_track_ids(ctx, mix)[-1] == ids["B/Three.wav"]
