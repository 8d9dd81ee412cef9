"""A neighbour or suggestion list's row of a track without a title tag: its Title cell was
blank (the map and the track box call it by its file's name), and the row's tooltip showed
the "dataset:DIR#id" key of a track imported from a dataset dir, which no user has seen."""

from __future__ import annotations


def _list(qtbot, rows):
    from musicsage.gui.track_list import TrackList

    lst = TrackList()
    qtbot.addWidget(lst)
    lst.resize(500, 300)
    lst.set_rows(rows)
    return lst


def test_an_untitled_row_is_named_as_the_map_names_it(qtbot):
    from musicsage.library.browse import TrackInfo

    rows = [{"track_id": 1, "title": None, "artist": None, "path": "dataset:/data/ds#t0"},
            {"track_id": 2, "title": "", "artist": "Band", "path": "/music/Live/Intro.flac"},
            {"track_id": 3, "title": "Song", "artist": "Band", "path": "/music/Song.flac"}]
    lst = _list(qtbot, rows)
    cells = [lst.topLevelItem(i).text(1) for i in range(3)]
    named = [TrackInfo(r["track_id"], r["path"], r["title"], r["artist"], None, None, None,
                       None, None, None, None, "present", False).display_title for r in rows]
    assert cells == named == ["ds#t0", "Intro.flac", "Song"], "no blank Title cell"


def test_untitled_rows_are_told_apart_by_the_names_they_show(qtbot):
    """Two untitled tracks read apart by their files' names need no mark after them."""
    lst = _list(qtbot, [
        {"track_id": 1, "title": None, "artist": None, "path": "/music/A/Intro.flac"},
        {"track_id": 2, "title": None, "artist": None, "path": "/music/B/Outro.flac"},
        {"track_id": 3, "title": "Intro.flac", "artist": None, "path": "/music/C/x.mp3"}])
    assert [lst.topLevelItem(i).text(1) for i in range(3)] == [
        "Intro.flac (flac)", "Outro.flac", "Intro.flac (mp3)"], "alike only where they read alike"


def test_a_rows_tooltip_names_its_place_as_a_person_reads_it(qtbot):
    lst = _list(qtbot, [
        {"track_id": 1, "title": "Daybreak", "artist": None, "path": "dataset:/data/ds#t1"},
        {"track_id": 2, "title": "Song", "artist": "Band", "path": "/music/Song.flac"}])
    dataset_tip, file_tip = (lst.topLevelItem(i).toolTip(1) for i in range(2))
    assert "dataset:" not in dataset_tip and "no audio file (imported from /data/ds)" in \
        dataset_tip
    assert dataset_tip.startswith("Daybreak\n"), "no ' — ' before an artist it lacks"
    assert file_tip.startswith("Song — Band\n/music/Song.flac")
