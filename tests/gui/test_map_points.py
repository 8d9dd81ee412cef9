"""The map's raster point layer: points land where the view puts them, in their colours and
drawing order; a pan inside the cached margin reuses the image, a zoom redraws it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage

from gui_support import shown_map
from musicsage.gui.map_points import argb, disc_offsets
from musicsage.gui.map_view import OTHER_COLOUR, PALETTE, PLAIN_COLOUR, Colouring, MapView


@pytest.fixture
def view(qtbot):
    v = MapView()
    qtbot.addWidget(v)
    v.resize(500, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def pixel_at(v: MapView, x: float, y: float) -> QColor:
    """The colour drawn at data point (x, y), read from a fresh render of the plot."""
    image: QImage = v.plot.grab().toImage()
    p = v.plot.mapFromScene(v.view.mapViewToScene(QPointF(x, y)))
    dpr = image.devicePixelRatio()
    return image.pixelColor(int(round(p.x() * dpr)), int(round(p.y() * dpr)))


def test_disc_offsets():
    five = disc_offsets(5)
    assert len(five) == 21 and (0, 0) in five and (2, 1) in five and (2, 2) not in five
    assert disc_offsets(1) == [(0, 0)]


def test_points_are_drawn_in_their_colours_and_order(qtbot, view):
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [5, 5], [5, 5]], np.float32)
    # rows 4 and 5 share a spot: 4 is "other" (drawn first), 5 is category 1 (on top)
    codes = np.array([0, 1, 0, 1, -1, 1])
    view.set_points(np.arange(1, 7), xy, [f"t{i}" for i in range(6)],
                    Colouring(codes, ["a", "b"]))
    qtbot.wait(10)
    assert pixel_at(view, 0, 0) == QColor(PALETTE[0])
    assert pixel_at(view, 10, 0) == QColor(PALETTE[1])
    assert pixel_at(view, 5, 5) == QColor(PALETTE[1])  # category over "other"
    assert pixel_at(view, 2.5, 2.5) != QColor(PALETTE[0])  # nothing between the points
    assert [c[0] for c in view.categories] == ["a", "b"]
    assert [c[2] for c in view.categories] == [2, 3]
    view.set_colouring(Colouring(np.full(6, -1), ["a"]))  # all uncategorised
    qtbot.wait(10)
    assert pixel_at(view, 10, 10) == QColor(OTHER_COLOUR)
    assert view.categories == []


def test_pan_reuses_the_image_zoom_redraws_it(qtbot, view):
    rng = np.random.default_rng(0)
    xy = rng.normal(0, 1, (20_000, 2)).astype(np.float32)
    view.set_points(np.arange(len(xy)), xy, [""] * len(xy))
    qtbot.wait(50)  # the fit after showing
    view.view.translateBy(x=0.0)  # the view box settles its pending range on a first change
    view.plot.viewport().repaint()
    before = view.points.renders
    (x0, x1), _ = view.view.viewRange()
    for sign in (1, -1, 1, -1):
        view.view.translateBy(x=sign * 0.05 * (x1 - x0))
        view.plot.viewport().repaint()
    assert view.points.renders == before  # within the margin: the cached image, moved
    view.view.translateBy(x=0.3 * (x1 - x0))  # past the margin (a quarter), points still in view
    view.plot.viewport().repaint()
    assert view.points.renders == before + 1
    view.view.scaleBy((0.5, 0.5))
    view.plot.viewport().repaint()
    assert view.points.renders == before + 2
    # After panning, a point is still drawn where the view now shows it.
    view.fit()
    qtbot.wait(10)
    assert pixel_at(view, float(xy[0, 0]), float(xy[0, 1])) == QColor(PLAIN_COLOUR)


def test_highlight_dims_the_points(qtbot, view):
    xy = np.array([[0, 0], [1, 1], [2, 0]], np.float32)
    view.set_points(np.array([7, 8, 9]), xy, ["a", "b", "c"])
    view.set_highlight([8])
    assert view.points.opacity() < 1
    view.set_highlight([])
    assert view.points.opacity() == 1


def test_argb():
    assert argb("#102030") == 0xFF102030


def _covering(v: MapView, overlays, x: float, y: float) -> list[str]:
    """The overlays drawn over data point (x, y)."""
    p = v.plot.mapFromScene(v.view.mapViewToScene(QPointF(x, y)))
    at = v.plot.mapTo(v, p)
    return [name for name, w in overlays.items() if w.geometry().contains(at)]


@pytest.mark.parametrize("categories", [3, 12])
def test_fit_keeps_every_point_clear_of_the_overlays(qtbot, categories):
    """Fit ("show the whole map") once left the top-left corner of the data under the legend:
    a playlist's highlighted members or a track's neighbours could sit there, invisible."""
    view, tools = shown_map(qtbot, 560, 640)
    rng = np.random.default_rng(1)
    corners = np.array([[0, 10], [10, 10], [0, 0], [10, 0], [1, 9], [9, 1], [1, 1], [9, 9]])
    xy = np.vstack([corners, rng.uniform(0, 10, (40, 2))]).astype(np.float32)
    n = len(xy)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % categories, [f"category {i}" for i in range(categories)]))
    view.set_selection(1, [2, 3], [4])  # the selection key shows at the bottom left
    qtbot.wait(20)
    view.fit()
    qtbot.wait(20)
    overlays = {"legend": view.legend, "selection key": view.selection_key,
                "map tools": tools.toolbar}
    assert all(w.isVisible() for w in overlays.values())
    hidden = {i: _covering(view, overlays, *xy[i]) for i in range(n)}
    assert not any(hidden.values()), {i: o for i, o in hidden.items() if o}
    plot = view.plot.rect()
    for x, y in xy:  # and every point is still on the map
        assert plot.contains(view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y))))


def test_the_selected_tracks_name_stays_inside_the_map(qtbot, view):
    """Flipped to the left of a point near the right edge, a long name once ran off the
    map's left edge (its start cut off) on a narrow map."""
    view.resize(260, 300)
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    title = "A rather long title (Extended Weightless Mix) — Some Artist"
    view.set_points(np.arange(1, 5), xy, [title] * 4)
    qtbot.wait(20)
    for track in (1, 2, 3, 4):
        view.set_selection(track)
        qtbot.wait(10)
        label = view._label.geometry()
        assert label.left() >= 0 and label.top() >= 0, (track, label)
        assert label.right() < view.plot.width(), (track, label)
        assert view._label.text().startswith("A rather") and "Some Artist" in view._label.text()


