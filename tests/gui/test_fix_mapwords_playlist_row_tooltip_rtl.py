"""A playlist row's tooltip names a playlist in a right-to-left script as it names any other:
the name, then its count. Starting with the name, the tooltip was a right-to-left line,
": 35 tracks in the library" drawn before the name, after the row itself was set right."""

from __future__ import annotations

from test_mapwords_playlist_heading_rtl_name import _x
from test_mapwords_playlist_list_rtl_name import NAMES

from musicsage.gui.playlist_list import PlaylistList


def test_a_right_to_left_rows_tooltip_reads_the_name_before_its_count(qtbot):
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(300, 300)
    box.show()
    box.show_playlists([(1, NAMES[0], 35), (2, NAMES[1], 40), (3, "Mix", 3), (4, NAMES[0], 6)])
    tips = {box.list.item(i).text(): box.list.item(i).toolTip()
            for i in range(box.list.count())}
    assert tips["Mix  (3)"] == "Mix: 3 tracks in the library"
    for text, tip in tips.items():
        name = next(n for n in (*NAMES, "Mix") if text.startswith(n))
        x = _x(tip, box.list.font())
        start, count = tip.index(name[0]), tip.index(": ") + 2
        assert max(x[start + 1:start + len(name)]) < x[count] < x[tip.index("tracks")], tip
        assert "#4" not in text or tip.endswith("names its file)"), tip  # the id's words kept
