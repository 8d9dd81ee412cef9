"""A title too long for its column wraps onto a second line where the list has the height.

At 1400x900 the neighbour lists cut "Glasshouse (Weightless Mix)" to "Glasshouse …htless
Mix" above half a list's height left blank. A list without that height (a long list, a low
window) keeps one line a row, the title elided in its middle."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

LONG = "Glasshouse (Weightless Mix)"


def _list(qtbot, height: int, n: int):
    from musicsage.gui.track_list import TrackList

    lst = TrackList()
    qtbot.addWidget(lst)
    lst.resize(300, height)
    lst.show()
    qtbot.waitExposed(lst)
    titles = [LONG] + [f"Song {i}" for i in range(n - 1)]
    lst.set_rows([{"track_id": i, "title": t, "artist": "8bit Lumvelix", "score": 0.8}
                  for i, t in enumerate(titles)], {0})
    qtbot.wait(10)
    return lst


def test_a_long_title_wraps_in_a_tall_list(qtbot):
    lst = _list(qtbot, 500, 10)
    line = lst.fontMetrics().lineSpacing()
    bold = QFont(lst.font())
    bold.setBold(True)
    assert QFontMetrics(bold).horizontalAdvance(LONG) > lst.columnWidth(1), "it cannot fit"
    first = lst.visualItemRect(lst.topLevelItem(0)).height()
    short = lst.visualItemRect(lst.topLevelItem(1)).height()
    assert first >= 2 * line - 2 and short < 2 * line - 2, (first, short, line)
    artist = lst.itemDelegateForColumn(2)
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    artist.initStyleOption(option, lst.model().index(0, 2))
    assert not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText


def test_a_list_without_the_height_keeps_one_line_a_row(qtbot):
    lst = _list(qtbot, 160, 30)
    line = lst.fontMetrics().lineSpacing()
    assert not lst.wordWrap() and lst.uniformRowHeights()
    assert lst.visualItemRect(lst.topLevelItem(0)).height() < 2 * line - 2
