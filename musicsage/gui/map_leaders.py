"""The leader lines from a fanned-out ring back to its track, in the ring's list colour.

The map key shows each neighbour's ring with a line in its list's colour (amber, cyan
dashed, magenta); on the map, rings fanned out of a stack were joined to their tracks by
thin grey lines, the coloured lines from the selected track short stubs under the fan: the
drawing and the key disagreed. A module of its own: :mod:`musicsage.gui.map_stacks` is at
its size limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from musicsage.gui.map_marks import AUDIO_COLOUR, MARK_Z

if TYPE_CHECKING:
    from musicsage.gui.map_stacks import SelectionMarks


def draw_leaders(marks: "SelectionMarks", where: dict[int, np.ndarray], rings: list[dict]) -> None:
    """A line from each mark drawn away from its track (``marks.drawn``) to the track
    (``where``: its place on the map): a ring's in its pen's colour, dashed for the audio
    model's as its line from the selected track is; a square's in the grey of
    ``marks.leaders``."""
    colour_of = {int(s["data"]): s["pen"].color().name() for s in rings}
    groups: dict[str | None, list[np.ndarray]] = {}
    for tid, at in marks.drawn.items():
        groups.setdefault(colour_of.get(tid), []).extend((at, where[tid]))
    items: dict[str | None, pg.PlotCurveItem] = marks.__dict__.setdefault(
        "_leader_items", {None: marks.leaders})
    for colour in set(items) | set(groups):
        if colour not in items:
            items[colour] = _leader_item(marks.view, colour)
        pairs = np.asarray(groups.get(colour, []), float).reshape(-1, 2)
        items[colour].setData(*pairs.T)


def _leader_item(view: pg.ViewBox, colour: str) -> pg.PlotCurveItem:
    dashed = colour.lower() == AUDIO_COLOUR.lower()
    pen = pg.mkPen(colour, width=1.2,
                   style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    item = pg.PlotCurveItem(pen=pen, connect="pairs")
    item.setZValue(MARK_Z["leaders"])
    view.addItem(item)
    return item
