"""The playlists' list writes a long playlist's count as the rest of the window does ("28,356
tracks" in the library's summary, "Long mix (8,000 tracks)" in the Playlist tab's heading):
its row read "Long mix  (8000)"."""

from __future__ import annotations


def test_a_long_playlists_row_and_tip_group_its_thousands(qtbot):
    from musicsage.gui.playlist_list import PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Long mix", 8000), (2, "Short", 3)])
    rows = {r.text(): r.toolTip() for r in box.shown_rows()}
    assert set(rows) == {"Long mix  (8,000)", "Short  (3)"}
    assert "Long mix: 8,000 tracks in the library" in rows["Long mix  (8,000)"]
