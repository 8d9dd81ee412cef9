"""A library whose playlists hold too few tracks to train on: Retrain says so before it is
pressed (its tooltip) and when pressed (the status line, no run, no error box), the neighbours
page says it instead of "Train one", and ``similar`` too — it was offered, and failed in an
error box after reading the library."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from gui_support import settle
from music_support import make_music

pytestmark = pytest.mark.usefixtures("shared_helper")


@pytest.fixture
def few_memberships(ctx, tmp_path):
    """8 tracks, 2 of the 6 playlists imported: fewer memberships than training needs."""
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    music, playlists, _paths = make_music(tmp_path / "src", n_tracks=8)
    scan_library(ctx, [str(music)], [str(playlists / "Mix 1.m3u8"), str(playlists / "Mix 2.m3u8")])
    embed_library(ctx, "spectral")
    return ctx


def test_retrain_says_it_needs_more_memberships(qtbot, make_window, few_memberships):
    from musicsage.graph.reports import MIN_MEMBERSHIPS
    from musicsage.usecases.search import similar_tracks

    w = make_window(few_memberships)
    n = len(set(w.app.library.snapshot.memberships))
    assert 0 < n < MIN_MEMBERSHIPS
    need = f"needs at least {MIN_MEMBERSHIPS} playlist memberships (this library has {n})"
    retrain = w.actions_.retrain
    assert retrain.isEnabled() and retrain.toolTip().startswith(f"Retrain {need}")

    retrain.trigger()
    qtbot.wait(50)
    assert not w.app.training.running and QApplication.activeModalWidget() is None
    assert w.statusBar().currentMessage().startswith(f"Retrain {need}")
    assert not any(level == "error" for level, _text in w.app.notifications)

    track = w.app.library.snapshot.tracks[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(track, play=False)
    settle(qtbot, w)
    assert w.app.selection.empty_notes(w.app.selection.result)["graph"] == (
        f"No graph model yet.\nTraining one {need}: put more tracks in playlists.")

    result = similar_tracks(few_memberships, track, 5, "both")  # what `similar` prints
    assert result.notes["graph"] == f"no trained graph model yet: training one {need}: put " \
                                    "more tracks in playlists"
