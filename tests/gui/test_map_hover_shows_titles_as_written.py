"""Hovering a point shows its track's title and artist as written. The map's hover tooltip
was handed to Qt as it was, and Qt guesses markup from a tag-like start: a track titled
``<i>Hello</i> <3`` showed "Hello" in italics with the rest cut off, and ``&lt;3`` showed
as "<3" — the neighbour lists, the playlist and the queue already showed such titles as
written (``gui/plain.py``); the map was the one place that did not."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QToolTip

from gui_support import shown_map
from musicsage.gui.map_colours import MISSING_TIP
from musicsage.gui.map_view import Colouring

TITLES = ["<i>Hello</i> <3 — <b>Band</b>", "Fish &amp; Chips &lt;3 — A&B", "Plain — Artist"]


def _as_shown(tip: str) -> str:
    """The characters a tooltip shows: Qt draws one it guesses to be markup as rich text."""
    if not GuiQt.mightBeRichText(tip):
        return tip
    doc = QTextDocument()
    doc.setHtml(tip)
    return doc.toPlainText().replace("\u2029", "\n")


def test_hovering_a_point_shows_its_title_as_written(qtbot):
    view, _tools = shown_map(qtbot, 400, 300)
    xy = np.array([[0, 0], [10, 0], [5, 10]], np.float32)
    view.set_points(np.arange(1, 4), xy, TITLES, Colouring(np.zeros(3, np.int64), ["Rock"]),
                    present=np.array([True, False, True]))
    qtbot.wait(20)
    shown = []
    for row, (x, y) in enumerate(xy.tolist()):
        view._on_mouse_moved(view.view.mapViewToScene(QPointF(x, y)))
        qtbot.waitUntil(QToolTip.isVisible)
        shown.append(_as_shown(QToolTip.text()))
        QToolTip.hideText()
    assert shown == [TITLES[0], TITLES[1] + MISSING_TIP, TITLES[2]]


def test_the_keys_tooltip_names_a_highlighted_playlist_as_written(qtbot):
    """The key under the map names a highlighted playlist; its tooltip ("Show the key: …")
    took a playlist called ``<b>Party</b> <3`` for markup too."""
    view, _tools = shown_map(qtbot, 400, 300)
    xy = np.array([[0, 0], [10, 0], [5, 10]], np.float32)
    view.set_points(np.arange(1, 4), xy, TITLES, Colouring(np.zeros(3, np.int64), ["Rock"]))
    name = "<b>Party</b> <3"
    view.set_highlight([1, 2], name)
    tip = _as_shown(view.selection_key.header.toolTip())
    assert f"playlist ‘{name}’ (2)" in tip, tip
