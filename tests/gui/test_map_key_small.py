"""The key to the map's marks on a small laptop screen: at 800x500 with the training dock open
the map is about 220x200 px, and the open key, wrapped on two lines, covered a fifth of it —
the points were squeezed into what was left. There it folds to a small "Key" button; a roomy
window shows the whole key, as before."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt

from gui_support import window_with_the_dock_open


def _share(widget, area) -> float:
    """How much of ``area`` (a QRect) the widget covers."""
    covered = widget.geometry().intersected(area)
    return covered.width() * covered.height() / (area.width() * area.height())


def _points_height(view) -> float:
    """The height (px) of the box the map's points are drawn in."""
    ys = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y)))).y()
          for x, y in view.xy]
    return float(np.ptp(ys))


def test_at_800x500_with_the_dock_the_key_folds_to_a_button_that_opens_it(
        qtbot, make_window, library):
    w = window_with_the_dock_open(qtbot, make_window, library, (800, 500))
    view, key = w.map, w.map.selection_key
    assert view.height() < 260, "the small map this is about"
    assert key.isVisible() and key.folded and not key.body.isVisible()
    assert view.rect().contains(key.geometry())
    assert _share(key, view.rect()) <= 0.05, (key.geometry(), view.size())
    assert "graph only" in key.header.toolTip() and "audio only" in key.header.toolTip()
    folded_points = _points_height(view)

    qtbot.mouseClick(key.header, Qt.MouseButton.LeftButton)  # the user opens it
    qtbot.wait(20)
    assert not key.folded and key.body.isVisible() and "graph&nbsp;only" in key.text()
    assert view.rect().contains(key.geometry()), "opened upwards, inside the map"
    siblings = view.children()
    assert siblings.index(key) > siblings.index(view._label), "over the selected name"
    view.fit()  # the points fitted clear of the open key: the room the folded key gives
    qtbot.wait(20)
    assert folded_points >= 1.15 * _points_height(view)
    qtbot.mouseClick(key.header, Qt.MouseButton.LeftButton)  # and folds it again
    assert key.folded


def test_at_1280x800_with_the_dock_the_whole_key_shows_on_one_line(qtbot, make_window,
                                                                   library):
    w = window_with_the_dock_open(qtbot, make_window, library, (1280, 800))
    view, key = w.map, w.map.selection_key
    assert key.isVisible() and not key.folded and not key.header.isVisible()
    assert key.body.isVisible() and view.rect().contains(key.geometry())
    for words in ("selected", "graph&nbsp;only", "audio&nbsp;only", "both"):
        assert words in key.text()
    assert key.height() < 1.5 * key.body.fontMetrics().lineSpacing() + 14, "one line"
    assert key.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents), \
        "a label the map's drags go through, as before"
