"""Small follow-ups of the window: a search typed just before the window closes raises
nothing, a failed audio output is said once, the seek slider moves from the keyboard, the
queue's note reads on light and dark themes, and the selected track's name keeps clear of the
map's region bar when the bar appears."""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from gui_support import shown_map, unpluggable_output, write_tone
from musicsage.gui.map_view import Colouring
from test_accessibility import DARK, LIGHT, _ratio

K = Qt.Key


# -- 1. a search pending when the window closes ------------------------------------------------

def test_a_search_typed_just_before_closing_starts_no_work(qtbot, make_window, library):
    """The search box waits 200 ms after the last key; closing the window within them shut
    the worker pool first, and the search then raised "worker pool is shut down"."""
    w = make_window(library)
    w.library.search.setText("song")  # typed: the delay starts
    w.close()
    qtbot.wait(500)  # past the delay; pytest-qt fails the test on an exception in a slot
    assert not w.workers.jobs


# -- 2. a failed audio output, said once -------------------------------------------------------

def _said_after(w, before: int) -> list[str]:
    return [text for _level, text in w.app.notifications[before:]]


def test_a_failed_output_in_the_queue_is_said_once(qtbot, make_window, library, fake_streams):
    """The queue said "Playback stopped: the audio output failed …" and the player's own
    warning said the same failure again."""
    factory, device = unpluggable_output(fake_streams)
    w = make_window(library, stream_factory=factory)
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]
    w.app.queue.play_list(ids, "Region")
    qtbot.waitUntil(lambda: w.player.engine.state == "playing", timeout=30_000)
    before = len(w.app.notifications)
    device["present"] = False
    w.player.next_requested.emit()
    qtbot.waitUntil(lambda: w.player.engine.state == "error", timeout=30_000)
    qtbot.wait(200)
    said = _said_after(w, before)
    assert len(said) == 1 and said[0].startswith("Playback stopped: the audio output failed"), said


def test_other_failures_keep_their_one_message(qtbot, make_window, library, fake_streams):
    """A track played on its own whose output fails, and a queued file that cannot play:
    the player's message, once (the queue says nothing of either)."""
    factory, device = unpluggable_output(fake_streams)
    w = make_window(library, stream_factory=factory)
    snap = w.app.library.snapshot
    device["present"] = False
    before = len(w.app.notifications)
    w.app.selection.play_track(snap.tracks[0].id)
    qtbot.waitUntil(lambda: w.player.engine.state == "error", timeout=30_000)
    qtbot.wait(200)
    said = _said_after(w, before)
    assert len(said) == 1 and "Playback stopped" not in said[0], said

    device["present"] = True
    ids = [t.id for t in snap.tracks[:3]]
    os.remove(snap.by_id[ids[0]].fs_path)  # deleted since the scan: the library lists it
    before = len(w.app.notifications)
    w.app.queue.play_list(ids, "Region")
    qtbot.waitUntil(lambda: w.app.queue.current == 1 and w.player.engine.state == "playing",
                    timeout=30_000)
    said = _said_after(w, before)
    assert len(said) == 1 and "Playback stopped" not in said[0], said


# -- 3. the seek slider from the keyboard ------------------------------------------------------

def test_the_seek_slider_seeks_with_arrows_pages_home_and_end(qtbot, tmp_path, fake_streams):
    """Arrows moved the handle, and 40 ms later the bar's poll put it back: the keyboard
    could not seek. Arrows now seek 5 s, Page Up / Down 30 s, Home and End to the ends."""
    from musicsage.gui.player import PlayerBar

    sr = 8000
    write_tone(tmp_path / "long.wav", seconds=70.0, sr=sr, channels=1)
    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.show()
    bar.play_track(1, str(tmp_path / "long.wav"), "Long")
    qtbot.waitUntil(lambda: bar.slider.maximum() == 70_000, timeout=30_000)  # ms
    slider = bar.slider
    assert slider.accessibleName() == "Position in track"
    slider.setFocus()
    for key, seconds in ((K.Key_Right, 5), (K.Key_PageUp, 35), (K.Key_Left, 30),
                         (K.Key_Up, 35), (K.Key_Down, 30), (K.Key_PageDown, 0),
                         (K.Key_End, 70), (K.Key_Home, 0)):
        qtbot.keyClick(slider, key)
        assert bar.engine.position == seconds * sr, (key, bar.engine.position / sr)
        qtbot.wait(100)  # the poll keeps the handle where the key put it
        assert slider.value() == seconds * 1000, key
    bar.shutdown()


# -- 4. the queue's note -----------------------------------------------------------------------

def test_the_queue_note_reads_on_light_and_dark_themes(qtbot):
    """palette(mid) was 1.73:1 on a light theme and 1.37:1 on a dark one."""
    from musicsage.gui.queue_panel import QueuePanel

    window = QWidget()
    qtbot.addWidget(window)
    panel = QueuePanel(window)
    panel.show_queue(["A — B"], 0, "Radio", "2 tracks of the seed's album left out", "close")
    window.show()
    role = QPalette.ColorRole
    for theme in (LIGHT, DARK):  # the dark one set while the window runs: the grey follows
        window.setPalette(theme)
        qtbot.wait(10)
        assert panel.note.isVisible()
        grey, back = panel.note.palette().color(role.WindowText), panel.palette().color(role.Window)
        assert back == theme.color(role.Window)
        assert _ratio(grey, back) >= 4.5, f"{grey.name()} on {back.name()}"
        text = theme.color(role.WindowText)
        assert _ratio(grey, back) < _ratio(text, back), "still a grey note, not text"


# -- 5. the selected name and the region bar ---------------------------------------------------

def test_the_selected_name_moves_off_the_region_bar_when_it_appears(qtbot):
    """The region bar was shown (and moved) without a word to the map: the selected track's
    name stayed under it until the view next changed."""
    view, tools = shown_map(qtbot, 600, 400)
    rng = np.random.default_rng(1)
    n = 40
    view.set_points(np.arange(n), rng.random((n, 2)), [f"Track number {i}" for i in range(n)],
                    Colouring(np.zeros(n, np.int64), ["Jazz"]))
    qtbot.wait(50)
    tools.show_region([1, 2, 3])  # where its bar goes
    bar = tools.region_bar.geometry()
    tools.show_region([])
    assert not tools.region_bar.isVisible()
    view.set_selection(0)
    # the selected point just left of where the bar goes: its name, above right, under it
    target = view.view.mapSceneToView(view.plot.mapToScene(bar.left() + 10, bar.center().y() + 12))
    x, y = view.xy[view._row_of[0]]
    view.view.translateBy(x=float(x - target.x()), y=float(y - target.y()))
    qtbot.wait(50)
    assert view._label.geometry().intersects(bar), "the case this is about"
    tools.show_region([1, 2, 3])
    qtbot.wait(50)
    assert tools.region_bar.geometry() == bar
    assert not view._label.geometry().intersects(bar), (view._label.geometry(), bar)
    assert view._label.isVisible()
    point = view.plot.mapFromScene(view.scene_pos_of(0))
    assert not view._label.geometry().contains(QPoint(point.x(), point.y()))
