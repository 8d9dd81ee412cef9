"""A keyboard user opens a menu with Alt and its letter, then chooses an entry by its letter,
as in other desktop applications: the menus' titles had letters (Alt+F opened File) but no
entry of any menu had one, so a letter pressed in an open menu did nothing. Each entry now has
one of its own in its menu, shown while the menu is; the actions' texts stay as written (the
toolbar's buttons, Help ▸ Keyboard shortcuts), and the music folders' menu gets none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from musicsage.gui.menu_letters import access_letter, with_letters


def _key(letter: str) -> Qt.Key:
    return getattr(Qt.Key, f"Key_{letter.upper()}")


def _open(qtbot, w, title_letter: str) -> QMenu:
    QTest.keyClick(w, _key(title_letter), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=10_000)
    return QApplication.activePopupWidget()


def _close(qtbot, menu: QMenu) -> None:
    menu.close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=10_000)


def test_every_menu_opens_by_its_letter_and_its_entries_letters_differ(qtbot, make_window,
                                                                       library):
    w = make_window(library)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    titles = [a.text() for a in w.menuBar().actions()]
    assert len({access_letter(t) for t in titles} - {""}) == len(titles), titles
    written = {}
    for top in w.menuBar().actions():
        entries = [a for a in top.menu().actions() if not a.isSeparator()]
        written[top.text()] = [a.text() for a in entries]
        menu = _open(qtbot, w, access_letter(top.text()))
        assert menu is top.menu(), f"Alt+{access_letter(top.text())} opened another menu"
        letters = [access_letter(a.text()) for a in entries]
        assert all(letters), (top.text(), [a.text() for a in entries])
        assert len(set(letters)) == len(letters), (top.text(), letters)
        _close(qtbot, menu)
        assert [a.text() for a in entries] == written[top.text()], "texts as written again"
    assert w.actions_.rescan.text() == "Rescan" and w.toolbar.widgetForAction(
        w.actions_.rescan).text() == "Rescan"


def test_a_letter_in_an_open_menu_chooses_its_entry(qtbot, make_window, library):
    w = make_window(library)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    play_on_select = w.actions_.play_on_select
    assert play_on_select.isChecked()
    menu = _open(qtbot, w, "v")
    letter = access_letter(play_on_select.text())
    QTest.keyClick(menu, _key(letter))
    qtbot.waitUntil(lambda: not play_on_select.isChecked(), timeout=10_000)
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=10_000)
    assert play_on_select.text() == "Play tracks when selected"


def test_the_music_folders_menu_keeps_its_names_unlettered(qtbot, make_window, library):
    """A folder's letter would come from its path: a key pressed there asked to remove it.
    The File menu around it has its letters (without them this test proved nothing)."""
    w = make_window(library)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    folders = w.actions_.remove_folder
    file_menu = _open(qtbot, w, "f")
    own = [a for a in file_menu.actions() if not a.isSeparator()]
    assert own and all(access_letter(a.text()) for a in own), [a.text() for a in own]
    file_menu.setActiveAction(folders.menuAction())
    QTest.keyClick(file_menu, Qt.Key.Key_Right)  # into the submenu
    qtbot.waitUntil(folders.isVisible, timeout=10_000)
    assert folders.actions() and not any(access_letter(a.text()) for a in folders.actions())
    folders.close()
    _close(qtbot, file_menu)


def test_letters_keep_those_given_and_skip_a_literal_ampersand():
    assert with_letters(["&Rescan", "Remove", "Rock && Roll", "R"]) == [
        "&Rescan", "R&emove", "R&ock && Roll", "R"]
    assert access_letter("Rock && Roll") == "" and access_letter("Rock && &Roll") == "r"


def test_the_key_list_names_the_menus_letters(qtbot, make_window, library):
    """Help ▸ Keyboard shortcuts lists every key: the menus' letters too."""
    from musicsage.gui.shortcuts_dialog import show_shortcuts

    w = make_window(library)
    rows = show_shortcuts(w).rows()
    assert any(group == "In the menu bar's menus" and keys == "Alt+letter"
               for group, keys, _what in rows)
    letter = next(what for group, keys, what in rows if keys == "Letter")
    # the rows' menus and the Save… menus are lettered while shown; pop-ups are not
    assert "the rows' and Save… menus too" in letter and "pop-ups have none" in letter
