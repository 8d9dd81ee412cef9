"""The key under the map names a highlighted playlist as fully as the map's width allows: it
cut every name at 24 characters ("playlist ‘Sunday Morning Acoustic C…’") on a map with room
for twice as many, so that two long names alike read the same; on the small map of an
800x600 window the 24 ran past the key's edge, the count unseen: the entry now always fits."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QTextDocument
from test_map_points import view  # noqa: F401 (the fixture)

from musicsage.controllers.map_tools import KEY_NAME_LIMIT
from musicsage.gui.map_view import MapView

NAME = "Sunday Morning Acoustic Coffee Favourites for a Slow Winter Weekend at Home"


def _key_words(v: MapView) -> str:
    doc = QTextDocument()
    doc.setHtml(v.selection_key.text())
    return doc.toPlainText().replace("\u00a0", " ")


def _shown_name(v: MapView) -> str:
    words = _key_words(v)
    return words[words.index("‘") + 1:words.index("’")]


def test_a_long_playlist_name_takes_the_room_of_a_wide_map(qtbot, view):  # noqa: F811
    v = view
    v.resize(560, 400)  # the map of a 1366x768 window is about 440 px wide
    rng = np.random.default_rng(1)
    v.set_points(np.arange(1, 41), rng.normal(size=(40, 2)).astype(np.float32), ["t"] * 40)
    v.set_highlight([1, 2, 3], NAME)
    qtbot.wait(10)
    shown = _shown_name(v)
    assert len(shown) > KEY_NAME_LIMIT + 10, shown
    assert v.selection_key.line_width <= v.width() - 20, "the entry stays on the map"
    assert "(3)" in _key_words(v)
    v.resize(1000, 500)  # a wider window: more of the name
    qtbot.wait(10)
    assert _shown_name(v) == NAME


def test_on_a_small_map_the_name_is_cut_before_the_keys_edge(qtbot, view):  # noqa: F811
    v = view
    v.resize(232, 400)  # an 800x600 window's map: the name ran past the key's edge
    rng = np.random.default_rng(3)
    v.set_points(np.arange(1, 41), rng.normal(size=(40, 2)).astype(np.float32), ["t"] * 40)
    v.set_highlight([1, 2, 3], "DJ Ixbry × Kingston Meadow Sound System")
    qtbot.wait(10)
    assert not v.selection_key.folded
    assert v.selection_key.line_width <= v.width() - 20, _key_words(v)
    assert _shown_name(v).endswith("…") and _key_words(v).endswith("’ (3)")


def test_a_short_name_and_wide_characters_are_not_cut_short(qtbot, view):  # noqa: F811
    v = view
    v.resize(560, 400)
    rng = np.random.default_rng(2)
    v.set_points(np.arange(1, 41), rng.normal(size=(40, 2)).astype(np.float32), ["t"] * 40)
    v.set_highlight([1, 2], "Mix")
    qtbot.wait(10)
    assert _shown_name(v) == "Mix"
    wide = "🎧🎶 " * 40  # emoji: each wider than a letter; the entry still fits the map
    v.set_highlight([1, 2], wide)
    qtbot.wait(10)
    assert v.selection_key.line_width <= v.width() - 20
    shown = _shown_name(v)
    assert shown.endswith("…") and len(shown) > KEY_NAME_LIMIT, shown  # more than the old cut
