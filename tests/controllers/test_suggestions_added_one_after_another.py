"""Two suggestions added one after the other, the second before the suggestions had read
back the file the first add wrote: the second was checked against the file's hash before the
first add and refused — "playlist 'Mix 1' changed on disk since it was read (its content
differs); re-scan it, then add again" — the window's own add taken for another program's
edit. It is now added once the first is written and read back."""

from __future__ import annotations

from pathlib import Path

from musicsage.usecases.library import playlist_track_ids


def _suggested(app, runner, playlist_id: int) -> list[int]:
    app.suggestions.show(playlist_id)
    runner.drain()
    result = app.suggestions.result
    return [row["track_id"] for row in (result.audio or result.graph)]


def test_a_second_add_before_the_first_is_read_back_is_added_too(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    playlist = app.library.snapshot.playlists[0]
    first, second = _suggested(app, runner, playlist.id)[:2]
    before = Path(playlist.path).read_bytes()

    app.suggestions.add([first])
    app.suggestions.add([second])  # clicked again at once: the lists not re-read yet
    runner.drain()

    errors = [text for level, text in app.notifications if level == "error"]
    assert errors == []
    assert playlist_track_ids(library, playlist.id)[-2:] == [first, second]
    assert Path(playlist.path).read_bytes().startswith(before)
    added = [text for level, text in app.notifications if text.startswith("Added 1 track to")]
    assert len(added) == 2
    assert not {first, second} & {r["track_id"] for r in app.suggestions.result.audio}

