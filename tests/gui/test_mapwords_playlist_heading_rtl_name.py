"""The Playlist tab's heading names a playlist in a right-to-left script as it names any other:
the name, then its count. Laid out as a right-to-left line, it read "(tracks 35) שירים לנסיעה
ארוכה", the English words in reverse order, the count before the name."""

from __future__ import annotations

from PySide6.QtGui import QTextLayout

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel

NAME = "שירים לנסיעה ארוכה"


def _x(text: str, font) -> list[float]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text))]


def test_a_right_to_left_name_reads_before_its_count(qtbot):
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    rows = tuple(PlaylistRow(i, i, f"T{i}", "A", f"/m/{i}.flac", 60.0, "") for i in range(1, 4))
    panel.show_tracks(PlaylistTracks(3, NAME, "m3u", f"/music/{NAME}.m3u8", rows, 0))
    text = panel.heading.text()
    x = _x(text, panel.heading.font())
    start = text.index(NAME[0])
    name_x = x[start + 1:start + len(NAME)]
    assert max(name_x) < x[text.index("(3")] < x[text.index("tracks")], text
    panel.show_tracks(PlaylistTracks(4, "Mix", "m3u", "/music/Mix.m3u8", rows, 0))
    assert panel.heading.text() == "Mix (3 tracks)"
