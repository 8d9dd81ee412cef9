"""The names "Save as playlist" offers, and the file a name typed in its dialog becomes.
"Similar to AC/DC - Back in Black (graph).m3u8" was a path into a folder "AC" that does not
exist, a long title a name the file system refused ("File name too long"), and "mix" typed in
the dialog a file the library did not take for a playlist."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from musicsage.library.playlists import is_playlist_file
from musicsage.usecases.playlist_names import (MAX_NAME_BYTES, playlist_file_name,
                                               with_playlist_suffix)

LONG = ("Symphony No. 9 in D minor, Op. 125 'Choral' – IV. Presto – Allegro assai ü " * 4)


def test_every_name_offered_is_one_file_that_can_be_written(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.selection.result = SimpleNamespace(query={"title": "AC/DC - Back\\in\tBlack"})
    app.suggestions.result = SimpleNamespace(playlist={"name": "Road trip 1/2"})
    app.queue.name = "Radio: " + LONG
    offered = [app.selection.default_playlist_path("graph"),
               app.suggestions.default_playlist_path("audio"),
               app.queue.default_playlist_path(), app.map_tools.default_playlist_path()]
    assert [p.name for p in offered[:2]] == ["Similar to AC-DC - Back-in Black (graph).m3u8",
                                             "Suggestions for Road trip 1-2 (audio).m3u8"]
    assert all(p.parent == Path.home() and is_playlist_file(str(p)) for p in offered)
    assert len(offered[2].name.encode()) <= MAX_NAME_BYTES
    assert offered[2].name.startswith("Radio: Symphony") and offered[2].name.endswith("….m3u8")
    ids = list(app.library.snapshot.by_id)[:3]
    for path in offered:  # each can be saved where the dialog starts (here: a test's folder)
        app.save_tracks(str(tmp_path / path.name), ids, "Q")
    runner.drain()
    assert not any(level == "error" for level, _text in app.notifications)
    assert sorted(p.name for p in tmp_path.glob("*.m3u8")) == sorted(p.name for p in offered)


@pytest.mark.parametrize("size", range(MAX_NAME_BYTES - 8, MAX_NAME_BYTES + 4))
def test_a_long_name_is_cut_between_two_characters(size):
    title = "a" * (size % 4) + "ü€😀" * size  # characters of 2, 3 and 4 bytes
    name = playlist_file_name(title)
    assert len(name.encode()) <= MAX_NAME_BYTES and name.endswith("….m3u8")
    assert title.startswith(name.removesuffix("….m3u8"))


@pytest.mark.parametrize("typed, written", [
    ("/music/mix", "/music/mix.m3u8"), ("/music/Mr. Brightside", "/music/Mr. Brightside.m3u8"),
    ("/music/mix.pls", "/music/mix.pls.m3u8"), ("/music/mix.M3U", "/music/mix.M3U"),
    ("/music/mix.m3u8", "/music/mix.m3u8"), ("", "")])
def test_a_name_typed_in_the_dialog_is_written_as_a_playlist(typed, written):
    """The saver writes M3U8 text: kept under .m3u or .m3u8 (both read back), else .m3u8 is
    added — a .pls holding M3U text would not read as one."""
    assert with_playlist_suffix(typed) == written
    assert not written or is_playlist_file(written)
