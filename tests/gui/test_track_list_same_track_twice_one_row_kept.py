"""A list holding the same track twice (a playlist with a song in it two times), shown again
with the same rows (the lists explained again once a track's tags arrive): every copy of the
selected track was selected again — two rows selected in a single-selection list. One row is
kept selected: the current one."""

from __future__ import annotations


def _rows() -> list[dict]:
    return [{"track_id": tid, "title": f"Song {tid}", "artist": "Kingston Meadow"}
            for tid in (1, 2, 1, 3)]


def test_a_track_listed_twice_keeps_one_selected_row(qtbot):
    from musicsage.gui.track_list import TrackList

    lst = TrackList()
    qtbot.addWidget(lst)
    lst.set_rows(_rows())
    lst.setCurrentItem(lst.topLevelItem(0))  # the user clicks the track's first row
    assert len(lst.selectedItems()) == 1

    assert lst.set_rows(_rows()) == 1  # the same rows again: the current track is kept
    assert lst.selectedItems() == [lst.topLevelItem(0)] == [lst.currentItem()]
