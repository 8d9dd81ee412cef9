"""A final look audit: the key shows each neighbour's ring with a line in its list's colour,
but rings fanned out of a stack were joined to their tracks by grey lines. Now each fanned
ring's line is in its ring's colour (the audio model's dashed, as in the key)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.gui.map_marks import AUDIO_COLOUR, BOTH_COLOUR, GRAPH_COLOUR


def test_fanned_rings_are_joined_to_their_tracks_in_their_list_colours(qtbot):
    view, _tools = shown_map(qtbot, 400, 400)
    far = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    xy = np.vstack([np.repeat([[5, 5]], 10, axis=0), far]).astype(np.float32)
    view.set_points(np.arange(1, 15), xy, [f"t{i}" for i in range(14)])
    view.set_selection(1, graph_ids=(2, 3, 4, 8, 9), audio_ids=(5, 6, 7, 8, 9))
    qtbot.wait(20)
    marks = view.marks
    assert len(marks.drawn) == 8, "the stacked rings fan out"
    seen = {}
    for item in [marks.leaders, *marks.view.addedItems]:
        xs, _ys = item.getData() if hasattr(item, "getData") else (None, None)
        if xs is not None and len(xs) and item.opts.get("connect") == "pairs" \
                and item.zValue() == marks.leaders.zValue():
            pen = item.opts["pen"]
            seen[QColor(pen.color()).name()] = (len(xs) // 2, pen.style())
    assert seen.get(QColor(GRAPH_COLOUR).name(), (0,))[0] == 3, seen
    assert seen.get(QColor(BOTH_COLOUR).name(), (0,))[0] == 2, seen
    count, style = seen.get(QColor(AUDIO_COLOUR).name(), (0, None))
    assert count == 3 and style == Qt.PenStyle.DashLine, seen
    assert QColor(marks.leaders.opts["pen"].color()).name() not in seen, "no grey ones left"
