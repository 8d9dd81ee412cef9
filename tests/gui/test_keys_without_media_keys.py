"""Keys a keyboard without media keys reaches (a keyboard audit): Stop has a plain key
(Ctrl+Shift+Space: Stop was only the Media Stop key, else Alt+P, S), shown in the Playback
menu and Help ▸ Keyboard shortcuts; Find tracks (Ctrl+F) is in the View menu with its key
(it was only in the list and the search box's placeholder); the shortcuts list names Shift+F10
beside the Menu key for a row's menu, as the README does, and opens at a size where every row
reads whole (the Action column was cut at 800×600, behind a horizontal scroll bar)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QTreeWidgetItemIterator

from musicsage.gui.shortcuts_dialog import show_shortcuts
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py)."""

K, M = Qt.Key, Qt.KeyboardModifier
STOP = QKeySequence("Ctrl+Shift+Space")
GLOBAL = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def _menu(w, title: str):
    return next(a.menu() for a in w.menuBar().actions() if a.text() == title)


def _entry(menu, text: str) -> QAction:
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def _focus(qtbot, w, widget) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _window_keys(w) -> list[str]:
    """Every key that works window-wide (an ambiguous one, given twice, fires neither)."""
    keys = [s.toString() for a in w.findChildren(QAction) if a.shortcutContext() in GLOBAL
            for s in a.shortcuts()]
    return keys + [s.key().toString() for s in w.findChildren(QShortcut)
                   if s.context() in GLOBAL]


def test_stop_has_a_plain_key_shown_in_the_menu_and_the_list(qtbot, make_window, library,
                                                              fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.app.selection.select(list_tracks(library)[3].id, play=True)
    qtbot.waitUntil(lambda: w.player.engine.state == "playing")
    stop = _entry(_menu(w, "&Playback"), "Stop playback")
    assert stop.shortcut() == STOP  # the first key: the one the menu shows
    assert QKeySequence(K.Key_MediaStop) in stop.shortcuts()  # the media key still works
    assert [k for k, n in Counter(_window_keys(w)).items() if n > 1] == []
    listed = [(keys, what) for group, keys, what in show_shortcuts(w).rows()
              if group == "Playback menu"]
    assert (f"{STOP.toString(QKeySequence.SequenceFormat.NativeText)}, Media Stop",
            "Stop playback") in listed
    w.shortcuts_dialog.close()
    rows = w.neighbours.audio_list
    _focus(qtbot, w, rows)
    qtbot.keyClick(rows, K.Key_Space, M.ControlModifier | M.ShiftModifier)
    qtbot.waitUntil(lambda: w.player.engine.state not in ("playing", "paused"))
    search = w.library.search  # a text field: typing with Shift held types, stops nothing
    w.app.selection.select(list_tracks(library)[4].id, play=True)
    qtbot.waitUntil(lambda: w.player.engine.state == "playing")
    _focus(qtbot, w, search)
    qtbot.keyClick(search, K.Key_Space, M.ShiftModifier)
    assert w.player.engine.state == "playing"


def test_find_tracks_is_in_the_view_menu_with_its_key(qtbot, make_window, library):
    w = make_window(library)
    find = _entry(_menu(w, "&View"), "Find tracks")
    assert find.shortcut() == QKeySequence("Ctrl+F")
    assert [k for k, n in Counter(_window_keys(w)).items() if n > 1] == []
    search, rows = w.library.search, w.neighbours.audio_list
    _focus(qtbot, w, rows)
    find.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    _focus(qtbot, w, rows)
    qtbot.keyClick(rows, K.Key_F, M.ControlModifier)  # the key itself, not ambiguous
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    listed = {(group, keys, what) for group, keys, what in show_shortcuts(w).rows()}
    assert ("View menu", "Ctrl+F", "Find tracks") in listed
    w.shortcuts_dialog.close()


def _reads_whole(tree, item, column: int) -> bool:
    """The cell's text fits its column, on one line or wrapped within the row's height."""
    rect = tree.visualItemRect(item)
    width = tree.columnWidth(column) - (tree.indentation() if column == 0 else 0) - 8
    flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
    needed = tree.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), flags,
                                             item.text(column))
    return needed.width() <= width and needed.height() <= rect.height()


def test_the_shortcuts_list_opens_with_every_row_whole_and_names_shift_f10(qtbot, make_window,
                                                                           library):
    w = make_window(library)
    dialog = show_shortcuts(w)
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().width() <= screen.width()
    assert not tree.horizontalScrollBar().isVisible()
    cut = []
    for item in (it.value() for it in _items(tree)):
        if item.childCount() == 0:
            cut += [item.text(c) for c in (0, 1) if not _reads_whole(tree, item, c)]
    assert cut == []
    lists = {keys: what for group, keys, what in dialog.rows()
             if group == "In the lists and fields"}
    assert lists["Shift+F10"].startswith("The row's menu") and "Menu" in lists
    dialog.close()


def _items(tree):
    it = QTreeWidgetItemIterator(tree)
    while it.value() is not None:
        yield it
        it += 1


def test_the_stop_buttons_tooltip_names_its_key(qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.app.selection.select(list_tracks(library)[3].id, play=True)
    qtbot.waitUntil(lambda: w.player.stop_button.isEnabled())
    assert w.player.stop_button.toolTip() == "Stop (Ctrl+Shift+Space)"
