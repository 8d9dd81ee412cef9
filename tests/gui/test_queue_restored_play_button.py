"""Play in a new window goes on with a kept queue as it would have in the old one: a queue
of "Play next" / "Add to queue" entries never played, and a queue that played to its end and
then had a track added, came back with Play greyed and Space saying "Nothing to play"."""

from __future__ import annotations

import os

from gui_support import settle


def _reopened(qtbot, make_window, library, w, **kw):
    w.close()
    new = make_window(library, wait=False, **kw)
    settle(qtbot, new)
    return new


def _plays(qtbot, w, track_id) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path
                    and w.player.engine.state == "playing", timeout=30_000)


def test_a_restored_queue_of_adds_plays_at_play(qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    a, b = (t.id for t in w.app.library.snapshot.tracks[:2])
    w.app.queue.add_to_queue(a)
    w.app.queue.play_next(b)
    w = _reopened(qtbot, make_window, library, w, stream_factory=fake_streams)
    assert w.app.queue.tracks == [b, a]
    assert w.player.play_button.isEnabled()
    shot = os.environ.get("QUEUE_RESTORED_PNG")
    if shot:
        w.grab().save(shot)
    w.player.play_button.click()
    _plays(qtbot, w, b)
    assert w.app.queue.current == 0 and w.app.queue.active


def test_an_ended_queue_with_an_add_plays_it_at_play(qtbot, make_window, library,
                                                     fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    a, b, c = (t.id for t in w.app.library.snapshot.tracks[:3])
    w.app.queue.play_list([a, b], "Map region (2 tracks)")
    _plays(qtbot, w, a)
    w.app.queue.next()
    _plays(qtbot, w, b)
    w.app.queue.next()  # its end
    w.app.queue.add_to_queue(c)
    w = _reopened(qtbot, make_window, library, w, stream_factory=fake_streams)
    assert w.player.play_button.isEnabled()
    w.player.play_button.click()
    _plays(qtbot, w, c)
