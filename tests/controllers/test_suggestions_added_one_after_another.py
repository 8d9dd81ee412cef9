"""Two suggestions added one after the other, the second before the suggestions had read
back the file the first add wrote: the second was checked against the file's hash before the
first add and refused — "playlist 'Mix 1' changed on disk since it was read (its content
differs); re-scan it, then add again" — the window's own add taken for another program's
edit. It is now added once the first is written and read back."""

from __future__ import annotations

from pathlib import Path

from playlist_write_support import loaded_suggestions

from musicsage.usecases.library import playlist_track_ids


def test_a_second_add_before_the_first_is_read_back_is_added_too(library, make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    first, second = ids[:2]
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



# -- the adds that wait: sent once the add before them ends, whatever the reads do --

def _run(runner, name: str) -> None:
    """Run the first queued task called ``name`` now, the others left waiting (the order a
    busy window's pool may finish them in)."""
    task = next(t for t in runner.queue if t.name == name)
    runner.queue.remove(task)
    runner.ran.append(name)
    failure = task.execute()
    if failure is not None:
        runner.error.emit(task.name, *failure)


#: the name two other test files import it by (test_suggestions_added_across_library_switches,
#: test_suggestions_added_while_the_window_writes_elsewhere)
_loaded_playlist = loaded_suggestions


def _errors(app) -> list[str]:
    return [text for level, text in app.notifications if level == "error"]


def test_an_add_chosen_while_the_second_is_written_waits_too(library, make_app):
    """A re-read of the suggestions that came back before the library's (a changed count)
    let the second add go; the library's re-read then ended and let a third go at once,
    while the second was still being written: refused as "changed on disk"."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    first, second, third = ids[:3]
    app.suggestions.add([first])
    app.suggestions.add([second])
    _run(runner, "Add to playlist")  # the first written: the second sent
    app.suggestions.set_k(11)
    _run(runner, "suggestions")  # back before the library's re-read
    _run(runner, "library")
    app.suggestions.add([third])  # the second still being written
    runner.drain()

    assert _errors(app) == []
    assert playlist_track_ids(library, playlist.id)[-3:] == [first, second, third]


def test_an_add_waiting_when_the_library_fails_to_reload_is_added(library, make_app,
                                                                  monkeypatch):
    """It was sent once the re-read failed, with the hash of the file before the first add:
    "changed on disk since it was read … re-scan it"."""
    import musicsage.controllers.library as library_controller
    from musicsage.errors import MusicsageError

    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])

    def locked(*_args, **_kwargs):
        raise MusicsageError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(library_controller, "load_snapshot", locked)
        _run(runner, "Add to playlist")
        _run(runner, "library")
    runner.drain()

    assert _errors(app) == ["library: database is locked"]
    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]


def test_an_add_after_choosing_another_playlist_and_back_waits_for_the_first(library, make_app):
    """Choosing another playlist forgot the add under way: back at the first one, its
    suggestions read before that add wrote, the next add went at once and was refused."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    other = app.library.snapshot.playlists[1]
    app.suggestions.add([ids[0]])
    app.suggestions.show(other.id)
    app.suggestions.show(playlist.id)
    _run(runner, "suggestions")
    _run(runner, "suggestions")  # the first playlist's, read before the add wrote
    app.suggestions.add([ids[1]])
    runner.drain()

    assert _errors(app) == []
    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]


def test_an_add_right_after_the_first_ends_is_checked_against_what_it_wrote(library,
                                                                            make_app):
    """Nothing under way, but the suggestions on screen not yet read back: the file is
    checked against the library's record, which the first add's re-import updated."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    _run(runner, "Add to playlist")
    assert app.suggestions.add([ids[1]]) is not None, "sent at once: nothing to wait for"
    runner.drain()

    assert _errors(app) == []
    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]


def test_the_status_line_says_an_add_waits_and_each_refusal_its_cause(library, make_app):
    """Tracks queued behind an add that then failed were dropped without a word; then
    dropped with "add them again" said before the cause, which stays. Sent, they are refused
    by the same check, with their own cause, and another program's edit is kept."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])
    assert app.notifications[-1] == ("info", "1 track will be added once the add under way ends")
    app.suggestions.add([ids[2]])
    assert app.notifications[-1] == ("info", "2 tracks will be added once the add under way ends")
    path = Path(playlist.path)
    path.write_bytes(path.read_bytes() + b"# edited in another player\n")
    edited = path.read_bytes()
    runner.drain()

    assert len(_errors(app)) == 2
    assert all("changed on disk since it was imported" in e for e in _errors(app))
    assert not any(text.startswith("Not added") for _level, text in app.notifications)
    assert path.read_bytes() == edited
