"""The player bar and the Queue tab as a user drives them: Play with a track selected and
nothing loaded plays it (it did nothing beside "Nothing playing"); the playing row removed from
the queue leaves no ▶ on another row; ↑, ↓ and Remove are off without a chosen row; a music
folder gone (a drive unplugged) stops the queue with one line, not one warning a track."""

from __future__ import annotations

import os
import shutil

from PySide6.QtCore import Qt

SHOTS = os.environ.get("MUSICSAGE_TEST_SHOTS")
"""A folder to save the widgets' pictures in (looked at by hand); none: not saved."""


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def _plays(qtbot, w, track_id) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path
                    and w.player.engine.state == "playing", timeout=30_000)


def test_play_with_nothing_loaded_plays_the_selected_track(qtbot, make_window, library,
                                                           fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    bar = w.player
    assert bar.engine.state == "empty" and w.app.selection.selected is None
    assert not bar.play_button.isEnabled() and not w.play_pause_action.isEnabled(), \
        "nothing selected, nothing loaded: Play has nothing to play"
    _shot(bar, "player_nothing_selected")
    track = w.app.library.snapshot.tracks[2].id
    w.app.selection.select(track, play=False)
    assert bar.play_button.isEnabled() and w.play_pause_action.isEnabled()
    _shot(bar, "player_selected")
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    _plays(qtbot, w, track)
    assert bar.title_label.text() != "Nothing playing"
    w.play_pause_action.trigger()  # Space: it pauses what plays now
    assert bar.engine.state == "paused"


def test_removing_the_playing_row_marks_no_other_row(qtbot, make_window, library,
                                                     fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    w.app.queue.play_list(ids, "Region")
    qtbot.mouseClick(w.player.next_button, Qt.MouseButton.LeftButton)
    _plays(qtbot, w, ids[1])
    panel = w.queue
    w.right.setCurrentWidget(panel)
    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 3 and panel.list.queue_model.current == -1, "no ▶"
    assert w.player.engine.path == w.app.library.snapshot.by_id[ids[1]].fs_path, "plays on"
    assert w.player.previous_button.isEnabled() and w.player.next_button.isEnabled()
    _shot(w, "queue_playing_row_removed")
    qtbot.mouseClick(w.player.previous_button, Qt.MouseButton.LeftButton)
    _plays(qtbot, w, ids[0])
    assert panel.list.queue_model.current == 0


def test_edit_buttons_are_on_only_with_a_row_they_can_move(qtbot, make_window, library,
                                                          fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]
    w.app.queue.play_list(ids, "Region")
    panel = w.queue
    w.right.setCurrentWidget(panel)
    buttons = (panel.up_button, panel.down_button, panel.remove_button)
    assert panel.list.currentRow() == -1
    assert [b.isEnabled() for b in buttons] == [False, False, False]
    assert panel.clear_button.isEnabled() and panel.save_button.isEnabled()
    _shot(panel, "queue_no_row_chosen")
    panel.list.setCurrentRow(0)
    assert [b.isEnabled() for b in buttons] == [False, True, True], "the first goes no higher"
    panel.list.setCurrentRow(2)
    assert [b.isEnabled() for b in buttons] == [True, False, True], "the last no lower"
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert w.app.queue.tracks == [ids[0], ids[2], ids[1]] and panel.list.currentRow() == 1
    assert [b.isEnabled() for b in buttons] == [True, True, True]
    _shot(panel, "queue_row_chosen")


def test_a_music_folder_gone_stops_the_queue_with_one_line(qtbot, make_window, library,
                                                           fake_streams, tmp_path):
    w = make_window(library, stream_factory=fake_streams)
    snap = w.app.library.snapshot
    ids = [t.id for t in snap.tracks[:6]]
    (folder,) = snap.stats.roots
    shutil.move(folder, tmp_path / "unplugged")
    before = len(w.app.notifications)
    w.app.queue.play_list(ids, "Region")
    qtbot.waitUntil(lambda: not w.app.queue.active, timeout=30_000)
    qtbot.wait(300)  # nothing more is tried
    said = [text for level, text in w.app.notifications[before:] if level == "warning"]
    assert len(said) == 1 and folder in said[0] and "cannot be found" in said[0], said
    assert w.statusBar().currentMessage() == said[0]
    assert w.queue.list.count() == 6 and w.queue.list.queue_model.current == -1
    w.right.setCurrentWidget(w.queue)
    _shot(w, "queue_folder_gone")
