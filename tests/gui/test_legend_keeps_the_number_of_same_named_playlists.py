"""Coloured by playlist, same-named playlists of one size are told apart by a number ("Mix
#1", "Mix #2"). The legend cut a long name at its end, number and all: two entries read as
one name twice, in two colours. The number is kept; the name is cut before it."""

from __future__ import annotations

import numpy as np

from gui_support import shown_map
from musicsage.gui.map_view import LEGEND_NAME_LIMIT, Colouring

LONG = "Late Night Drive Through The Rainy City"


def test_long_same_named_playlists_keep_their_numbers_in_the_legend(qtbot):
    view, _tools = shown_map(qtbot, 900, 600)
    ids = np.arange(1, 41)
    xy = np.random.default_rng(1).normal(size=(40, 2)).astype(np.float32)
    names = [f"{LONG} #1", f"{LONG} #2", "Short"]
    view.set_points(ids, xy, [f"Song {i}" for i in ids],
                    Colouring(codes=np.arange(40) % 3, names=names, counts=[20, 20, 5]))
    text = view.legend.text()
    assert "#1 (20)" in text and "#2 (20)" in text, text
    assert "Short (5)" in text


def test_a_long_name_without_a_number_is_still_cut_to_the_limit():
    from musicsage.gui.map_colours import legend_name

    assert legend_name(LONG, LEGEND_NAME_LIMIT) == LONG[:LEGEND_NAME_LIMIT - 1] + "…"
    numbered = legend_name(f"{LONG} #12", LEGEND_NAME_LIMIT)
    assert len(numbered) == LEGEND_NAME_LIMIT and numbered.endswith("… #12")
    assert legend_name("Mix #2", LEGEND_NAME_LIMIT) == "Mix #2"
