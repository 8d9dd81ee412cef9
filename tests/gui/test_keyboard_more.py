"""A keyboard-only and screen-reader user (pytest-qt, offscreen): Ctrl+Enter (and the row's
menu) makes a listed track the selected one, as a click on its point does, while Enter still
plays it; a focused list shows a frame; Ctrl+Tab turns the tabs from anywhere; the shortcuts
list says which of PgUp / PgDown goes back; a folder named "Drum & Bass" reads so in its menu
(no hidden mnemonic); the play button is named for what it does now."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import QApplication, QMenu

from music_support import make_music
from musicsage.controllers.wording import plain_name
from musicsage.gui.focus_ring import ListFrame, ring_colour
from musicsage.gui.player import SEEK_PAGE_SECONDS, SeekSlider
from musicsage.gui.shortcuts_dialog import PART_KEYS, show_shortcuts
from musicsage.gui.track_list import SELECT_TEXT, TRACK_ID_ROLE
from musicsage.gui.window_wiring import menu_text
from musicsage.usecases.library import list_tracks, scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

K, M = Qt.Key, Qt.KeyboardModifier


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _active(qtbot, w) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def _selects(qtbot, w, press) -> int:
    """What ``press`` makes the selected track (the neighbours reloaded for it)."""
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        press()
    return w.app.selection.selected


def test_ctrl_enter_or_the_row_menu_selects_a_listed_track_and_enter_still_plays(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.actions_.play_on_select.setChecked(False)
    _active(qtbot, w)
    first = list_tracks(library)[0].id
    assert _selects(qtbot, w, lambda: w.app.selection.select(first, play=False)) == first
    lst = w.neighbours.audio_list
    _focus(qtbot, lst)
    lst.setCurrentItem(lst.topLevelItem(1))
    row_track = int(lst.topLevelItem(1).data(0, TRACK_ID_ROLE))
    played = []
    lst.play_requested.connect(played.append)
    qtbot.keyClick(lst, K.Key_Return)
    assert played == [row_track] and w.app.selection.selected == first, "Enter plays, only"
    assert _selects(qtbot, w, lambda: qtbot.keyClick(lst, K.Key_Return, M.ControlModifier)
                    ) == row_track
    assert w.neighbours.heading.text().startswith(w.app.selection.info.display_title)
    other = int(lst.topLevelItem(0).data(0, TRACK_ID_ROLE))
    menu = lst.context_menu(other)
    entries = [a for a in menu.actions() if a.text() == SELECT_TEXT]
    assert [a.text() for a in menu.actions()][:2] == ["Play", SELECT_TEXT]
    assert _selects(qtbot, w, entries[0].trigger) == other
    # the queue's rows too: its own menu and Ctrl+Enter
    w.app.queue.play_list(sorted(t.id for t in list_tracks(library))[:5], "Some")
    queue = w.queue.list
    qtbot.waitUntil(lambda: queue.count() == 5)
    w.right.setCurrentWidget(w.queue)
    _focus(qtbot, queue)
    queue.setCurrentRow(3)
    assert _selects(qtbot, w, lambda: qtbot.keyClick(queue, K.Key_Enter, M.ControlModifier)
                    ) == w.app.queue.tracks[3]
    assert [a.text() for a in queue.context_menu(2).actions()] == [
        "Play", SELECT_TEXT, "Play next", "Remove from queue"]
    assert _selects(qtbot, w, queue.context_menu(2).actions()[1].trigger) == w.app.queue.tracks[2]
    assert queue.count() == 5, "selecting leaves the queue alone"
    rows = {keys: what for _group, keys, what in show_shortcuts(w).rows()}
    assert "Select" in rows["Ctrl+Enter"] and rows["Enter"].startswith("Play")


def _frame_shown(view) -> bool:
    return any(isinstance(c, ListFrame) and c.isVisible() for c in view.children())


def test_a_list_that_tab_reaches_shows_a_frame_a_click_does_not(qtbot, make_window, library):
    w = make_window(library)
    _active(qtbot, w)
    lists = [(w.neighbours, w.neighbours.audio_list), (w.playlist, w.playlist.list),
             (w.queue, w.queue.list), (None, w.library.playlist_box.list)]
    w.app.queue.play_list([t.id for t in list_tracks(library)][:3], "Some")
    qtbot.waitUntil(lambda: w.queue.list.count() == 3)
    for tab, view in lists:
        _focus(qtbot, w.map.plot)
        if tab is not None:
            w.right.setCurrentWidget(tab)
        qtbot.waitUntil(view.isVisible)
        assert not _frame_shown(view)
        _focus(qtbot, view)
        assert _frame_shown(view), view.accessibleName()
        shot = view.grab().toImage()
        edge = QColor(shot.pixel(1, shot.height() // 2))
        expected = ring_colour(view.palette(), view.palette().ColorRole.Base)
        assert edge.name() == expected.name(), view.accessibleName()
        w.map.plot.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda view=view: not _frame_shown(view))
        view.setFocus(Qt.FocusReason.MouseFocusReason)  # a click: the pointer shows where
        qtbot.waitUntil(lambda view=view: view.hasFocus())
        assert not _frame_shown(view)


def test_ctrl_tab_turns_the_tabs_from_anywhere_in_the_window(qtbot, make_window, library):
    w = make_window(library)
    _active(qtbot, w)
    w.right.setCurrentIndex(0)
    for widget in (w.library.search, w.map.plot):
        _focus(qtbot, widget)
        at = w.right.currentIndex()
        qtbot.keyClick(widget, K.Key_Tab, M.ControlModifier)
        assert w.right.currentIndex() == at + 1
        assert QApplication.focusWidget() is widget, "the focus stays where it was"
    qtbot.keyClick(w.map.plot, K.Key_Backtab, M.ControlModifier | M.ShiftModifier)
    assert w.right.currentIndex() == 1
    w.right.setCurrentIndex(w.right.count() - 1)
    qtbot.keyClick(w.library.search, K.Key_Tab, M.ControlModifier)
    assert w.right.currentIndex() == 0, "round again"
    _focus(qtbot, w.neighbours.audio_list)  # inside the tabs: still turns them, once
    qtbot.keyClick(w.neighbours.audio_list, K.Key_Tab, M.ControlModifier)
    assert w.right.currentIndex() == 1 and w.right.isAncestorOf(QApplication.focusWidget())
    groups = {keys: group for group, keys, _what in show_shortcuts(w).rows()}
    assert groups["Ctrl+Tab"] == groups["Ctrl+Shift+Tab"] == "Anywhere in the window"


def test_the_shortcuts_list_names_the_page_key_that_goes_back_first(qtbot):
    """"PgUp, PgDown — 30 s back / on" said PgUp went back; it goes on, as a slider's does."""
    keys, what = next(row for _title, rows in PART_KEYS for row in rows
                      if "PgUp" in row[0])
    assert what == f"{SEEK_PAGE_SECONDS} s back / on"
    back, on = (getattr(K, f"Key_{'PageUp' if k.strip() == 'PgUp' else 'PageDown'}")
                for k in keys.split(","))
    slider = SeekSlider()
    qtbot.addWidget(slider)
    slider.setRange(0, 600_000)
    seeks = []
    slider.seek_requested.connect(seeks.append)
    for key, expected in ((back, 70_000), (on, 130_000)):
        slider.setValue(100_000)
        qtbot.keyClick(slider, key)
        assert slider.value() == expected and seeks[-1] == expected
    assert "Page Down/Up" in slider.toolTip()


