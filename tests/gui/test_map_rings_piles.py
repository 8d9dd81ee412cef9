"""The search's rings on the map, as a reviewer found them at 600x480.

- 30 matches piled on one spot (more than a fan holds) showed as one ring, nothing saying
  how many lay there: such a pile now has a count beside it, as the selection's piles have,
  its tooltip saying what it counts.
- The selected track's name kept off its neighbours' rings but lay across the search's rings
  beside it: it now keeps off those too, also when the search changes after the selection.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF

from gui_support import shown_map
from musicsage.gui.map_marks import mark_size
from musicsage.gui.map_stacks import FAN_MOST

FAR = np.array([[0, 0], [100, 0], [0, 100], [100, 100]], float)


def _plot_px(view, x: float, y: float) -> QPointF:
    return view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))


def test_a_pile_of_matches_too_big_to_fan_out_says_how_many_it_holds(qtbot):
    view, tools = shown_map(qtbot, 600, 480)
    pile = FAN_MOST + 6
    xy = np.vstack([50 + np.random.default_rng(4).normal(0, 0.4, (pile, 2)), FAR])
    view.set_points(np.arange(1, len(xy) + 1), xy.astype(np.float32),
                    [f"Track {i}" for i in range(1, len(xy) + 1)])
    qtbot.wait(20)
    tools.show_matches(range(1, pile + 1))
    qtbot.wait(20)
    fan = tools._match_fan
    assert not fan.drawn, "too many to fan out: the rings stay on their tracks"
    assert [badge.toPlainText() for badge, _tip in fan.badges] == [str(pile)]
    badge, tip = fan.badges[0]
    box = view.plot.mapFromScene(badge.sceneBoundingRect()).boundingRect()
    centre = _plot_px(view, *xy[:pile].mean(axis=0))
    assert box.left() >= centre.x() and box.bottom() <= centre.y(), "up and right of the pile"
    assert np.hypot(box.left() - centre.x(), box.bottom() - centre.y()) < 40, "beside it"
    assert view.plot.rect().contains(box), "whole on the map"
    assert fan.tip_at(badge.sceneBoundingRect().center()) == tip
    assert tip.startswith(f"{pile} search matches lie here") and "zoom in" in tip

    view.view.translateBy(x=3.0)  # a pan: the count goes with its pile
    qtbot.wait(20)
    moved = view.plot.mapFromScene(badge.sceneBoundingRect()).boundingRect()
    now = _plot_px(view, *xy[:pile].mean(axis=0))
    assert abs((moved.left() - now.x()) - (box.left() - centre.x())) <= 1
    assert abs((moved.bottom() - now.y()) - (box.bottom() - centre.y())) <= 1
    view.view.scaleBy((0.002, 0.002), center=QPointF(*xy[:pile].mean(axis=0)))  # zoomed in
    qtbot.wait(20)
    assert not fan.badges, "apart at this zoom: no count"
    tools.show_matches([])
    assert not fan.badges


def _name_over_rings(view, tools) -> list[int]:
    """The matches whose rings (black rim included) the selected name's box touches."""
    name = QRectF(view._label.geometry())
    reach = mark_size("matches", len(view.xy)) / 2 + 2
    x, y = tools._matches.getData()
    ids = [int(t) for t in tools._matches.data["data"]]
    return [t for t, p in zip(ids, (_plot_px(view, a, b) for a, b in zip(x, y)))
            if name.adjusted(-reach, -reach, reach, reach).contains(p)]


def test_the_selected_name_keeps_off_the_search_rings_beside_it(qtbot):
    view, tools = shown_map(qtbot, 600, 480)
    row = [[50 + sx * dx, 50 + dy] for dx in (5, 12, 19, 26, 33) for dy in (-3.5, 3.5)
           for sx in (-1, 1)]  # left and right of the point, above and below its name
    xy = np.vstack([[[50, 50]], row, FAR]).astype(np.float32)
    view.set_points(np.arange(1, len(xy) + 1), xy,
                    ["A rather long track name — Someone"] + ["x"] * (len(xy) - 1))
    view.set_selection(1, graph_ids=[], audio_ids=[])
    qtbot.wait(20)
    tools.show_matches(range(2, 22))  # the search changes after the selection
    qtbot.wait(20)
    assert not tools._match_fan.drawn, "apart: each ring on its track"
    assert _name_over_rings(view, tools) == [], "the name clear of every ring"
    view.view.scaleBy((0.9, 0.9), center=QPointF(50, 50))  # a zoom keeps it clear
    qtbot.wait(20)
    assert _name_over_rings(view, tools) == []
