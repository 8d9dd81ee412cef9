"""The playlists' list cut every long row at its end: "Sunday Morning Acoustic Coffee
Favourites Winter" and "… Summer" both read "Sunday Morning Acoustic Coff…", and "Late Night
Driving Through the City Vol. 1" and "Vol. 2" read alike (a middle cut of every row, taken
out, hid them alike too). A row whose end cut falls before where it differs from another
now shows that part; other rows are cut as before."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from musicsage.gui.playlist_list import PlaylistList

PAIRS = [("Sunday Morning Acoustic Coffee Favourites Winter",
          "Sunday Morning Acoustic Coffee Favourites Summer"),
         ("Late Night Driving Through the City Vol. 1",
          "Late Night Driving Through the City Vol. 2"),
         ("Summer Road Trip 2024 Part One with friends and family",
          "Summer Road Trip 2024 Part Two with friends and family")]


def _shown(box: PlaylistList) -> dict[str, str]:
    """Each row's text as drawn: its delegate's text, cut at its end by the style to the
    room for it."""
    view, out = box.list, {}
    for row in range(view.count()):
        item = view.item(row)
        option = QStyleOptionViewItem()
        option.initFrom(view.viewport())
        option.widget = view
        option.rect = view.visualItemRect(item)  # as wide as its text: drawn, as the list
        option.rect.setWidth(view.viewport().width())  # (the list is cut to its width)
        view.itemDelegate().initStyleOption(option, view.indexFromItem(item))
        room = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option,
                                           view).width() - 4
        out[item.text()] = option.fontMetrics.elidedText(option.text,
                                                         Qt.TextElideMode.ElideRight, room)
    return out


@pytest.mark.parametrize("names", PAIRS)
@pytest.mark.parametrize("width", [200, 260])
def test_long_names_alike_read_apart(qtbot, names, width):
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(width, 300)
    box.show()
    qtbot.waitExposed(box)
    box.show_playlists([(1, names[0], 40), (2, names[1], 38), (3, "Focus", 3)])
    shown = _shown(box)
    first, second = (shown[f"{n}  ({c})"] for n, c in zip(names, (40, 38)))
    assert first != second, shown
    assert "Winter" in first or "1" in first or "One" in first, shown
    assert shown["Focus  (3)"] == "Focus  (3)"
    for text in (first, second):  # the start's cut: no space left hanging before its "…"
        assert "…" not in text or not text.split("…")[0].endswith(" "), shown


def test_a_long_name_unlike_the_others_is_cut_at_its_end(qtbot):
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(200, 300)
    box.show()
    qtbot.waitExposed(box)
    long = "A very long playlist name that no other playlist shares at all"
    box.show_playlists([(1, long, 4), (2, "Another long name that no other shares", 2)])
    shown = _shown(box)[f"{long}  (4)"]
    assert shown.startswith("A very long") and shown.endswith("…"), shown
