"""A long playlist in the Playlist tab (pytest-qt, offscreen): choosing one of 20,000 entries
changes the list once, whatever its length. The tab built one item per entry (with its
tooltips and grey): an 8,002-track playlist held the window 2 s at each choice and at each
re-read of the library; filling it in steps made the next choice take up to a minute."""

from __future__ import annotations

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel

LONG = 20_000


def _view(playlist_id: int, n: int) -> PlaylistTracks:
    rows = tuple(PlaylistRow(i + 1, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0,
                             "missing" if i % 1000 == 999 else "") for i in range(n))
    return PlaylistTracks(playlist_id, "Long mix", "m3u", "/music/Long mix.m3u8", rows, 0)


def _count_changes(panel: PlaylistPanel) -> list[str]:
    """Each change the list's model tells its view from now on (a reset, rows in or out)."""
    told: list[str] = []
    model = panel.list.model()
    model.modelReset.connect(lambda: told.append("reset"))
    model.rowsInserted.connect(lambda *_: told.append("inserted"))
    model.rowsRemoved.connect(lambda *_: told.append("removed"))
    return told


def test_a_long_playlist_is_shown_and_left_with_one_change_each(qtbot):
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    told = _count_changes(panel)
    panel.show_tracks(_view(1, LONG))
    lst = panel.list
    assert told == ["reset"], "one change for 20,000 rows, not one per row"
    assert lst.topLevelItemCount() == LONG
    last = lst.topLevelItem(LONG - 1)
    assert [last.text(c) for c in range(4)] == [str(LONG), f"Song {LONG - 1}", "Band", "missing"]
    assert "The file is missing" in last.toolTip(1)
    assert last.foreground(1).color() != lst.topLevelItem(0).foreground(1).color()
    # the # column fits the last row's number (it read "…" past the 1,000 rows Qt measured)
    assert lst.columnWidth(0) > lst.fontMetrics().horizontalAdvance(str(LONG))
    lst.setCurrentItem(last)  # a row near the end current: the next choice was slowest
    lst.selectAll()
    told.clear()
    panel.show_tracks(_view(1, LONG))  # a re-read of the library that changed nothing here
    assert told == [] and len(lst.selected_track_ids()) == LONG
    bar = lst.verticalScrollBar()
    bar.setValue(bar.maximum())  # read to its end
    assert bar.value() > 0
    panel.show_tracks(_view(2, LONG - 1))  # another playlist
    assert told == ["reset"] and lst.selected_track_ids() == []
    assert bar.value() == 0, "another playlist shows from its first row, not where one was left"
    assert not panel.remove_button.isEnabled()
