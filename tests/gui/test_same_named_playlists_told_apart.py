"""Two playlists of one name (every album's ``album.m3u``, "Road Trip" as a file and as a
player's list) are told apart in the playlists' list by their id, which ``musicsage
playlists`` lists beside each one's file: their rows read "Road Trip  (20)" and "Road Trip
(18)", the count the only difference, and two of the same count not at all."""

from __future__ import annotations


def test_same_named_rows_carry_their_ids_and_other_rows_do_not(qtbot):
    from musicsage.gui.playlist_list import PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(33, "Road Trip", 20), (7, "Jazz", 4), (32, "Road Trip", 20)])
    rows = {r.text(): r.toolTip() for r in box.shown_rows()}
    assert list(rows) == ["Jazz  (4)", "Road Trip  (20)  #32", "Road Trip  (20)  #33"]
    assert "another playlist has this name: this one is #33" in rows["Road Trip  (20)  #33"]
    assert "musicsage playlists 33" in rows["Road Trip  (20)  #33"]
    assert "another playlist" not in rows["Jazz  (4)"]


def test_the_filter_still_reads_the_name_alone(qtbot):
    """The id added to the row is not part of the name the filter matches."""
    from musicsage.gui.playlist_list import ID_ROLE, PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Mix", 3), (2, "Mix", 5), (3, "Jazz", 4)])
    box.filter.setText("#2")
    assert box.shown_rows() == []
    box.filter.setText("mix")
    assert [r.data(ID_ROLE) for r in box.shown_rows()] == [1, 2]
