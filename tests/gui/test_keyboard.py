"""The window from the keyboard alone (a keyboard audit): Space and Enter press a focused
button while Space still plays or pauses elsewhere, Tab leaves the training dock's table and
goes through the window as it reads, the keyboard's context menu is the current row's, Esc
cancels the running task from the training dock, and the toolbar's choosers have names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

K = Qt.Key


def _window_with_a_track(qtbot, make_window, library, **kw):
    """The window, focus in it, a track selected (not playing) and its neighbours listed."""
    w = make_window(library, **kw)
    w.actions_.play_on_select.setChecked(False)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(library)[5].id, play=False)
    qtbot.waitUntil(lambda: not w.workers.busy, timeout=30_000)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_space_and_enter_press_a_focused_button_and_space_plays_elsewhere(
        qtbot, make_window, library, fake_streams):
    w = _window_with_a_track(qtbot, make_window, library, stream_factory=fake_streams)
    toggles = []
    w.player.engine.toggle = lambda: toggles.append(True)  # what Space's shortcut does
    box = w.neighbours.variety_box
    _focus(qtbot, box)
    qtbot.keyClick(box, K.Key_Space)
    assert box.isChecked() and toggles == [], "Space ticks the box, and only that"
    qtbot.waitUntil(lambda: not w.workers.busy, timeout=30_000)
    header = w.map.legend.header  # a tool button
    pressed = []
    header.clicked.connect(lambda _checked=False: pressed.append("legend"))
    for key in (K.Key_Space, K.Key_Return, K.Key_Enter):
        _focus(qtbot, header)
        qtbot.keyClick(header, key)
    assert pressed == ["legend"] * 3 and toggles == []
    button = w.neighbours.play_similar_button  # a push button, in a window (not a dialog)
    button.clicked.connect(lambda _checked=False: pressed.append("play similar"))
    for key in (K.Key_Space, K.Key_Return):
        _focus(qtbot, button)
        qtbot.keyClick(button, key)
    assert pressed[3:] == ["play similar"] * 2
    qtbot.waitUntil(lambda: not w.workers.busy, timeout=30_000)  # the radio starts playing
    toggles.clear()
    for widget in (w.neighbours.audio_list, w.map.plot, w.player.volume):
        _focus(qtbot, widget)  # a list, the map, a slider: Space plays or pauses there
        qtbot.keyClick(widget, K.Key_Space)
    assert len(toggles) == 3


def test_tab_leaves_the_training_dock_table_and_arrows_read_it(qtbot, make_window, library):
    w = make_window(library)
    w.show_training_dock()
    table = w.training.panel.table
    w.activateWindow()
    for key in (K.Key_Tab, K.Key_Backtab):
        _focus(qtbot, table)
        table.setCurrentCell(0, 0)
        qtbot.keyClick(table, key)
        assert QApplication.focusWidget() is not table, "Tab goes on to the next control"
    _focus(qtbot, table)
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, K.Key_Down)
    qtbot.keyClick(table, K.Key_Right)
    assert (table.currentRow(), table.currentColumn()) == (1, 1)


class _MenuSpy:
    """Stands in for a row's menu: records where it would open."""

    def __init__(self, opened: list) -> None:
        self.opened = opened

    def exec(self, pos: QPoint) -> None:
        self.opened.append(pos)

    def deleteLater(self) -> None:
        """A closed row's menu is freed; the stand-in has nothing to free."""


def test_the_keyboard_context_menu_is_the_current_rows_and_opens_at_it(qtbot, make_window,
                                                                          library):
    w = _window_with_a_track(qtbot, make_window, library)
    lst = w.neighbours.audio_list
    assert lst.topLevelItemCount() >= 6
    asked, opened = [], []
    lst.context_menu = lambda tid: (asked.append(tid), _MenuSpy(opened))[1]
    _focus(qtbot, lst)
    lst.setCurrentItem(lst.topLevelItem(0))
    qtbot.keyClick(lst, K.Key_Down)
    qtbot.keyClick(lst, K.Key_Down)
    row = lst.topLevelItem(2)
    assert lst.currentItem() is row
    # the Menu key, as Qt sends it: to the focus widget, at its input cursor's rectangle
    pos = lst.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).center()
    QApplication.sendEvent(lst, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, pos,
                                                  lst.mapToGlobal(pos)))
    assert asked == [int(row.data(0, Qt.ItemDataRole.UserRole))]
    rect = lst.visualItemRect(row)
    top, bottom = (lst.viewport().mapToGlobal(p).y() for p in (rect.topLeft(), rect.bottomLeft()))
    assert top <= opened[0].y() <= bottom + 1, "placed at the row"
    # the mouse's menu stays the clicked row's (its position is the viewport's)
    other = lst.topLevelItem(4)
    at = lst.visualItemRect(other).center()
    QApplication.sendEvent(lst.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, at, lst.viewport().mapToGlobal(at)))
    assert asked[1:] == [int(other.data(0, Qt.ItemDataRole.UserRole))]


