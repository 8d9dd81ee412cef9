"""Adds in the Suggestions tab around the window's other writes: another playlist's add, a
remove in the Playlist tab, a playlist put back and re-scanned, a failed add, another library
opened. Each was refused as "changed on disk since it was read … re-scan it" (the window's
own write taken for another program's), dropped for a cause that stays, or said in the new
library's names."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage.usecases.library import playlist_track_ids, scan_library

from test_suggestions_added_one_after_another import _errors, _loaded_playlist, _run


def _shown_ids(app) -> list[int]:
    result = app.suggestions.result
    return [row["track_id"] for row in (result.audio or result.graph)]


def test_adds_to_two_playlists_interleaved_are_all_added(library, make_app):
    """A1 written while B1 and A2 waited, A2 chosen from suggestions read before A1 wrote:
    once the re-read showed A1, A2 was sent with A's old hash and refused."""
    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    other = app.library.snapshot.playlists[1]
    app.suggestions.add([ids[0]])  # A1 sent
    app.suggestions.show(other.id)
    _run(runner, "suggestions")
    theirs = _shown_ids(app)[0]
    app.suggestions.add([theirs])  # B1 waits
    app.suggestions.show(playlist.id)
    _run(runner, "suggestions")  # A read before A1 wrote
    app.suggestions.add([ids[1]])  # A2 waits
    _run(runner, "Add to playlist")  # A1 written; B1 sent
    _run(runner, "library")
    _run(runner, "suggestions")  # A read back
    runner.drain()

    assert _errors(app) == []
    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]
    assert playlist_track_ids(library, other.id)[-1] == theirs


def test_a_playlist_put_back_and_rescanned_takes_adds_again(library, make_app):
    """Added to, left before the re-read, then put back to its earlier bytes and re-scanned:
    every later add was refused until the window was closed."""
    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    other = app.library.snapshot.playlists[1]
    path = Path(playlist.path)
    before = path.read_bytes()
    app.suggestions.add([ids[0]])
    app.suggestions.show(other.id)
    runner.drain()
    path.write_bytes(before)  # another program puts the backup back
    for chosen in ids[1:3]:
        scan_library(library, [], [str(path)])
        app.library.reload()
        runner.drain()
        app.suggestions.show(playlist.id)
        runner.drain()
        app.suggestions.add([chosen])
        runner.drain()

    assert _errors(app) == []
    assert playlist_track_ids(library, playlist.id)[-2:] == ids[1:3]


def test_an_add_right_after_a_remove_in_the_playlist_tab_is_added(library, make_app):
    """Only the window wrote the file (a remove), yet the add chosen before the re-read was
    refused as "changed on disk"."""
    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    members = playlist_track_ids(library, playlist.id)
    app.playlist_tracks.show(playlist.id)
    app.playlist_tracks.remove([members[0]])
    _run(runner, "Remove from playlist")
    app.suggestions.add([ids[0]])  # the suggestions not re-read yet
    runner.drain()

    assert _errors(app) == []
    assert playlist_track_ids(library, playlist.id) == members[1:] + [ids[0]]


def test_an_add_waiting_behind_one_that_wrote_nothing_is_sent(library, make_app):
    """The first add refused (read-only, nothing written): the one waiting was dropped —
    "add them again", said before the cause — though the file was made writable since."""
    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    path = Path(playlist.path)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])
    path.chmod(0o444)
    try:
        _run(runner, "Add to playlist")
    finally:
        path.chmod(0o644)
    runner.drain()

    assert len(_errors(app)) == 1 and "read-only" in _errors(app)[0]
    assert not any(text.startswith("Not added") for _level, text in app.notifications)
    assert playlist_track_ids(library, playlist.id)[-1] == ids[1]


def test_an_add_that_ends_after_another_library_opened_names_its_library(library, make_app,
                                                                         tmp_path):
    """"Added 1 track to Mix 1.m3u8" without saying where, and its "Not added" line named
    the tracks by the new library's titles (the same id is another track there)."""
    from musicsage.context import AppContext

    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    member = playlist_track_ids(library, playlist.id)[0]
    app.suggestions.add([ids[0], member])
    app.suggestions.add([ids[1]])  # waits: another library opened before it goes
    app.set_context(AppContext.create(tmp_path / "other-data"))
    runner.drain()

    where = f" in the library at {library.data_dir}"
    said = [text for _level, text in app.notifications]
    assert any(t.startswith("Added 1 track to ") and where in t for t in said), said
    assert f"Not added: #{member} (already in the playlist){where}" in said
    assert (f"Not added: 1 track chosen for {playlist.name!r} (another library was opened); "
            "add it again") in said


def test_an_add_whose_report_cannot_be_said_still_lets_the_next_one_go(library, make_app,
                                                                       monkeypatch):
    """A notify that raised left the add "under way" for good: every later add waited."""
    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])
    with monkeypatch.context() as patch:
        def broken(*_args, **_kwargs):
            raise RuntimeError("the status line is gone")
        patch.setattr(app.suggestions.added, "emit", broken)
        with pytest.raises(RuntimeError):
            _run(runner, "Add to playlist")
    runner.drain()

    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]
