"""A playlist named in a right-to-left script reads whole in the key under the map: its
count and closing quote went into the name's run and were drawn on its far side —
"playlist ‘(6) ’שירים לנסיעה ארוכה" — the count inside the quotes, before the name."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextLayout

from musicsage.controllers.map_tools import map_key_entries

NAMES = ("שירים לנסיעה ארוכה", "موسيقى هادئة للمساء")


def _x(text: str) -> list[float]:
    """Where each character of ``text`` (logical order) is drawn on one line, left to right."""
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text))]


def test_a_right_to_left_name_keeps_its_count_after_it(qapp):
    for name in NAMES:
        words = dict(map_key_entries(False, name, playlist_size=6))["playlist"]
        x = _x(words)
        start, count = words.index(name[0]), words.index("(6)")
        name_x = x[start + 1:start + len(name)]  # inside it: a run's ends are ambiguous
        assert max(name_x) < x[count], (words, "the count on the name's far side")
        assert x[words.index("playlist")] < min(name_x), words
    assert dict(map_key_entries(False, "Mix", playlist_size=3))["playlist"] == "playlist ‘Mix’ (3)"


def test_a_right_to_left_name_in_the_legend_keeps_its_disc_before_and_size_after(qapp):
    from musicsage.gui.map_colours import legend_name

    for name in NAMES + ("שירים לנסיעה ארוכה #2",):
        row = f"● {legend_name(name, 28)} (35)"  # as the legend's row reads, its mark first
        x = _x(row)
        start = row.index(name[0])
        name_x = x[start + 1:start + len(name)]
        assert x[0] < min(name_x) < max(name_x) < x[row.index("(35)")], row