def test_tab_goes_through_the_window_as_it_reads(qtbot, make_window, library, fake_streams):
    w = _window_with_a_track(qtbot, make_window, library, stream_factory=fake_streams)
    w.show_training_dock()
    w.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.library.search)
    stops = [w.library.search]
    for _ in range(80):
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Tab)
        if QApplication.focusWidget() is w.library.search:
            break
        stops.append(QApplication.focusWidget())
    n = w.neighbours
    landmarks = [w.library.search, w.library.playlists, w.space_combo, w.colour_combo,
                 w.map.plot, w.right.tabBar(), n.k_spin, n.variety_box,
                 n.play_similar_button, n.save_button, n.audio_list, w.player.play_button,
                 w.player.volume, w.training.panel.table]
    missing = [x for x in landmarks if x not in stops]
    assert not missing, missing
    at = [stops.index(x) for x in landmarks]
    assert at == sorted(at), [type(stops[i]).__name__ for i in sorted(at)]


def test_esc_in_the_training_dock_leaves_the_task_alone_and_still_clears_the_search(
        qtbot, make_window, library):
    """Esc is Analyse ▸ Cancel in the menu; in the dock it is the dock's (it cancelled a scan
    the dock did not show; tests/gui/test_keys_dock_toolbar.py has the dock's own Esc)."""
    w = make_window(library)
    cancel = w.actions_.cancel
    assert cancel.shortcut().toString() == "Esc", "shown in Analyse ▸ beside the action"
    analyse = w.menuBar().actions()[1].menu()
    assert cancel in analyse.actions()
    cancelled = []
    cancel.triggered.connect(lambda _checked=False: cancelled.append(True))
    cancel.setEnabled(True)  # as while a task runs
    w.show_training_dock()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    _focus(qtbot, w.training.panel.table)
    qtbot.keyClick(w.training.panel.table, K.Key_Escape)
    assert cancelled == []
    w.focus_search()
    qtbot.keyClicks(w.library.search, "Song")
    qtbot.keyClick(w.library.search, K.Key_Escape)
    assert w.library.search.text() == "" and cancelled == [], "Esc there clears the box"


def test_the_toolbar_choosers_are_named_for_a_screen_reader(make_window, library):
    w = make_window(library)
    assert w.space_combo.accessibleName() == "Map"
    assert w.colour_combo.accessibleName() == "Colour by"


def _tab_round(qtbot, start, n: int) -> list:
    """The next ``n`` widgets Tab goes to from ``start``."""
    _focus(qtbot, start)
    stops = []
    for _ in range(n):
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Tab)
        stops.append(QApplication.focusWidget())
    return stops


def test_tab_goes_through_the_player_bar_as_it_shows(qtbot, fake_streams, tmp_path):
    """⏮ ▶ ⏭ ■ on screen; Tab went ⏮ ⏭ ▶ ■ (the order the buttons were made)."""
    from gui_support import write_tone
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.set_queue_steps(True, True)  # Previous and Next enabled: a queue around the track
    write_tone(tmp_path / "t.wav")
    bar.play_track(1, str(tmp_path / "t.wav"), "Tone")  # playing: Play and Stop enabled
    qtbot.waitUntil(bar.stop_button.isEnabled)
    bar.show()
    qtbot.waitExposed(bar)
    bar.activateWindow()
    qtbot.waitUntil(bar.isActiveWindow)
    assert _tab_round(qtbot, bar.previous_button, 5) == [
        bar.play_button, bar.next_button, bar.stop_button, bar.slider, bar.volume]
    xs = [b.x() for b in (bar.previous_button, bar.play_button, bar.next_button,
                          bar.stop_button, bar.slider, bar.volume)]
    assert xs == sorted(xs), "the order they show in"


def test_tab_in_the_training_dock_stops_only_where_a_key_acts(qtbot):
    """The plots and the column of texts were Tab stops that showed no focus and did
    nothing: Tab goes from Cancel to the table and back, as they read."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.start()  # a run: its Cancel shows
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    assert _tab_round(qtbot, panel.cancel_button, 2) == [panel.table, panel.cancel_button]


def test_tab_goes_over_a_small_map_as_it_reads(qtbot):
    """Legend (top-left), the tools (top-right), the folded key (bottom-left), the region's
    buttons: Tab went from the legend to the key, then up to the tools (800x500 window)."""
    import numpy as np

    from gui_support import shown_map
    from musicsage.gui.map_view import Colouring

    view, tools = shown_map(qtbot, 420, 300)
    view.set_points(np.arange(4), np.random.default_rng(0).random((4, 2)), list("abcd"),
                    Colouring(np.array([0, 0, 1, 1]), ["Jazz", "Folk"]))
    tools.show_region([0, 1])  # the region bar shows
    view.show_in_key(neighbours=True, playlist="Road Trip")  # a key too long to lie open
    key = view.selection_key
    qtbot.waitUntil(lambda: key.folded and key.header.isVisible())
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    # the tools are one stop, the checked mode's (arrows choose among them, as in a group of
    # radio buttons)
    assert _tab_round(qtbot, view.legend.header, 5) == [
        tools.mode_buttons["pan"], key.header, tools.play_button, tools.save_button,
        tools.clear_button]
