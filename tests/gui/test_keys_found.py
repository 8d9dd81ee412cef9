"""Keys one can find (a keyboard audit): a Playback menu lists playback's keys on the very
actions they trigger (no key twice: an ambiguous shortcut fires neither), Help ▸ Keyboard
shortcuts lists every key read from the actions, Esc cancels the running task wherever it has
no other use and Ctrl+. wherever the focus is, and the map zooms, pans and fits from the
keyboard."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from musicsage.gui.map_keys import MapKeys
from musicsage.gui.shortcuts_dialog import show_shortcuts
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

K, M = Qt.Key, Qt.KeyboardModifier
GLOBAL = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def _menu(w, title: str):
    return next(a.menu() for a in w.menuBar().actions() if a.text() == title)


def _entries(menu) -> dict[str, str]:
    return {a.text(): a.shortcut().toString() for a in menu.actions() if not a.isSeparator()}


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _active(qtbot, w) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def _window_keys(w) -> list[str]:
    """Every key of an action or shortcut that works window-wide (or application-wide)."""
    keys = [s.toString() for a in w.findChildren(QAction) if a.shortcutContext() in GLOBAL
            for s in a.shortcuts()]
    return keys + [s.key().toString() for s in w.findChildren(QShortcut)
                   if s.context() in GLOBAL]


def test_the_playback_menu_shows_the_keys_on_the_actions_they_trigger(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    menu, player = _menu(w, "&Playback"), w.player
    entries = _entries(menu)
    assert entries["Play / pause"] == "Space"
    assert entries["Previous track"] == "Ctrl+Left" and entries["Next track"] == "Ctrl+Right"
    assert entries["Back 5 s"] == "Alt+Left" and entries["Forward 5 s"] == "Alt+Right"
    assert "Stop playback" in entries and "Play similar" in entries
    for action in (player.previous_action, player.next_action, player.stop_action):
        assert action in menu.actions(), "the player bar's own action, not a second one"
    doubled = [k for k, n in Counter(_window_keys(w)).items() if n > 1]
    assert doubled == [], "a key twice is ambiguous: Qt fires neither"

    toggles = []
    player.engine.toggle = lambda: toggles.append(True)
    player.nothing_loaded = lambda: False  # a track loaded: Play / pause goes to the engine
    player.set_can_start(True)  # (and Play enabled, as with a track loaded)
    _active(qtbot, w)
    _focus(qtbot, w.neighbours.graph_list)
    qtbot.keyClick(w.neighbours.graph_list, K.Key_Space)
    assert toggles == [True], "Space, now the menu action's key, still plays or pauses"
    w.play_pause_action.trigger()
    assert toggles == [True, True]

    similar = next(a for a in menu.actions() if a.text() == "Play similar")
    started = []
    w.neighbours.play_similar_requested.connect(started.append)
    menu.aboutToShow.emit()
    assert not similar.isEnabled(), "no track selected: as the button"
    tid = list_tracks(library)[4].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    menu.aboutToShow.emit()
    assert similar.isEnabled()
    similar.trigger()
    assert started == [tid]


def test_alt_arrows_seek_from_anywhere_in_the_window(qtbot, make_window, library, fake_streams):
    """From a neighbour list, whose own arrows move its current row: the audio one, on screen
    whether or not the selection's neighbours have come yet. The graph list was focused, but
    when they came (this library has no graph model) it gave way to its note, and a hidden list
    never takes the focus: a timeout, on a busy machine where the search ended first."""
    w = make_window(library, stream_factory=fake_streams)
    w.actions_.play_on_select.setChecked(False)
    w.app.selection.select(list_tracks(library)[2].id, play=True)
    engine, lst = w.player.engine, w.neighbours.audio_list
    qtbot.waitUntil(lambda: engine.duration > 0, timeout=10_000)
    engine.pause()
    w.player.seek_seconds(0)
    _active(qtbot, w)
    _focus(qtbot, lst)
    qtbot.keyClick(lst, K.Key_Right, M.AltModifier)
    on = engine.position_seconds
    assert on == min(5.0, engine.duration_seconds) and on > 0
    qtbot.keyClick(lst, K.Key_Left, M.AltModifier)
    assert engine.position_seconds == 0


def test_help_lists_every_key_read_from_the_actions(qtbot, make_window, library):
    w = make_window(library)
    help_menu = _menu(w, "&Help")
    next(a for a in help_menu.actions() if a.text() == "Keyboard shortcuts").trigger()
    dialog = w.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    rows = dialog.rows()
    listed = {(keys, what) for _group, keys, what in rows}
    for expected in (("Space", "Play / pause"), ("Ctrl+Right", "Next track"),
                     ("Esc", "Cancel current task"), ("Ctrl+T", "Retrain"),
                     ("Ctrl+F", "Find tracks"), ("Alt+Left", "Back 5 s"),
                     ("0 or Home", "Show the whole map"), ("Delete", "Remove the entry "
                                                          "(the Queue's list) or the tracks "
                                                          "(the Playlist tab's)")):
        key, what = expected
        assert any(w_ == what and key in k.split(", ") for k, w_ in listed), expected
    for action in w.findChildren(QAction):  # every key of every action
        for key in action.shortcuts():
            assert any(key.toString(QKeySequence.SequenceFormat.NativeText) in keys
                       for keys, _w in listed), (action.text(), key.toString())
    groups = [g for g, _k, _w in rows]
    assert groups.index("Playback menu") < groups.index("On the map (with the focus)")
    # a key given to an action later is listed too: nothing is written out by hand
    new = _menu(w, "&View").addAction("Something new")
    new.setShortcut(QKeySequence("Ctrl+Shift+J"))
    next(a for a in help_menu.actions() if a.text() == "Keyboard shortcuts").trigger()
    assert ("View menu", "Ctrl+Shift+J", "Something new") in dialog.rows()
    dialog.close()


def test_esc_cancels_the_running_task_wherever_it_has_no_other_use(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    cancel = w.actions_.cancel
    cancelled = []
    cancel.triggered.connect(lambda _checked=False: cancelled.append(True))
    _active(qtbot, w)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    places = (w.map.plot, w.neighbours.graph_list, w.right.tabBar(), w.player.volume,
              w.library.playlists)
    for widget in places:  # no task: Esc does nothing there
        _focus(qtbot, widget)
        qtbot.keyClick(widget, K.Key_Escape)
    assert cancelled == []
    cancel.setEnabled(True)  # as while a task runs
    for widget in places:
        _focus(qtbot, widget)
        qtbot.keyClick(widget, K.Key_Escape)
    assert len(cancelled) == len(places), [type(p).__name__ for p in places]
    cancelled.clear()
    w.focus_search()
    qtbot.keyClicks(w.library.search, "Song")
    qtbot.keyClick(w.library.search, K.Key_Escape)
    assert w.library.search.text() == "" and cancelled == [], "the box is cleared first"
    qtbot.keyClick(w.library.search, K.Key_Escape)
    assert cancelled == [True], "then, the box empty, Esc cancels"
    assert isinstance(w.map_keys, MapKeys) and "0 or Home" in w.map.plot.accessibleDescription()
    w.map_tools.show_region([int(t) for t in w.map.track_ids[:3]])
    _focus(qtbot, w.map.plot)
    qtbot.keyClick(w.map.plot, K.Key_Escape)
    assert not w.map_tools.region_ids and cancelled == [True], "the map's region goes first"
    dialog = show_shortcuts(w)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.tree, K.Key_Escape)
    assert not dialog.isVisible() and cancelled == [True], "a dialog keeps its Esc"


def test_ctrl_period_cancels_the_running_task_at_once_wherever_the_focus_is(
        qtbot, make_window, library):
    """Esc clears the search box, the playlist filter or the map's region first (a search
    typed was lost to cancel a scan), and a combo box takes a printable key as a search:
    Ctrl+. (⌘. on macOS) cancels from any of them, the training dock floating or not."""
    w = make_window(library)
    _active(qtbot, w)
    hits = _cancel_hits(w)
    w.focus_search()
    qtbot.keyClicks(w.library.search, "Song")
    places = (w.library.search, w.space_combo, w.map.plot, w.training.panel.table,
              w.status_line.cancel)
    w.training.show()
    for widget in places:
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(widget, K.Key_Period, M.ControlModifier)
    assert len(hits) == len(places) and w.library.search.text() == "Song"
    w.training.setFloating(True)
    w.training.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w.training)
    _focus(qtbot, w.training.panel.table)
    qtbot.keyClick(w.training.panel.table, K.Key_Period, M.ControlModifier)
    assert len(hits) == len(places) + 1, "from the floating dock too"
    keys = "Esc or Ctrl+."
    assert keys in w.actions_.cancel.toolTip() and keys in w.status_line.cancel.toolTip()
    rows = show_shortcuts(w).rows()
    assert ("Anywhere in the window", "Ctrl+.",
            "Cancel current task, wherever the focus is") in rows
    w.shortcuts_dialog.close()


def _map_with_points(qtbot):
    from gui_support import shown_map

    view, _tools = shown_map(qtbot, 600, 400)
    MapKeys(view)  # as the window does
    rng = np.random.default_rng(0)
    view.set_points(np.arange(50), rng.normal(size=(50, 2)).astype(np.float32),
                    [f"t{i}" for i in range(50)])
    qtbot.wait(50)
    view.fit()
    _focus(qtbot, view.plot)
    return view


def _span(view) -> tuple[float, float, float, float]:
    (x0, x1), (y0, y1) = view.view.viewRange()
    return x0, x1, y0, y1


def test_the_map_zooms_pans_and_fits_from_the_keyboard(qtbot):
    view = _map_with_points(qtbot)
    assert "+ or = zoom in" in view.plot.accessibleDescription()
    fitted = _span(view)
    width = fitted[1] - fitted[0]
    qtbot.keyClick(view.plot, K.Key_Plus)
    x0, x1, y0, y1 = _span(view)
    assert x1 - x0 < width * 0.9, "+ zooms in"
    qtbot.keyClick(view.plot, K.Key_Minus)
    qtbot.keyClick(view.plot, K.Key_Minus)
    assert _span(view)[1] - _span(view)[0] > width * 1.1, "− zooms out"
    qtbot.keyClick(view.plot, K.Key_Equal)  # + without Shift on many keyboards
    before = _span(view)
    qtbot.keyClick(view.plot, K.Key_Right)
    after = _span(view)
    assert after[0] > before[0] and after[2] == before[2], "→ pans right"
    qtbot.keyClick(view.plot, K.Key_Up)
    assert _span(view)[2] > after[2], "↑ pans up"
    view.resize(620, 420)  # the user's view is kept: no refit on a resize
    qtbot.wait(50)
    assert _span(view)[2] > after[2]
    for key in (K.Key_0, K.Key_Home):
        qtbot.keyClick(view.plot, K.Key_Right)
        qtbot.keyClick(view.plot, key)
        shown = _span(view)
        view.fit()  # where a fit puts the map at this size
        assert np.allclose(shown, _span(view)), key


def test_the_window_opens_with_the_search_box_focused_not_an_analysis_button(
        qtbot, make_window, library):
    """The first focus stop used to be the toolbar's Compute embeddings: a Space or Enter
    pressed on a fresh window started an analysis."""
    w = make_window(library)
    _active(qtbot, w)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.library.search)
    QApplication.focusWidget().clearFocus()


def _mouse(widget, kind, pos) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent

    QApplication.sendEvent(widget, QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def _cancel_hits(w) -> list[int]:
    hits: list[int] = []
    w.actions_.cancel.triggered.connect(lambda _c=False: hits.append(1))
    w.actions_.cancel.setEnabled(True)  # as while an embedding runs
    return hits


def test_esc_while_a_lasso_is_drawn_cancels_no_task(qtbot, make_window, library):
    """Mid-drag the map has no region for its own Esc to clear: the key came up to the
    window and cancelled the running embedding (review of session 50)."""
    from PySide6.QtCore import QEvent, QPoint

    w = make_window(library)
    _active(qtbot, w)
    qtbot.waitUntil(lambda: len(w.map.xy) > 0, timeout=60_000)
    w.map_tools.set_mode("lasso")
    hits, vp = _cancel_hits(w), w.map.plot.viewport()
    w.map.plot.setFocus(Qt.FocusReason.MouseFocusReason)
    centre = vp.rect().center()
    _mouse(vp, QEvent.Type.MouseButtonPress, centre)
    for dx in range(5, 80, 5):
        _mouse(vp, QEvent.Type.MouseMove, centre + QPoint(dx, dx // 2))
        qtbot.wait(5)
    assert w.map_tools.drawing()
    qtbot.keyClick(w.map.plot, K.Key_Escape)
    assert hits == []


def test_esc_at_a_tooltip_hides_it_and_cancels_no_task(qtbot, make_window, library):
    from PySide6.QtWidgets import QToolTip

    w = make_window(library)
    _active(qtbot, w)
    hits, lst = _cancel_hits(w), w.neighbours.graph_list
    _focus(qtbot, lst)
    QToolTip.showText(lst.mapToGlobal(lst.rect().center()), "a long tooltip", lst)
    qtbot.waitUntil(QToolTip.isVisible)
    qtbot.keyClick(lst, K.Key_Escape)
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    assert hits == []
    qtbot.keyClick(lst, K.Key_Escape)  # no tooltip: the task is cancelled, as before
    assert hits == [1]
