"""What the map shows while the map asked for is not there yet: the points under a message
("Computing the map…" of the graph model over the audio map) are dimmed, not drawn as if
they were that map, and an empty map has no empty "Legend (0)" box."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor
from test_map_points import pixel_at as _drawn
from test_map_points import view  # noqa: F401 (the fixture)

from musicsage.gui.map_view import PALETTE, Colouring


def test_points_under_a_message_are_dimmed_and_an_empty_map_has_no_legend(view):  # noqa: F811
    v = view
    assert not v.legend.isVisible(), "no points, nothing to explain"
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    v.set_points(np.arange(1, 5), xy, ["t"] * 4, Colouring(np.zeros(4, np.int64), ["a"]))
    assert v.legend.isVisible()
    bright = _drawn(v, 0, 0)
    assert bright == QColor(PALETTE[0])
    v.set_message("Computing the map…")
    dim = _drawn(v, 0, 0)
    assert dim.lightness() < bright.lightness() - 40, (dim.name(), bright.name())
    v.set_message("")  # a cancel: the map shown stays
    assert _drawn(v, 0, 0) == bright
    v.set_message("Computing the map…")
    v.set_points(np.arange(1, 5), xy, ["t"] * 4)  # the new map
    assert _drawn(v, 0, 0) != dim and not v.message.isVisible()