# at 380 px the open legend does not fit beside the tools: it folds, and its header does; at
# 300 px the tools' words and the folded legend do not fit side by side: the tools are icons
@pytest.mark.parametrize("width, beside", [(300, True), (380, True), (420, True), (700, True)])
def test_the_map_tools_never_cover_the_legend(qtbot, width, beside):
    """On a map narrower than the legend and the tools side by side (a 900-px window), the
    tools' bar covered the legend's header and first rows; the legend now starts under it,
    whole (it was once cut to the room beside the tools: "Drum & Bass (3")."""
    view, tools = shown_map(qtbot, width, 600)
    n = 40
    xy = np.random.default_rng(2).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % 11, [f"Deep House {i}" for i in range(11)]))
    qtbot.wait(20)
    legend, bar = view.legend.geometry(), tools.toolbar.geometry()
    assert view.legend.isVisible() and not legend.intersects(bar), (legend, bar)
    assert beside == (10 + legend.width() + 6 <= bar.x())
    assert (legend.top() == 10) == beside  # beside the tools where both fit, else under them
    if not view.legend.collapsed:  # whole, not cut to the room beside the tools
        assert view.legend.width() >= view.legend.body.sizeHint().width(), width
    view.resize(700, 600)  # widened: back to the top
    qtbot.wait(20)
    assert view.legend.y() == 10 and not view.legend.geometry().intersects(tools.toolbar.geometry())


