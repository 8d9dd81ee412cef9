"""A queued album whose folder cannot be opened, its tracks not side by side in the queue (a
shuffled region: album, another track, album…): only the album's entries right after the one
that failed were skipped; a later one was tried again, failed alike, and said so again. The
queue now keeps the folder it found refused, and skips its entries wherever they lie, until
the folder opens again."""

from __future__ import annotations

from test_playback_queue_album_folder_locked import _album_then_others, _lock


def test_a_locked_album_is_said_once_wherever_its_tracks_lie_in_the_queue(
        library, make_app, recorder, monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list([album[0], others[0], album[1], album[2], others[1]], "Region")
    assert play.last[0] == album[0]
    _lock(monkeypatch, folder)
    app.queue.play_failed("file", "cannot play a.flac: permission denied (the folder "
                          f"{folder} cannot be opened; give your user access to it, or move "
                          "the music out of it)")
    assert play.last[0] == others[0]
    app.queue.track_ended()
    assert play.last[0] == others[1], "a later track of the locked album was tried again"
    assert len(play) == 3
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert len(warnings) == 1, warnings


def test_a_locked_album_opened_again_plays_its_later_tracks(library, make_app, recorder,
                                                             monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list([album[0], others[0], album[1], others[1]], "Region")
    _lock(monkeypatch, folder)
    app.queue.play_failed("file", "cannot play a.flac: permission denied")
    assert play.last[0] == others[0]
    monkeypatch.undo()  # access given back while another track plays
    app.queue.track_ended()
    assert play.last[0] == album[1]


def test_a_track_of_a_locked_album_the_user_chooses_is_tried(library, make_app, recorder,
                                                              monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list([album[0], others[0], album[1], others[1]], "Region")
    _lock(monkeypatch, folder)
    app.queue.play_failed("file", "cannot play a.flac: permission denied")
    app.queue.play_at(2)  # still locked: tried, so its failure says why (nothing else plays)
    assert play.last[0] == album[1] and app.queue.current == 2, "played outside the queue"
