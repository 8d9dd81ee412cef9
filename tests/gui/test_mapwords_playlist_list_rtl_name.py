"""A playlist named in a right-to-left script keeps its count after its name in the playlist
list, as every other row: it was drawn on the name's far side, "(35)  שירים לנסיעה ארוכה",
the one row of the list whose count stood at its start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout, QTextOption

from musicsage.gui.playlist_list import PlaylistList

NAMES = ("שירים לנסיעה ארוכה", "موسيقى هادئة للمساء")


def _x(text: str, font) -> list[float]:
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)  # as the list draws its rows
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text))]


def test_a_right_to_left_row_keeps_its_count_after_its_name(qtbot):
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(300, 300)
    box.show()
    box.show_playlists([(1, NAMES[0], 35), (2, NAMES[1], 40), (3, "Mix", 3), (4, NAMES[0], 6)])
    texts = [box.list.item(i).text() for i in range(box.list.count())]
    assert "Mix  (3)" in texts
    for text in texts:
        x = _x(text, box.list.font())
        count = text.rindex("(")
        name = [i for i, ch in enumerate(text[:count]) if ch.isalpha()]
        assert max(x[i] for i in name[1:]) < x[count + 1], text
    box.list.setFocus()
    box.list.keyboardSearch(NAMES[1][:3])  # typing a name's first letters goes to its row
    assert box.list.currentItem().text().startswith(NAMES[1])
