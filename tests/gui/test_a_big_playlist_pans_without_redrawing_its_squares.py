"""With a 30,000-track playlist highlighted, every frame of a pan drew its 30,000 squares
again through pyqtgraph (130-190 ms a frame at 1366x768: the map moved in jerks). A playlist
of more squares than a scatter item draws quickly is stamped into raster layers, which a pan
only moves; the squares still show, violet, round each of the playlist's tracks."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.gui.map_marks import HIGHLIGHT_COLOUR


def _map(qtbot, count: int):
    view, _tools = shown_map(qtbot, 900, 600)
    xy = np.random.default_rng(4).normal(size=(count, 2)).astype(np.float32)
    ids = np.arange(1, count + 1)
    view.set_points(ids, xy, [f"Song {i} — Band" for i in ids])
    return view, ids


def _spots_painted_while_panning(qtbot, monkeypatch, view, frames: int = 5) -> int:
    """How many scatter spots pyqtgraph painted over ``frames`` small pans of the map."""
    painted = [0]
    in_view = pg.ScatterPlotItem._maskAt  # what its paint draws: the spots in view

    def counting(item, *args, **kwargs):
        mask = in_view(item, *args, **kwargs)
        painted[0] += int(np.count_nonzero(mask))
        return mask

    monkeypatch.setattr(pg.ScatterPlotItem, "_maskAt", counting)
    (x0, x1), _ = view.view.viewRange()
    for _ in range(frames):
        view.view.translateBy(x=(x1 - x0) / 100, y=0)
        view.plot.grab()  # one frame drawn
    return painted[0]


def test_panning_does_not_draw_a_big_playlists_squares_one_by_one(qtbot, monkeypatch):
    view, ids = _map(qtbot, 6_000)
    view.set_highlight(ids, "Everything")
    view.plot.viewport().repaint()
    painted = _spots_painted_while_panning(qtbot, monkeypatch, view)
    assert painted < 1_000, f"{painted} scatter spots painted over 5 frames of a pan"


def test_a_big_playlists_squares_still_show_round_its_tracks(qtbot):
    view, ids = _map(qtbot, 6_000)
    view.set_highlight(ids[::2], "Half")
    qtbot.wait(30)
    image = view.plot.grab().toImage()
    want = QColor(HIGHLIGHT_COLOUR)

    def violet_near(x: float, y: float) -> int:
        at = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
        return sum(1 for dx in range(-7, 8) for dy in range(-7, 8)
                   if 0 <= at.x() + dx < image.width() and 0 <= at.y() + dy < image.height()
                   and sum(abs(a - b) for a, b in zip(
                       image.pixelColor(at.x() + dx, at.y() + dy).getRgb()[:3],
                       want.getRgb()[:3])) < 40)

    shown = [violet_near(*map(float, view.xy[i])) for i in range(0, 6_000, 2)[:200]]
    assert np.median(shown) > 8, f"violet pixels round the playlist's tracks: {shown[:20]}"
    view.set_highlight([], "")  # no playlist: its squares go
    qtbot.wait(30)
    image = view.plot.grab().toImage()
    left = [violet_near(*map(float, view.xy[i])) for i in range(0, 6_000, 2)[:200]]
    assert max(left) == 0, f"violet pixels left once the playlist is cleared: {left[:20]}"


def test_a_small_playlist_keeps_its_scatter_squares(qtbot):
    view, ids = _map(qtbot, 3_000)
    view.set_highlight(ids[:300], "Some")
    assert len(view._highlight.getData()[0]) == 300