def test_a_folder_with_an_ampersand_reads_whole_in_its_menu(qtbot, make_window, ctx, tmp_path):
    music, _, _ = make_music(tmp_path / "Drum & Bass", n_tracks=4)
    scan_library(ctx, [str(music)])
    w = make_window(ctx)
    asked = []
    w.ask_remove_folder = lambda folder, n: asked.append(folder)
    menu: QMenu = w.actions_.remove_folder
    menu.aboutToShow.emit()
    name = QAccessible.queryAccessibleInterface(menu).child(0).text(QAccessible.Text.Name)
    assert name == f"{music}  (4 tracks)" and plain_name(menu.actions()[0].text()) == name
    menu.popup(w.mapToGlobal(QPoint(100, 100)))
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, K.Key_B)  # "& B" made B its mnemonic: a key press removed it
    menu.close()
    assert asked == []
    menu.actions()[0].trigger()
    assert asked == [str(music)]
    assert plain_name(menu_text("Model 2 · Rock & Roll")) == "Model 2 · Rock & Roll"


def test_the_play_button_is_named_for_what_it_does_and_the_legend_without_its_arrow(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    button = w.player.play_button
    assert button.accessibleName() == "Play"
    w.app.selection.play_track(list_tracks(library)[0].id)
    qtbot.waitUntil(lambda: w.player.engine.state == "playing", timeout=10_000)
    qtbot.waitUntil(lambda: button.accessibleName() == "Pause")
    w.player.toggle()
    qtbot.waitUntil(lambda: button.accessibleName() == "Play")
    for header in (w.map.legend.header, w.map.selection_key.header):
        name = QAccessible.queryAccessibleInterface(header).text(QAccessible.Text.Name)
        assert name and not set(name) & set("▾▸"), name
