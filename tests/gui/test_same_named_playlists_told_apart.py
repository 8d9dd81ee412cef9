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


def test_names_that_only_look_alike_carry_their_ids_too(qtbot):
    """"Café" written two Unicode ways (a name typed on a Mac, one from a tag), "Road Trip"
    and "Road Trip " (a title line's trailing space): the rows read the same; "road trip" in
    lower case reads otherwise, and gets no id."""
    from musicsage.gui.playlist_list import PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Caf\u00e9", 3), (2, "Cafe\u0301", 3), (3, "Road Trip", 2),
                        (4, "Road Trip ", 2), (5, "road trip", 2), (6, "Jazz", 4)])
    texts = [r.text() for r in box.shown_rows()]
    assert sorted(t for t in texts if ")  #" in t) == sorted(
        ["Caf\u00e9  (3)  #1", "Cafe\u0301  (3)  #2", "Road Trip  (2)  #3",
         "Road Trip   (2)  #4"])
    assert "road trip  (2)" in texts and "Jazz  (4)" in texts
