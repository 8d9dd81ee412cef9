"""The play queue's row menu and the neighbours panel's Save… menu give each entry an access
letter of its own while shown, as the menu bar's menus do: opened with the Menu key (or
Shift+F10), a letter pressed there did nothing, only the arrows walked them. Once closed, the
entries read as written again (the keyboard tests and scripts read them)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from gui_support import each_has_its_own_letter, menu_texts_while_shown
from musicsage.gui.menu_letters import access_letter
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.queue_panel import QueuePanel
from musicsage.gui.track_list import SELECT_TEXT


def _queue(qtbot) -> QueuePanel:
    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.show_queue(["Song A — Band", "Song B — Band", "Song C — Band"], 0, "Radio", "",
                     "close")
    panel.show()
    return panel


def test_the_queue_rows_menu_has_a_letter_for_each_entry_whilemenu_texts_while_shown(qtbot):
    panel = _queue(qtbot)
    menu = panel.list.context_menu(1)
    each_has_its_own_letter(menu_texts_while_shown(qtbot, menu))
    assert [a.text() for a in menu.actions()] == ["Play", SELECT_TEXT, "Play next", "Remove from queue"]


def test_a_letter_pressed_in_the_queue_rows_menu_chooses_its_entry(qtbot):
    panel = _queue(qtbot)
    removed = []
    panel.remove_requested.connect(removed.append)
    menu = panel.list.context_menu(2)
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu, timeout=10_000)
    remove = next(a for a in menu.actions() if a.text().replace("&", "") == "Remove from queue")
    qtbot.keyClick(menu, getattr(Qt.Key, f"Key_{access_letter(remove.text()).upper()}"))
    qtbot.waitUntil(lambda: removed == [2], timeout=10_000)


def test_the_neighbours_save_menu_has_a_letter_for_each_entry_whilemenu_texts_while_shown(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.show()
    save = panel.save_button.menu()
    each_has_its_own_letter(menu_texts_while_shown(qtbot, save))
    assert [a.text() for a in save.actions()] == ["Graph model list…", "Audio-only list…"]
