"""The map's tools on a small laptop screen: at 800x500 with the training dock open the map is
about 220x205 px; the words "Pan  Lasso  Rectangle" took 203 px of its width and pushed the
folded legend onto a row of its own under them — the two took the top 76 px, and the points
were fitted into what was left. There the modes are icons (named in their tooltips) with the
folded legend beside them; a roomy window keeps the words."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRect, Qt

from gui_support import shown_map, window_with_the_dock_open
from musicsage.gui.map_view import Colouring

WORDS = ["Pan", "Lasso", "Rectangle"]


def _box(widget, within) -> QRect:
    return QRect(widget.mapTo(within, widget.rect().topLeft()), widget.size())


def _points_top(view) -> float:
    """How far down the map (px) its highest point is drawn."""
    return min(view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y)))).y()
               for x, y in view.xy)


def test_at_800x500_with_the_dock_the_tools_are_icons_beside_the_folded_legend(
        qtbot, make_window, library):
    w = window_with_the_dock_open(qtbot, make_window, library, (800, 500))
    view, tools = w.map, w.map_tools
    assert view.plot.width() >= 215 and view.plot.height() >= 195, view.plot.size()
    assert view.height() < 260, "the small map this is about"
    bar = tools.toolbar.geometry()
    for name, button in zip(WORDS, tools.mode_buttons.values()):
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        assert not button.icon().isNull() and button.toolTip().startswith(name)
        assert view.rect().contains(_box(button, view)), name
    legend = view.legend.geometry()
    assert view.legend.isVisible() and view.legend.collapsed
    assert legend.top() == bar.top() == 10 and not legend.intersects(bar), "one row"
    top_row = max(legend.bottom(), bar.bottom()) + 1
    assert top_row <= 45, top_row  # it was 76 px: the legend under the words
    assert bar.width() * bar.height() <= 0.07 * view.width() * view.height(), bar  # was 13 %
    assert _points_top(view) >= top_row, "the points are drawn below the row, clear of it"

    qtbot.mouseClick(tools.mode_buttons["lasso"], Qt.MouseButton.LeftButton)
    assert tools.mode == "lasso", "an icon is a button like the word was"
    w.resize(1280, 800)  # a roomier window: the words again
    qtbot.waitUntil(lambda: not tools.compact)
    assert [b.text() for b in tools.mode_buttons.values()] == WORDS


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_a_roomy_window_names_the_tools_in_full_words(qtbot, make_window, library, size):
    w = window_with_the_dock_open(qtbot, make_window, library, size)
    view, tools = w.map, w.map_tools
    assert not tools.compact
    for name, button in zip(WORDS, tools.mode_buttons.values()):
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly
        assert button.text() == name
        assert button.width() >= button.fontMetrics().horizontalAdvance(name), "not cut"
    bar = tools.toolbar.geometry()
    assert view.rect().contains(bar)
    assert not view.legend.geometry().intersects(bar)


@pytest.mark.parametrize("width", [223, 240])
def test_a_legend_of_one_short_entry_settles_beside_the_icons(qtbot, width):
    """A legend whose open header ("▾ Legend (1)") is its widest row: measured folded it fit
    beside the icons, opened it no longer did and folded, measured folded again, … — the
    window crashed; folded, it also kept its open header's width."""
    view, tools = shown_map(qtbot, width, 205)
    n = 12
    xy = np.random.default_rng(5).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.zeros(n, int), ["Jazz"]))
    qtbot.wait(20)
    legend = view.legend
    assert tools.compact and legend.isVisible()
    assert legend.y() == 10 and not legend.geometry().intersects(tools.toolbar.geometry())
    if legend.collapsed:
        assert legend.width() == legend.folded_width()
