"""An add through one name of a playlist file imported under two names (a symlink or a hard
link named otherwise) whose entry does not read back: the file is put back — rewritten, so
with a new time — and the other name's playlist is read again too (task fix_playlistedit).
Only the edited name's was: the other kept the old size and time, and the next add or remove
through it was refused "changed on disk since it was imported; re-scan it", for musicsage's
own put-back of the user's file."""

from __future__ import annotations

import os

import pytest
from playlist_support import playlist_library

from musicsage.library.playlists import edit
from musicsage.library.playlists.edit import NotAdded
from musicsage.usecases.library import list_playlists, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist, remove_from_playlist

A_YEAR_AGO = 365 * 24 * 3600


@pytest.mark.parametrize("kind", ["symlink", "hard link"])
def test_an_add_put_back_is_read_back_under_the_other_name(ctx, tmp_path, monkeypatch, kind):
    ctx, _music, lists, ids = playlist_library(ctx, tmp_path)
    mix = lists / "Mix.m3u8"
    mix.write_text("#EXTM3U\n../music/A/One.wav\n../music/A/Two.wav\n", encoding="utf-8")
    then = os.stat(mix).st_mtime - A_YEAR_AGO  # an old file: the put-back's time is not its
    os.utime(mix, (then, then))
    other = lists / "Road trip.m3u8"
    (os.symlink if kind == "symlink" else os.link)(mix, other)
    scan_library(ctx, [], [str(mix)])
    scan_library(ctx, [], [str(other)])
    by_name = {p.name: p.id for p in list_playlists(ctx)}
    before = mix.read_bytes()
    # the entry written reads back as nothing (a line a player's rules would not resolve)
    monkeypatch.setattr(edit, "append_tracks", lambda data, _path, _tracks: data + b"#junk\n")
    with pytest.raises(NotAdded):
        add_to_playlist(ctx, by_name["Mix"], [ids["C/Five.wav"]])
    monkeypatch.undo()
    assert mix.read_bytes() == before, "put back"
    assert os.stat(mix).st_mtime > then + 1, "rewritten: the time is now"

    report = remove_from_playlist(ctx, by_name["Road trip"], [ids["A/One.wav"]])
    assert [r["track_id"] for r in report.removed] == [ids["A/One.wav"]]
    assert playlist_track_ids(ctx, by_name["Mix"]) == [ids["A/Two.wav"]]
