"""The player bar and the play queue: each failed load is reported (a second unplayable track
right after a first went "error" → "error" unseen, and the queue stalled), a failed audio
output stops the queue instead of skipping through it, and Previous / Next (buttons, keys)
step through the queue."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from gui_support import unpluggable_output, wait_for

CTRL = Qt.KeyboardModifier.ControlModifier


def _fail_before_the_poll(engine) -> None:
    """Each load's decoder thread has finished before the bar's first look (a thread switch
    right after it started: what made the bar miss "error" after "error")."""
    real_load = engine.load

    def load(path, autoplay=False, **options):
        real_load(path, autoplay=autoplay, **options)
        wait_for(lambda: engine.state != "loading")

    engine.load = load


def test_the_bar_reports_a_second_failure_right_after_a_first(qtbot, tmp_path, fake_streams):
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    _fail_before_the_poll(bar.engine)
    failed = []
    bar.failed.connect(lambda kind, message: failed.append((kind, message)))
    bar.play_track(1, str(tmp_path / "deleted_a.wav"), "A")
    bar.play_track(2, str(tmp_path / "deleted_b.wav"), "B")
    assert len(failed) == 2 and "deleted_b.wav" in failed[1][1]
    assert [kind for kind, _m in failed] == ["file", "file"]
    qtbot.wait(200)  # each load's outcome once: later polls say nothing more
    assert len(failed) == 2
    bar.shutdown()


def _region(w, n=3):
    """Play the first ``n`` tracks as a queue (a map region); the first one plays."""
    ids = [t.id for t in w.app.library.snapshot.tracks[:n]]
    w.app.queue.play_list(ids, "Region")
    return ids


def _plays(qtbot, w, track_id) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path
                    and w.player.engine.state == "playing", timeout=30_000)


def test_two_unplayable_tracks_in_a_row_do_not_stall_the_queue(qtbot, make_window, library,
                                                               fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    snap = w.app.library.snapshot
    ids = [t.id for t in snap.tracks[:3]]
    for tid in ids[:2]:  # deleted since the scan: the library still lists them
        os.remove(snap.by_id[tid].fs_path)
    _fail_before_the_poll(w.player.engine)
    w.app.queue.play_list(ids, "Region")
    _plays(qtbot, w, ids[2])
    assert w.app.queue.current == 2


def test_previous_and_next_buttons_and_keys_play_the_queue(qtbot, make_window, library,
                                                           fake_streams, monkeypatch):
    w = make_window(library, stream_factory=fake_streams)
    bar = w.player
    assert not bar.previous_button.isEnabled() and not bar.next_button.isEnabled()
    assert bar.previous_button.accessibleName() and bar.next_button.accessibleName()
    assert "Ctrl+Left" in bar.previous_button.toolTip()
    assert "Ctrl+Right" in bar.next_button.toolTip()
    ids = _region(w)
    _plays(qtbot, w, ids[0])
    assert not bar.previous_button.isEnabled() and bar.next_button.isEnabled()
    qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    _plays(qtbot, w, ids[1])
    assert bar.previous_button.isEnabled() and w.app.queue.current == 1
    w.activateWindow()
    rows = w.neighbours.audio_list  # a list has the focus: Ctrl+Right is still Next
    rows.setFocus()
    qtbot.keyClick(rows, Qt.Key.Key_Right, CTRL)
    _plays(qtbot, w, ids[2])
    assert not bar.next_button.isEnabled(), "the last entry"
    qtbot.keyClick(w.map, Qt.Key.Key_MediaPrevious)
    _plays(qtbot, w, ids[1])
    qtbot.keyClick(w.map, Qt.Key.Key_MediaNext)
    _plays(qtbot, w, ids[2])
    qtbot.mouseClick(bar.previous_button, Qt.MouseButton.LeftButton)  # early: the one before
    _plays(qtbot, w, ids[1])

    # later in a track Previous starts it again (the tracks here are 1.5 s: the rule's 3 s
    # made shorter)
    monkeypatch.setattr("musicsage.controllers.queue.RESTART_AFTER_SECONDS", 0.5)
    bar.seek_seconds(1.0)
    generation = bar.engine.generation
    qtbot.keyClick(w.map, Qt.Key.Key_Left, CTRL)
    assert bar.engine.position == 0 and bar.engine.generation == generation
    assert w.app.queue.current == 1 and bar.engine.state == "playing"

    # a text field keeps its own Ctrl+Left (a word back)
    search = w.library.search
    search.setFocus()
    search.blockSignals(True)  # no search started (this is about the keys)
    search.setText("two words")
    search.blockSignals(False)
    qtbot.keyClick(search, Qt.Key.Key_Left, CTRL)
    assert search.cursorPosition() == len("two ") and w.app.queue.current == 1


def test_a_failed_audio_output_stops_the_queue_with_one_message(qtbot, make_window, library,
                                                                fake_streams):
    """Headphones unplugged: every track's output fails to open. The queue skipped through
    every track, one warning each; it stops where it is and says why."""
    output, device = unpluggable_output(fake_streams)
    w = make_window(library, stream_factory=output)
    ids = _region(w)
    _plays(qtbot, w, ids[0])
    device["present"] = False
    qtbot.mouseClick(w.player.next_button, Qt.MouseButton.LeftButton)
    path = w.app.library.snapshot.by_id[ids[1]].fs_path
    qtbot.waitUntil(lambda: w.player.engine.state == "error", timeout=30_000)
    qtbot.wait(300)
    q = w.app.queue
    assert q.current == 1 and not q.active and q.tracks == ids
    assert w.player.engine.path == path, "no other track was tried"
    stopped = [text for _level, text in w.app.notifications if "Playback stopped" in text]
    assert len(stopped) == 1
    assert w.statusBar().currentMessage().startswith("Playback stopped: the audio output failed")
    assert w.queue.list.count() == 3
