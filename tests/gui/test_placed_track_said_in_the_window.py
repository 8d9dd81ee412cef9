"""Selecting a track the saved graph model placed after training: the line under the lists
says so (its graph list looked like a trained track's), and a trained track's does not."""

from __future__ import annotations

import pytest

from gui_support import settle
from new_music_support import build_trained, new_music

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_the_key_line_says_a_selected_track_was_placed(qtbot, make_window, tmp_path):
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.graph_vectors import trained_track_ids
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.training import current_graph_model

    ctx, paths = build_trained(tmp_path / "lib")
    old = int(trained_track_ids(current_graph_model(ctx))[0])
    music, mix = new_music(tmp_path / "new", paths, n=2)
    before = {r[0] for r in connect(ctx).execute("SELECT id FROM tracks")}
    scan_library(ctx, [str(music)], [str(mix)])
    embed_library(ctx, "spectral")
    new = min({r[0] for r in connect(ctx).execute("SELECT id FROM tracks")} - before)
    w = make_window(ctx, wait=False)
    settle(qtbot, w, timeout=240_000)
    w.app.selection.play_on_select = False
    legend = w.neighbours.legend

    w.app.selection.select(new)
    qtbot.waitUntil(lambda: w.neighbours.result is not None
                    and w.neighbours.result.query["track_id"] == new, timeout=60_000)
    assert w.neighbours.graph_list.track_ids(), "placed: graph neighbours at once"
    assert "Graph model: This track is not in graph model" in legend.text()

    w.app.selection.select(old)
    qtbot.waitUntil(lambda: w.neighbours.result.query["track_id"] == old, timeout=60_000)
    assert "not in graph model" not in legend.text()
