"""The selected track's name while the map is shown stale ("Computing the map…"): the points
and the selected disc fade to a quarter under the message, and the name with them. It used to
stay full white, the brightest thing on the map, drawn over the message's words."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect
from test_map_points import view  # noqa: F401 (the fixture)

from musicsage.gui.map_view import Colouring, MapView


def _brightest(v: MapView, area: QRect) -> int:
    """The lightness of the brightest pixel the map draws in ``area`` (its coordinates)."""
    image = v.grab().toImage()
    dpr = image.devicePixelRatio()
    return max(image.pixelColor(int(x * dpr), int(y * dpr)).lightness()
               for x in range(area.left(), area.right()) for y in range(area.top(), area.bottom()))


def _stacked_over(v: MapView, top, under) -> bool:
    siblings = v.children()
    return siblings.index(top) > siblings.index(under)


def test_the_selected_name_fades_with_the_map_under_its_message(qtbot, view):  # noqa: F811
    v = view
    # the selected track in a corner, its name far from the message in the middle
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [5, 5]], np.float32)
    v.set_points(np.arange(1, 6), xy, [f"Track {i} — Artist" for i in range(5)],
                 Colouring(np.zeros(5, np.int64), ["a"]))
    v.set_selection(3, graph_ids=[4])
    qtbot.wait(10)
    name = v._label.geometry()
    words = v.message.fontMetrics().boundingRect("Computing the map…")
    words.moveCenter(v.rect().center())
    assert v._label.isVisible() and not name.intersects(words.adjusted(-20, -20, 20, 20))
    bright = _brightest(v, name)
    assert bright > 240, "white words on the map"

    v.set_message("Computing the map…")
    qtbot.wait(10)
    dim = _brightest(v, name)
    assert dim < bright - 120, (dim, bright)  # a quarter of white over the dark map: ~85
    assert v._label.isVisible(), "still the selection, as its dimmed disc says"
    assert _stacked_over(v, v.message, v._label), "the message's words over the name"
    v.view.translateBy(x=0.5)  # a pan places the name again: still under the message
    qtbot.wait(10)
    assert _stacked_over(v, v.message, v._label)

    v.set_message("")  # the map is back (or the computing was cancelled)
    qtbot.wait(10)
    assert _brightest(v, v._label.geometry()) == bright
