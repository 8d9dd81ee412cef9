"""A map region's queue names its count as the rest of the window does ("1,200 tracks"): it was
written "1200 tracks", and became "1,199 tracks" after one removal."""

from __future__ import annotations


def test_play_in_order_names_the_count_grouped():
    from musicsage.controllers.map_tools import MapToolsController

    class _Queue:
        def play_list(self, tracks, name):
            self.name = name

    class _App:
        queue = _Queue()

    tools = MapToolsController.__new__(MapToolsController)
    tools.app, tools.region = _App(), list(range(1200))
    tools.play_region()
    assert _App.queue.name == "Map region (1,200 tracks)"
