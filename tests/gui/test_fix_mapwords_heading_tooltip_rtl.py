"""The Playlist tab heading's tooltip names a playlist in a right-to-left script as the heading
does, the name before its count: built from the raw heading, its first line still read
"(tracks 35) שירים לנסיעה ארוכה" once the heading itself was set right."""

from __future__ import annotations

from test_mapwords_playlist_heading_rtl_name import NAME, _x

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel


def test_the_headings_tooltip_reads_the_name_before_its_count(qtbot):
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    rows = tuple(PlaylistRow(i, i, f"T{i}", "A", f"/m/{i}.flac", 60.0, "") for i in range(1, 4))
    path = f"/music/{NAME}.m3u8"
    panel.show_tracks(PlaylistTracks(3, NAME, "m3u", path, rows, 0))
    first, second = panel.heading.toolTip().split("\n")
    assert second == path
    x = _x(first, panel.heading.font())
    start = first.index(NAME[0])
    assert max(x[start + 1:start + len(NAME)]) < x[first.index("(3")] < x[first.index("tracks")], \
        first
    panel.show_tracks(PlaylistTracks(4, "Mix", "m3u", "/music/Mix.m3u8", rows, 0))
    assert panel.heading.toolTip() == "Mix (3 tracks)\n/music/Mix.m3u8"
