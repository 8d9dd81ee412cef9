"""Coloured by playlist, the map's legend cut every name at 28 characters: "Late Night Driving
Through the City Vol. 1" and "… Vol. 2" both read "Late Night Driving Through…", in two
colours, and so did two names differing in the middle. Where two names would read the same,
each is cut so that the part where they differ shows; other names are cut as before."""

from __future__ import annotations

import numpy as np
import pytest

from gui_support import shown_map
from musicsage.gui.map_colours import legend_name, legend_names
from musicsage.gui.map_view import LEGEND_NAME_LIMIT, Colouring

VOL = "Late Night Driving Through the City Vol. {}"


def test_the_legend_tells_long_names_apart_that_differ_at_the_end(qtbot):
    view, _tools = shown_map(qtbot, 900, 600)
    ids = np.arange(1, 41)
    xy = np.random.default_rng(1).normal(size=(40, 2)).astype(np.float32)
    names = [VOL.format(1), VOL.format(2), "Short"]
    view.set_points(ids, xy, [f"Song {i}" for i in ids],
                    Colouring(codes=np.arange(40) % 3, names=names, counts=[14, 13, 13]))
    rows = [row.split("&nbsp;", 1)[1] for row in view.legend.text().split("<br>")[:3]]
    assert "Vol. 1 (14)" in rows[0] and "Vol. 2 (13)" in rows[1], rows
    assert rows[2] == "Short (13)"
    assert all(len(row.rsplit(" (", 1)[0]) <= LEGEND_NAME_LIMIT for row in rows)


@pytest.mark.parametrize("names", [
    [VOL.format(1), VOL.format(2), VOL.format(12)],
    ["Summer Road Trip 2024 Part One with friends and family",
     "Summer Road Trip 2024 Part Two with friends and family"],
    ["Sunday Morning Acoustic Coffee Favourites Winter",
     "Sunday Morning Acoustic Coffee Favourites Summer"],
    ["A" * 40 + "x", "A" * 40 + "y", "A" * 40 + "xz"],
    ["Late Night Drive Through The Rainy City", "Late Night Drive Through The Rainy City (x)"],
    ["Verylongsinglewordplaylistnamewithoutanyspaces Vol. 1",
     "Verylongsinglewordplaylistnamewithoutanyspaces Vol. 2"],
])
def test_names_that_differ_anywhere_read_apart_within_the_limit(names):
    shown = legend_names(names, LEGEND_NAME_LIMIT)
    assert len(set(shown)) == len(names), shown
    assert all(len(s) <= LEGEND_NAME_LIMIT for s in shown), shown


def test_names_that_read_apart_already_are_cut_as_before():
    names = ["Late Night Drive Through The Rainy City", "Morning Coffee Acoustic Favourites",
             "Mix #2", "Focus"]
    assert legend_names(names, LEGEND_NAME_LIMIT) == [legend_name(n, LEGEND_NAME_LIMIT)
                                                       for n in names]


def test_an_opened_legend_on_a_narrow_map_wraps_its_rows_whole(qtbot):
    """The legend opened on the map of an 800x600 window (~220 px): its rows were cut at
    the map's edge, counts and all ("Sunday Mor…Favourites Winte"). They wrap now."""
    view, _tools = shown_map(qtbot, 220, 500)
    ids = np.arange(1, 41)
    xy = np.random.default_rng(1).normal(size=(40, 2)).astype(np.float32)
    names = ["Sunday Morning Acoustic Coffee Favourites Winter",
             "Sunday Morning Acoustic Coffee Favourites Summer", "Short"]
    view.set_points(ids, xy, [f"Song {i}" for i in ids],
                    Colouring(codes=np.arange(40) % 3, names=names, counts=[14, 13, 13]))
    if view.legend.collapsed:
        view.legend.toggle()
    qtbot.wait(20)
    legend = view.legend
    assert not legend.collapsed
    assert legend.x() + legend.width() <= view.width()
    assert legend.body.minimumSizeHint().width() <= legend.scroll.viewport().width(), \
        "a row of the legend is wider than the legend: cut at its edge"
    rows = legend.body.text()
    view.resize(900, 600)  # room again: one line a row
    qtbot.wait(20)
    assert not legend.body.wordWrap() and legend.body.text() == rows
