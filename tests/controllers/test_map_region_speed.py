"""A map region's play order: the same walk as ever (from the leftmost track, always to the
nearest track not played yet), found without a pass over every point at every step — that
loop froze the window for 20 s when the whole 28k-track map was selected."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from musicsage.controllers.map_tools import walk_order


BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

# the loop the walk replaced, and the map-like clouds, as the benchmark times them
from map_region_bench import map_like, old_walk_order as loop_walk  # noqa: E402


def _maps():
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 3, 5, 40, 700):
        yield f"uniform-{n}", rng.uniform(0, 10, (n, 2))
    yield "clusters", map_like(1500, 1)
    yield "grid: ties at every step", np.round(rng.uniform(0, 12, (600, 2)))
    copies = rng.uniform(0, 10, (300, 2))
    copies[::3] = copies[0]  # a hundred copies of one track at one spot, among others
    yield "copies at one spot", copies
    yield "all at one spot", np.zeros((50, 2))
    yield "one column: every x the same", np.stack([np.ones(80), rng.uniform(0, 5, 80)], 1)
    ring = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    yield "a circle round its centre", np.vstack([[0, 0], np.stack([np.cos(ring),
                                                                     np.sin(ring)], 1)])


@pytest.mark.parametrize("name,xy", list(_maps()), ids=[name for name, _ in _maps()])
def test_the_walk_is_the_one_the_loop_made(name, xy):
    """Same order as the loop, ties (equal distances, copies at one spot) broken the same way:
    the lowest row first."""
    assert walk_order(xy).tolist() == loop_walk(xy).tolist()


def test_a_whole_map_of_20000_tracks_is_walked_once_each_to_the_nearest():
    xy = map_like(20_000, 3)
    order = walk_order(xy)
    assert sorted(order.tolist()) == list(range(len(xy))), "every track, once"
    assert order[0] == np.argmin(xy[:, 0]), "from the leftmost track"
    left = np.ones(len(xy), bool)
    left[order[0]] = False
    steps = set(np.random.default_rng(0).choice(len(xy) - 1, 40, replace=False).tolist())
    for step in range(len(xy) - 1):  # some steps checked against every point not visited
        if step in steps:
            d = ((xy - xy[order[step]]) ** 2).sum(axis=1)
            d[~left] = np.inf
            assert order[step + 1] == np.argmin(d), step
        left[order[step + 1]] = False


class Counted(np.ndarray):
    """A map's coordinates that count the values their arithmetic goes over."""

    values = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        Counted.values += max(np.size(x) for x in inputs)
        plain = [np.asarray(x) if isinstance(x, Counted) else x for x in inputs]
        return getattr(ufunc, method)(*plain, **kwargs)


def test_no_step_goes_over_every_point():
    """The loop's work grew as the square of the region (its arithmetic went over all the n
    coordinates at each of n steps: 20 s for 28k points); the walk does not."""
    n = 3000
    xy = map_like(n, 5).view(Counted)
    Counted.values = 0
    order = walk_order(xy)
    assert len(order) == n
    assert Counted.values <= 20 * n, Counted.values
