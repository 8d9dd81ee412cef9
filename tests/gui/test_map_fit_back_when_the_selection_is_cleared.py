"""A map the app still fits (not panned or zoomed by the user) zooms out for a selected
track whose rings would lie under the Pan/Lasso bar; once that selection is cleared, the map
went on zoomed out until Ctrl+0 or a resize. It goes back to the plain fit of the points."""

from __future__ import annotations

import numpy as np

from gui_support import shown_map


def _corner_map(qtbot):
    """200 points over a 10 x 10 square, 21 of them within a hair of its top-right corner,
    where the tools' bar sits: the rings around the first fan out under the bar."""
    view, _tools = shown_map(qtbot, 440, 400)
    rng = np.random.default_rng(5)
    corner = np.array([10.0, 10.0]) + rng.normal(0, 0.01, (21, 2))
    xy = np.vstack([corner, rng.uniform(0, 10, (179, 2))]).astype(np.float32)
    ids = np.arange(1, len(xy) + 1)
    view.set_points(ids, xy, [f"t{i}" for i in ids])
    qtbot.wait(20)
    return view


def _width(view) -> float:
    (x0, x1), _y = view.view.viewRange()
    return x1 - x0


def test_clearing_the_selection_brings_back_the_plain_fit(qtbot):
    view = _corner_map(qtbot)
    plain = _width(view)
    view.set_selection(1, graph_ids=list(range(2, 14)), audio_ids=list(range(10, 22)))
    qtbot.wait(20)
    assert _width(view) > plain * 1.05, "zoomed out for the rings (the case in question)"
    view.set_selection(None)
    qtbot.wait(20)
    assert view._auto_fit
    assert np.isclose(_width(view), plain, rtol=1e-3), "the plain fit again"
