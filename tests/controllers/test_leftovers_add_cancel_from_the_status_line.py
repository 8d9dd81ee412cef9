"""The window's Cancel (the status line's button, Ctrl+., Esc: ``LongTasks.cancel``) reaches
an "Add to playlist": the add ran untracked, so those cancelled only another task (or
nothing) and the add went on writing; a cancelled add ended without a word. It is now the
status line's task while it runs, and a cancel says in one line that nothing was written."""

from __future__ import annotations

from pathlib import Path

from playlist_write_support import loaded_suggestions

from musicsage.usecases.library import playlist_track_ids


def _cancelled_lines(app) -> list[tuple[str, str]]:
    return [(level, text) for level, text in app.notifications if "cancelled" in text]


def test_the_status_lines_cancel_stops_the_add_and_says_nothing_was_written(library,
                                                                           make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    before = Path(playlist.path).read_bytes()
    shown = []
    app.tasks.shown.connect(shown.append)

    task = app.suggestions.add(ids[:2])
    assert shown == ["Adding to playlist"], "the status line shows the add, with its Cancel"
    app.tasks.cancel()  # the status line's Cancel, Ctrl+. or Esc
    runner.drain()

    assert task.state == "cancelled"
    assert Path(playlist.path).read_bytes() == before
    assert not set(ids[:2]) & set(playlist_track_ids(library, playlist.id))
    assert not any(text.startswith("Added") for _level, text in app.notifications)
    name = app.suggestions.result.playlist["name"]
    assert _cancelled_lines(app) == [
        ("warning", f"Not added: 2 tracks chosen for {name!r} (cancelled; nothing was written)")]


def test_the_cancel_reaches_the_add_over_another_long_task(library, make_app):
    """Another long task on the line (a missing-files removal, say) is not what the Cancel
    stops while the add is shown; once the add ended the line is that task's again."""
    from musicsage.controllers.tasks import InlineTask

    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    other = InlineTask("other", "light", lambda **_kw: None)
    app.tasks.track(other, "Removing missing tracks")

    task = app.suggestions.add(ids[:1])
    app.tasks.cancel()
    runner.drain()

    assert task.state == "cancelled"
    assert not other.token.cancelled
    assert app.tasks.current is other
    assert ids[0] not in playlist_track_ids(library, playlist.id)


def test_adds_waiting_behind_a_cancelled_one_still_go_one_after_another(library, make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    first = app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])  # waits for the first
    app.tasks.cancel()  # the first is the line's task
    runner.drain()

    assert first.state == "cancelled"
    members = playlist_track_ids(library, playlist.id)
    assert ids[0] not in members and members[-1] == ids[1]
    assert [t for t in runner.ran if t == "Add to playlist"] == ["Add to playlist"] * 2
    assert len(_cancelled_lines(app)) == 1
    assert app.tasks.current is None, "the line goes away once the adds ended"


def test_a_cancel_too_late_to_stop_the_add_is_said_with_what_was_added(library, make_app,
                                                                      monkeypatch):
    """Cancel pressed once the add was past its last check (writing, or waiting for a scan
    to write): the line said "Cancelling…", then "Added 1 track" read as a Cancel ignored."""
    import musicsage.usecases.suggest as suggest

    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    task = app.suggestions.add(ids[:1])
    real = suggest.files_gone

    def cancelled_meanwhile(*args):  # after the compare, the add's last check
        app.tasks.cancel()
        return real(*args)

    monkeypatch.setattr(suggest, "files_gone", cancelled_meanwhile)
    runner.drain()

    assert task.state == "succeeded" and ids[0] in playlist_track_ids(library, playlist.id)
    added = [text for _level, text in app.notifications if text.startswith("Added")]
    assert len(added) == 1 and added[0].endswith("; the Cancel came too late to stop it")
    assert _cancelled_lines(app) == []


def test_an_add_queued_behind_another_is_the_lines_and_hears_its_cancel(library, make_app):
    """The add sent when the one before it ends is the status line's task too (the first's
    result comes before its end, while it still holds the line): a Cancel pressed then
    stops it before it writes."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    shown = []
    app.tasks.shown.connect(shown.append)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])  # waits for the first
    first = next(t for t in runner.queue if t.name == "Add to playlist")
    runner.queue.remove(first)
    first.execute()  # the first add ends; the second is sent
    assert shown.count("Adding to playlist") == 2
    app.tasks.cancel()
    runner.drain()
    members = playlist_track_ids(library, playlist.id)
    assert ids[0] in members and ids[1] not in members
