"""The selected name's place is reckoned from the places of the map's marks, which a 30,000-
track playlist makes an array best: they were joined by adding lists, so ``mark_places``
had to make its squares a list of 30,000 tuples (an array given there raised, or was added
to elementwise). Now either is taken, and the name goes to the same place."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map


def test_marks_given_as_an_array_place_the_name_where_a_list_does(qtbot, monkeypatch):
    from musicsage.gui.map_name import _spot

    view, _tools = shown_map(qtbot, 900, 600)
    ids = np.arange(1, 1_201)
    view.set_points(ids, np.random.default_rng(5).normal(size=(len(ids), 2)).astype(np.float32),
                    [f"Song {i} — Band" for i in ids])
    view.set_highlight(ids, "Everything")
    view.set_selection(1, graph_ids=range(2, 6), audio_ids=range(6, 10))
    qtbot.wait(30)
    x, y = map(float, view.xy[view._row_of[1]])  # the selected track's dot
    dot = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
    as_list = view.marks.mark_places()
    assert isinstance(as_list, list) and len(as_list) > 1_000
    expected = _spot(view, dot)
    monkeypatch.setattr(view.marks, "mark_places", lambda: np.asarray(as_list, float))
    assert _spot(view, dot) == expected
    monkeypatch.setattr(view.marks, "mark_places", lambda: np.zeros((0, 2)))
    _spot(view, dot)  # no marks at all: a place still
