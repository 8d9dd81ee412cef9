"""The counts beside stacks of marks too big to fan out, shared by the selection's marks
(:mod:`musicsage.gui.map_stacks`) and the search's rings (:mod:`musicsage.gui.map_match_fan`):
a pile of 30 matches showed one ring and nothing said that 29 more lay under it. A module of
its own: :mod:`musicsage.gui.map_stacks` is at its size limit.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont

from musicsage.gui.map_marks import MARK_Z

BADGE_STYLE = {"color": "#ffffff", "fill": pg.mkBrush(0, 0, 0, 200),
               "border": pg.mkPen("#c8ccd8", width=1)}


def add_badge(view: pg.ViewBox, text: str) -> pg.TextItem:
    """A count (``text``) over the marks of ``view``, in bold: placed by its caller."""
    badge = pg.TextItem(text, anchor=(0, 1), **BADGE_STYLE)
    font = QFont()
    font.setBold(True)
    badge.setFont(font)
    badge.setZValue(MARK_Z["badge"])
    view.addItem(badge)
    return badge


def badge_places(view: pg.ViewBox, badges: list[tuple[pg.TextItem, str]]) -> list:
    """Where ``badges`` are drawn (map coordinates), each by its middle and, inset a half
    height, its two ends: what the selected track's name should not hide."""
    places = []
    for badge, _tip in badges:
        box = view.mapSceneToView(badge.sceneBoundingRect()).boundingRect()
        inset = min(box.height(), box.width()) / 2
        places += [(x, box.center().y()) for x in (box.center().x(), box.left() + inset,
                                                   box.right() - inset)]
    return places
