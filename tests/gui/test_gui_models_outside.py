"""A terminal's `models --use` while the window is open (audit): the window's check for
outside changes follows it — the models menu, the summary and the neighbour list of the
selected track are the new model's, none stale. The switch is made the way the command makes
it (the use case, not the window's controller)."""

from __future__ import annotations

import pytest

from gui_support import settle, two_model_window
from musicsage.usecases.models import use_graph_model
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.spaces import SearchSpaces

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def graph_list(ctx, tid, k):
    return [r["track_id"] for r in similar_tracks(ctx, tid, k=k, space="graph",
                                               spaces=SearchSpaces(ctx)).graph]


def test_the_window_follows_a_switch_made_in_a_terminal(qtbot, make_window, two_models):
    ctx, first, second = two_models
    w, tid, before = two_model_window(qtbot, make_window, ctx)
    assert before and before == graph_list(ctx, tid, len(before))
    use_graph_model(ctx, first)  # `musicsage models --use FIRST` in a terminal
    expected = graph_list(ctx, tid, len(before))
    assert expected != before
    qtbot.waitUntil(lambda: w.neighbours.graph_list.track_ids() == expected, timeout=60_000)
    settle(qtbot, w)
    assert w.neighbours.graph_list.track_ids() == expected
    assert f"(model {first}, HR@10" in w.library.summary.text()
    assert [m.is_current for m in w.app.models.models if m.id == first] == [True]
    qtbot.waitUntil(lambda: w.app.map.points is not None
                    and w.app.map.points.model_id == f"graph-{first}", timeout=120_000)
    assert w.app.map.space == "graph" and w.app.selection.selected == tid
