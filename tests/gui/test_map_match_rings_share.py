"""A one-letter search on a small library: "e" matched all 240 of the demo's 240 tracks, and
each got its own ring, fanned out with a line back to its track, over the whole map. Matches
are ringed while they are a few of the map's tracks; more than a fifth of them (over 30) are
rimmed and the rest of the map is dimmed, as over 2,000 on any map."""

from __future__ import annotations

import numpy as np

from gui_support import shown_map
from musicsage.controllers.map_tools import MATCH_RING_LIMIT, rings_matches

N = 240  # the demo library's size


def small_map(qtbot):
    view, tools = shown_map(qtbot, 470, 700)
    rng = np.random.default_rng(4)
    centres = rng.uniform(0, 10, (8, 2))
    xy = centres[np.arange(N) % 8] + rng.normal(0, 0.3, (N, 2))
    ids = np.arange(1, N + 1)
    view.set_points(ids, xy.astype(np.float32), [str(i) for i in ids])
    qtbot.wait(20)
    return view, tools, ids


def key_text(view) -> str:
    return view.selection_key.text().replace("&nbsp;", " ")


def test_matching_most_of_a_small_map_dims_the_rest_instead_of_ringing_each(qtbot):
    view, tools, ids = small_map(qtbot)
    tools.show_matches(ids[:200].tolist())
    qtbot.wait(20)
    assert len(tools._matches.data) == 0, "no ring for each of 200 matches of 240 tracks"
    assert not tools._match_fan.drawn, "nor a fan of them with its leader lines"
    assert "200 search matches, the rest dimmed" in key_text(view)

    tools.show_matches(ids[:12].tolist())  # a few: each ringed, nothing dimmed
    qtbot.wait(20)
    assert len(tools._matches.data) == 12
    assert "search matches (12)" in key_text(view)


def test_the_share_is_of_the_map_never_fewer_than_thirty_nor_more_than_the_limit():
    assert rings_matches(48, 240) and not rings_matches(49, 240)  # a fifth of 240
    assert rings_matches(30, 40)  # a small library's few matches are still ringed
    assert not rings_matches(MATCH_RING_LIMIT + 1, 100_000)
    assert rings_matches(MATCH_RING_LIMIT)  # the map's size unknown: the limit alone
