"""A wide window gives the library panel a share of its width.

At 1920x1080 the library panel kept its fixed first width (playlist names and search
results cut, "musicnn-msd-max_pool" wrapped, the path elided to "/work/s…ne.flac") while
each neighbour list had ~440 px and half its height blank. Small windows keep their
layout: the library's 200 px, the lists' readable width."""

from __future__ import annotations

import pytest

from musicsage.gui.panel_widths import LISTS_READABLE, MAP_KEEPS, readable_split, wider_library
from musicsage.gui.window_settings import first_splitter_sizes


@pytest.mark.parametrize("width", [800, 1024, 1280, 1400, 1920, 2560, 3840])
def test_the_library_grows_with_the_window_not_at_the_lists_or_maps_cost(width):
    before = readable_split(first_splitter_sizes(width), width)
    library, map_width, lists = wider_library(before, width)
    assert library + map_width + lists == sum(before)
    assert library >= before[0] and library <= 400
    assert lists >= min(before[2], LISTS_READABLE) and map_width >= min(before[1], MAP_KEEPS)
    if width <= 1280:
        assert [library, map_width, lists] == before, "a small window keeps its layout"
    if width >= 1920:
        assert library >= min(0.15 * width, 400)


def test_a_1920_window_gives_the_library_its_share(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    w.resize(1920, 1080)
    qtbot.waitUntil(lambda: w.splitter.sizes()[0] >= 290, timeout=30_000)
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.splitter.sizes()[0] == 200, timeout=30_000)
