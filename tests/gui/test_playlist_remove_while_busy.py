"""While a removal from the playlist runs, the Playlist tab offers no other (pytest-qt,
offscreen): the button and the rows' menu entry are both off, and on again once it is over —
the menu's entry stayed on, and clicking it did nothing at all."""

from __future__ import annotations

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel


def _remove_action(panel: PlaylistPanel, track_id: int):
    return next(a for a in panel.list.context_menu(track_id).actions()
                if a.text().startswith("Remove"))


def test_the_rows_menu_offers_no_removal_while_one_runs(qtbot):
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    rows = tuple(PlaylistRow(10 + i, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0, "")
                 for i in range(3))
    panel.show_tracks(PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0))
    panel.list.topLevelItem(0).setSelected(True)
    assert _remove_action(panel, 10).isEnabled() and panel.remove_button.isEnabled()
    panel.set_busy(True)
    assert not _remove_action(panel, 10).isEnabled() and not panel.remove_button.isEnabled()
    panel.set_busy(False)
    assert _remove_action(panel, 10).isEnabled() and panel.remove_button.isEnabled()
