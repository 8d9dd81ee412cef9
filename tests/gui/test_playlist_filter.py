"""The library panel's playlists with many of them (471 in import order were unusable): sorted
by name as a person reads it, narrowed by a filter that keeps across a reload, reachable and
usable from the keyboard."""

from __future__ import annotations

import pytest

from musicsage.controllers.playlist_order import matches, natural_key, sorted_playlists

NAMES = ["Focus 10", "focus 2", "Zed", "Émotions", "emotions 1", "apple", "Focus 1", "édition",
         "Edition 3"]
IN_ORDER = ["apple", "édition", "Edition 3", "Émotions", "emotions 1", "Focus 1", "focus 2",
            "Focus 10", "Zed"]


def test_playlists_sort_by_name_numbers_by_value_case_and_accents_aside():
    rows = [(i + 1, name, 3) for i, name in enumerate(NAMES)]
    assert [r[1] for r in sorted_playlists(rows)] == IN_ORDER
    assert natural_key("Focus 2") < natural_key("Focus 10") < natural_key("Focus 10b")
    assert natural_key("2 Chill") < natural_key("10 Chill") < natural_key("Chill")
    # leading marks set aside: a name is filed by its first letter or digit, not after Z
    marked = [(1, "♥ EDM", 1), (2, "Zen", 1), (3, "¡Viva Latino!", 1), (4, "'80s Rock", 1),
              (5, "Ambient", 1), (6, "★", 1)]
    assert [r[1] for r in sorted_playlists(marked)] == ["'80s Rock", "Ambient", "♥ EDM",
                                                         "¡Viva Latino!", "Zen", "★"]
    # two playlists of one name keep one order from one reload to the next: by id
    same = [(9, "Mix", 1), (4, "Mix", 2)]
    assert sorted_playlists(same) == sorted_playlists(same[::-1]) == [(4, "Mix", 2), (9, "Mix", 1)]


@pytest.mark.parametrize("text,name,shown", [
    ("focus", "Deep FOCUS II", True), ("focus ii", "Deep Focus II", True),
    ("ii focus", "Deep Focus II", True), ("emotion", "Émotions", True),
    ("ÉMO", "emotions 1", True), ("focus 3", "Focus 2", False), ("", "anything", True)])
def test_the_filter_wants_every_word_case_and_accents_aside(text, name, shown):
    assert matches(name, text) is shown


def _panel(qtbot):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(240, 600)
    panel.show()
    panel.activateWindow()  # Esc is a shortcut: it needs the window active
    qtbot.waitUntil(panel.isActiveWindow)
    panel.show_playlists([(i + 1, name, 3) for i, name in enumerate(NAMES)])
    return panel


def _listed(panel) -> list[str]:
    return [r.text().rsplit("  (", 1)[0] for r in panel.playlist_box.shown_rows()]


def _row(panel, name: str):
    return next(r for r in panel.playlist_box.shown_rows() if r.text().startswith(name + "  ("))


def test_the_panel_lists_playlists_by_name_and_the_filter_narrows_them(qtbot):
    from PySide6.QtCore import Qt

    panel = _panel(qtbot)
    assert _listed(panel) == IN_ORDER
    assert panel.playlists_label.text() == "<b>Playlists</b> (9)"
    box = panel.playlist_filter
    assert box.placeholderText() == "Filter playlists"
    assert box.accessibleName() == "Filter playlists"
    assert panel.playlists.accessibleName() == "Playlists"
    box.setFocus()
    qtbot.keyClicks(box, "foc")
    assert _listed(panel) == ["Focus 1", "focus 2", "Focus 10"]
    assert panel.playlists_label.text() == "<b>Playlists</b> (3 of 9)"
    assert panel.playlists.accessibleDescription() == "3 of 9 playlists shown"
    qtbot.keyClicks(box, "us 1")
    assert _listed(panel) == ["Focus 1", "Focus 10"]
    qtbot.keyClicks(box, "x")
    assert _listed(panel) == [] and panel.playlists_label.text() == "<b>Playlists</b> (0 of 9)"
    note = panel.playlists.item(panel.playlists.count() - 1)
    assert "focus 1x" in note.text() and not note.flags(), "a row that cannot be picked"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and _listed(panel) == IN_ORDER
    assert panel.playlists.count() == len(NAMES), "the note is gone"
    assert panel.playlists_label.text() == "<b>Playlists</b> (9)"


def test_the_filter_and_the_chosen_playlist_survive_a_reload(qtbot):
    panel = _panel(qtbot)
    chosen = []
    panel.playlist_chosen.connect(chosen.append)
    _row(panel, "focus 2").setSelected(True)
    pid = NAMES.index("focus 2") + 1
    assert chosen == [pid]
    qtbot.keyClicks(panel.playlist_filter, "focus")
    assert panel.current_playlist() == pid, "still shown: still chosen"
    # the library is read again (a rescan): another order, one playlist more, new counts
    rows = [(i + 1, name, 5) for i, name in enumerate(NAMES)] + [(99, "Focus 3", 1)]
    panel.show_playlists(rows[::-1])
    assert panel.playlist_filter.text() == "focus"
    assert _listed(panel) == ["Focus 1", "focus 2", "Focus 3", "Focus 10"]
    assert panel.playlists_label.text() == "<b>Playlists</b> (4 of 10)"
    assert panel.current_playlist() == pid and _row(panel, "focus 2").isSelected()
    assert chosen == [pid], "a reload is not a choice"
    # hidden by the filter it stays chosen (its tracks stay highlighted), and comes back
    panel.playlist_filter.setText("zed")
    assert panel.current_playlist() == pid and chosen == [pid]
    panel.playlist_filter.clear()
    assert _row(panel, "focus 2").isSelected()


def test_down_from_the_filter_goes_into_the_list_and_up_comes_back(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    panel = _panel(qtbot)
    chosen = []
    panel.playlist_chosen.connect(chosen.append)
    panel.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.search)
    qtbot.keyClick(panel.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.playlist_filter, "Tab reaches the filter"
    qtbot.keyClicks(panel.playlist_filter, "emo")
    qtbot.keyClick(panel.playlist_filter, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.playlists
    assert chosen == [NAMES.index("Émotions") + 1], "the first row shown, chosen"
    qtbot.keyClick(panel.playlists, Qt.Key.Key_Down)
    assert chosen[-1] == NAMES.index("emotions 1") + 1
    qtbot.keyClick(panel.playlists, Qt.Key.Key_Up)
    qtbot.keyClick(panel.playlists, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is panel.playlist_filter
    qtbot.keyClick(panel.playlist_filter, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.playlists, "Tab goes on into the list"
