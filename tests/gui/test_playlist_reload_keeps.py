"""The Playlist tab across re-reads of the library (pytest-qt, offscreen): a rescan, the folder
watch, a command in a terminal or the end of a removal shows the chosen playlist again. The
selected rows stayed selected nowhere (2 selected → 0), every row was rebuilt on the window's
thread even when nothing had changed (8,000 rows: 0.8 s), and a rebuild under a selection
ran the panel's slots mid-clear (tracebacks, then a crash in Qt's model)."""

from __future__ import annotations

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel


def _view(ids: list[int]) -> PlaylistTracks:
    rows = tuple(PlaylistRow(tid, i + 1, f"Song {tid}", "Band", f"/music/{tid}.flac", 185.0, "")
                 for i, tid in enumerate(ids))
    return PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0)


def _panel(qtbot) -> PlaylistPanel:
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 300)
    panel.show()
    return panel


def test_the_same_rows_read_again_are_left_as_they_are(qtbot):
    panel = _panel(qtbot)
    panel.show_tracks(_view(list(range(1, 201))))
    lst = panel.list
    lst.setCurrentItem(lst.topLevelItem(120))
    lst.topLevelItem(121).setSelected(True)
    lst.scrollToItem(lst.topLevelItem(120))
    first, scrolled = lst.topLevelItem(0), lst.verticalScrollBar().value()
    panel.show_tracks(_view(list(range(1, 201))))  # a re-read that changed nothing here
    assert lst.topLevelItem(0) is first, "not rebuilt"
    assert lst.selected_track_ids() == [121, 122] and lst.currentItem() is lst.topLevelItem(120)
    assert lst.verticalScrollBar().value() == scrolled and scrolled > 0
    assert panel.remove_button.text() == "Remove 2 from playlist"


def test_the_selected_tracks_stay_selected_when_the_rows_change(qtbot):
    """A track above them taken out elsewhere: they moved up a row, still selected, the
    current one still current (the button still says how many)."""
    panel = _panel(qtbot)
    panel.show_tracks(_view([5, 6, 7, 8, 9]))
    lst = panel.list
    lst.setCurrentItem(lst.topLevelItem(3))  # track 8
    lst.topLevelItem(2).setSelected(True)  # track 7
    assert lst.selected_track_ids() == [7, 8]
    panel.show_tracks(_view([5, 7, 8, 9]))  # 6 gone
    assert lst.topLevelItemCount() == 4 and lst.selected_track_ids() == [7, 8]
    assert int(lst.currentItem().text(0)) == 3 and lst.currentItem().text(1) == "Song 8"
    assert panel.remove_button.isEnabled() and panel.remove_button.text() == \
        "Remove 2 from playlist"
    panel.show_tracks(_view([5, 9]))  # both removed: the next row takes the current's place
    assert lst.selected_track_ids() == [] and lst.currentItem().text(1) == "Song 9"
    assert not panel.remove_button.isEnabled()


def test_a_rebuild_under_a_selection_runs_no_slot_on_rows_being_taken_out(qtbot):
    """Every row selected (Ctrl+A), then another list: what the panel's slots read of the
    selection is always a list of rows still there."""
    panel = _panel(qtbot)
    panel.show_tracks(_view(list(range(1, 2001))))
    lst = panel.list
    lst.selectAll()
    seen: list[list[int]] = []
    lst.itemSelectionChanged.connect(lambda: seen.append(lst.selected_track_ids()))
    panel.show_tracks(_view(list(range(2, 2001))))
    assert len(lst.selected_track_ids()) == 1999
    assert all(len(ids) <= lst.topLevelItemCount() for ids in seen)
    lst.clear()  # Qt's own clear (another playlist chosen): gone rows are skipped, no error
    assert lst.selected_track_ids() == [] and panel.remove_button.text() == \
        "Remove from playlist"
