"""Two playlists whose long names differ only at their end ("Summer Road Trip 2024 with the
Whole Family - Part One" / "… Part Two") looked the same in the narrow playlist list: cut at
the right, both rows read "Summer Road Trip 2024 with t…", their counts cut off too. The rows
are cut in the middle now, so what tells them apart, and the count, stay in view; the tooltip
names the playlist whole."""

from __future__ import annotations

from PySide6.QtCore import QRect

NAME = "Summer Road Trip 2024 with the Whole Family - Part "


def _row_images(qtbot, box):
    rows = box.shown_rows()
    box.list.clearSelection()
    box.list.setCurrentItem(None)
    view = box.list.viewport()
    strips = [QRect(0, box.list.visualItemRect(r).y(), view.width(),
                    box.list.visualItemRect(r).height()) for r in rows]
    return [view.grab(strip).toImage() for strip in strips]  # what the list shows of each


def test_two_long_names_differing_at_their_end_look_different(qtbot):
    from musicsage.gui.playlist_list import PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(200, 300)  # the library panel's width in a 1366 px window
    box.show()
    qtbot.waitExposed(box)
    box.show_playlists([(1, NAME + "One", 3), (2, NAME + "Two", 3)])
    width = box.list.viewport().width()
    assert box.list.fontMetrics().horizontalAdvance(box.shown_rows()[0].text()) > width, \
        "the names must be too long for the list, as in the window"
    first, second = _row_images(qtbot, box)
    assert first.size() == second.size()
    assert first != second, "both rows are drawn alike: the user cannot tell them apart"


def test_the_tooltip_names_the_whole_playlist(qtbot):
    from musicsage.gui.playlist_list import PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, NAME + "One", 3)])
    assert (NAME + "One: 3 tracks in the library") in box.shown_rows()[0].toolTip()
