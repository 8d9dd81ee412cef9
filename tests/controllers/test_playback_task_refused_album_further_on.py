"""A queued album whose folder cannot be opened, its entries spread through the queue (a
playlist that mixes albums, tracks moved about): the first failure names the folder, and
the album's entries right after it were skipped untried — but its entries further on, after
other tracks, were tried again, each failing with a warning of its own that said what the
first had. While the folder is still refused they are skipped untried now; once access is
given back they play (it is looked at again when the queue reaches one), and a row of it the
user chooses is tried.

As root every folder opens, so the refusal is made where the system makes it: ``stat`` and
``lstat`` of a name inside the locked folder fail with EACCES."""

from __future__ import annotations

from test_playback_queue_album_folder_locked import _album_then_others, _lock


def _failed_in(app, folder: str) -> None:
    app.queue.play_failed("file", "cannot play a.flac: permission denied (the folder "
                          f"{folder} cannot be opened; give your user access to it, or move "
                          "the music out of it)")


def _mixed(app, recorder):
    """The album's first entry, another folder's, the album's second, another's."""
    folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list([album[0], others[0], album[1], others[1]], "Mix")
    assert play.last[0] == album[0]
    return folder, album, others, play


def test_a_refused_albums_entries_further_on_are_skipped_untried(library, make_app, recorder,
                                                                  monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others, play = _mixed(app, recorder)
    _lock(monkeypatch, folder)
    _failed_in(app, folder)
    assert play.last[0] == others[0]
    app.queue.track_ended()  # the other folder's track played whole
    assert [p[0] for p in play.calls] == [album[0], others[0], others[1]], "album tried again"
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert len(warnings) == 1 and folder in warnings[0]


def test_once_access_is_back_the_albums_entries_further_on_play(library, make_app, recorder,
                                                                 monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others, play = _mixed(app, recorder)
    _lock(monkeypatch, folder)
    _failed_in(app, folder)
    monkeypatch.undo()  # chmod given back while the other folder's track played
    app.queue.track_ended()
    assert play.last[0] == album[1]
