"""The lists' Title and Artist columns (pytest-qt, offscreen): a resize shares the width again
from the widths already measured, without measuring a long list's rows once more; new rows, an
edited row or another font are measured again, so the columns still fit what they show."""

from __future__ import annotations

from PySide6.QtGui import QFont

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.gui.track_list import TrackList


def _view(n: int, artist: str = "Band") -> PlaylistTracks:
    rows = tuple(PlaylistRow(i + 1, i + 1, f"Song {i}", artist, f"/music/{i}.flac", 185.0, "")
                 for i in range(n))
    return PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0)


def _panel(qtbot) -> PlaylistPanel:
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _count_measures(lst) -> list[int]:
    """Each column measured over the list's rows (:meth:`TrackList._needed`), from now on."""
    measured: list[int] = []
    needed = lst._needed

    def counting(column: int) -> int:
        measured.append(column)
        return needed(column)

    lst._needed = counting
    return measured


def test_a_resize_shares_the_width_without_measuring_the_rows_again(qtbot):
    panel = _panel(qtbot)
    panel.show_tracks(_view(1500))
    lst = panel.list
    title_width = lst.columnWidth(1)
    measured = _count_measures(lst)
    panel.resize(1100, 400)
    qtbot.waitUntil(lambda: lst.columnWidth(1) != title_width, timeout=10000)
    qtbot.wait(50)  # the layout's later events too
    assert measured == []
    # the width went to the columns still: Title and Artist fill the list's width
    free = lst.viewport().width() - lst.columnWidth(0) - lst.columnWidth(3)
    assert abs(lst.columnWidth(1) + lst.columnWidth(2) - free) <= 2


def test_new_rows_and_another_font_are_measured_again(qtbot):
    panel = _panel(qtbot)
    panel.show_tracks(_view(3))
    lst = panel.list
    short = lst.columnWidth(2)
    panel.show_tracks(_view(3, "The Longer Named Orchestra and Friends"))
    assert lst.columnWidth(2) > short
    panel.show_tracks(_view(3))
    assert lst.columnWidth(2) == short
    big = QFont(lst.font())
    big.setPointSizeF(big.pointSizeF() * 2)
    measured = _count_measures(lst)
    lst.setFont(big)
    panel.resize(702, 400)
    qtbot.waitUntil(lambda: bool(measured), timeout=10000)


def test_an_edited_row_of_a_tree_widget_list_is_measured_again(qtbot):
    """The neighbours' and suggestions' lists are tree widgets whose rows can be edited."""
    lst = TrackList()
    qtbot.addWidget(lst)
    lst.resize(700, 400)
    lst.show()
    qtbot.waitExposed(lst)
    lst.set_rows([{"track_id": i + 1, "title": f"Song {i}", "artist": "Band"} for i in range(3)])
    short = lst.columnWidth(2)
    lst.topLevelItem(0).setText(2, "An Artist Edited In, Long Named Too")
    lst.resize(701, 400)  # a resize shares the width out again, from the new measure
    qtbot.waitUntil(lambda: lst.columnWidth(2) > short, timeout=10000)


def test_a_short_title_of_wide_letters_among_many_longer_in_bytes_is_measured(qtbot):
    """The Playlist tab measures a few hundred of its titles, not each one: a title with few
    bytes but more characters, of wide letters, was left out and shown cut."""
    wide = "W" * 30
    narrow = [f"{i:03d}" + "\u0131" * 16 for i in range(300)]  # dotless i: 2 bytes, narrow
    assert all(len(t.encode()) > len(wide.encode()) and len(t) < len(wide) for t in narrow)
    artist = "The Band With A Name Long Enough To Leave Title Only What It Needs " * 3
    rows = tuple(PlaylistRow(i + 1, i + 1, title, artist, f"/music/{i}.flac", 185.0, "")
                 for i, title in enumerate([*narrow, wide]))
    panel = _panel(qtbot)
    panel.resize(1400, 400)
    panel.show_tracks(PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0))
    lst = panel.list
    assert lst.columnWidth(1) < lst.columnWidth(2), "Title gets what its titles need"
    assert lst.columnWidth(1) > lst.fontMetrics().horizontalAdvance(wide), "the title shows whole"