def test_a_narrow_map_keeps_its_tools_whole_and_folds_its_legend(qtbot):
    """At the window's minimum width the map was 140 px: the tools' bar lost its first button
    and the open legend covered the points. The map is now never narrower than its tools; the
    legend folds to its header on a map narrower than twice the open legend, until the user
    opens it, and the user's choice then holds whatever the width."""
    from musicsage.gui.map_tools import MapTools

    view = MapView()
    qtbot.addWidget(view)
    tools = MapTools(view)
    assert view.minimumWidth() >= tools.toolbar.sizeHint().width() + 20
    n = 40
    xy = np.random.default_rng(3).uniform(0, 10, (n, 2)).astype(np.float32)
    view.resize(view.minimumWidth(), 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % 11, [f"Deep House {i}" for i in range(11)]))
    qtbot.wait(20)
    legend = view.legend
    assert tools.toolbar.x() >= 0, "the bar's first button is on the map"
    assert legend.collapsed and not legend.scroll.isVisible() and legend.height() < 40
    view.resize(900, 500)
    qtbot.waitUntil(lambda: not legend.collapsed and legend.scroll.isVisible())
    view.resize(view.minimumWidth(), 500)
    qtbot.waitUntil(lambda: legend.collapsed)
    qtbot.mouseClick(legend.header, Qt.MouseButton.LeftButton)  # the user opens it
    assert not legend.collapsed and legend.scroll.isVisible()
    view.resize(view.minimumWidth() + 10, 500)
    qtbot.wait(20)
    assert not legend.collapsed, "the user's choice holds"


def test_a_colouring_with_nothing_to_tell_apart_says_so_in_the_legend(qtbot, view):
    """No track with a genre tag: the points stay one colour, and the legend says why
    instead of vanishing."""
    view.resize(500, 400)
    n = 12
    xy = np.random.default_rng(3).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.full(n, -1), [], "no track has a genre tag"))
    qtbot.wait(20)
    assert view.legend.isVisible() and view.legend.rows == 1
    assert "no track has a genre tag (12 tracks)" in view.legend.text()
    view.set_colouring(None)  # "Colour by: None": no legend
    assert not view.legend.isVisible()


def test_the_grey_entry_says_what_its_number_counts(qtbot, view):
    """By playlist each entry gives its playlist's size, but the grey entry counted its
    points: "28 other playlists or none (56)" read as if those playlists held 56 tracks.
    Now it says it counts the tracks in none of the coloured playlists; by artist, where
    every entry counts its points, it says "tracks" too."""
    view.resize(500, 400)
    n = 12
    xy = np.random.default_rng(3).uniform(0, 10, (n, 2)).astype(np.float32)
    codes = np.array([0, 0, 0, 1, 1, -1, -1, -1, -1, -1, 0, 1])
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(codes, ["Mix A", "Mix B"], "3 other playlists or none",
                              counts=[9, 7], note="Each playlist's number of tracks."))
    qtbot.wait(20)
    text = view.legend.text()
    assert "Mix A (9)" in text and "Mix B (7)" in text
    assert text.endswith("5 tracks in none of these")
    tip = view.legend.body.toolTip()
    assert tip.startswith("Each playlist's number of tracks.")
    assert "the 5 tracks in none of the coloured playlists (3 other playlists or none)" in tip
    view.set_colouring(Colouring(codes, ["Band A", "Band B"], "other"))  # points counted
    assert view.legend.text().endswith("other (5 tracks)") and "Band A (4)" in view.legend.text()
    assert view.legend.body.toolTip() == ""


@pytest.mark.parametrize("width", [0, 300, 350, 900])
def test_the_region_bar_fits_the_map_with_every_button_on_it(qtbot, width):
    """A 1024-px window leaves the map about 350 px: the region's bar ran off its right edge
    and its Clear button could not be clicked. It now shortens its texts where it must, and
    on the narrowest map (an 800-px window's, width 0 here) puts the count above them."""
    from musicsage.gui.map_tools import MapTools

    view = MapView()
    qtbot.addWidget(view)
    tools = MapTools(view)
    view.resize(max(width, view.minimumWidth()), 500)
    view.show()
    qtbot.waitExposed(view)
    n = 60
    xy = np.random.default_rng(4).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)])
    tools.show_region(list(range(1, 47)))
    qtbot.wait(20)
    bar = tools.region_bar.geometry()
    assert bar.left() >= 0 and bar.right() <= view.width(), (bar, view.width())
    for button in (tools.play_button, tools.save_button, tools.clear_button):
        assert button.isVisible() and button.geometry().right() <= bar.width()
    short = tools.play_button.text() == "Play"
    assert short == (view.width() < 400), (view.width(), tools.play_button.text())
    assert tools.region_label.text().startswith("46 tracks")
