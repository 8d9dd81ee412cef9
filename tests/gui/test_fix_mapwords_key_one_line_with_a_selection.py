"""The key's playlist entry is as long as the key's whole line leaves room for, every entry on
it: measured alone, with a track selected (its four rings' entries before it) the longer name
wrapped the key to two lines on 580–660-px maps, and on a low map (280 px) folded it to
"▸ Key", where a name cut at 24 characters kept it one open line."""

from __future__ import annotations

import numpy as np
import pytest
from test_map_points import view  # noqa: F401 (the fixture)
from test_mapwords_key_name_uses_the_room import _shown_name

from musicsage.controllers.map_tools import KEY_NAME_LIMIT
from musicsage.gui.map_view import MapView

NAME = "DJ Ixbry × Kingston Meadow Sound System"


def _one_line_high(v: MapView) -> int:
    """The open key's height on one line: the selection's entries alone."""
    v.set_highlight([], "")
    return v.selection_key.height()


@pytest.mark.parametrize("width, height", [(640, 280), (580, 600), (660, 600)])
def test_with_a_track_selected_the_key_stays_one_open_line(qtbot, view, width,  # noqa: F811
                                                           height):
    v = view
    v.resize(width, height)
    v.set_points(np.arange(1, 41), np.random.default_rng(1).normal(size=(40, 2))
                 .astype(np.float32), ["t"] * 40)
    v.set_selection(5, graph_ids=[6], audio_ids=[8])
    qtbot.wait(10)
    line = _one_line_high(v)
    v.set_highlight([1, 2, 3], NAME)
    qtbot.wait(10)
    key = v.selection_key
    assert not key.folded, (width, height)
    assert key.height() == line, "the key wrapped to a second line"
    assert len(_shown_name(v)) >= KEY_NAME_LIMIT  # no less of the name than before
