"""Issue 16 item 4 in the window: a library whose graph model's vectors are damaged opens,
shows the audio map and the audio list, says once (one line) that the graph model is unusable,
and gets the graph list back after Retrain."""

from __future__ import annotations

import logging
import shutil

import numpy as np
import pytest

from gui_support import settle
from models_support import copy_library
from musicsage.context import AppContext
from musicsage.usecases.library import list_tracks
from musicsage.usecases.training import current_graph_model, train_graph

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

N_TRACKS = 72  # embedded_72_template (tests/gui/conftest.py)
TRAIN = {"max_steps": 5}  # a trained model is all these need, not a good one


@pytest.fixture(scope="module")
def trained_template(embedded_72_template, tmp_path_factory):
    """A trained library with its audio map laid out: the window shows that map (the graph
    one is unusable) from the cache, not laying 72 tracks out (UMAP) in a child process."""
    from musicsage.usecases.search import map_points

    root = tmp_path_factory.mktemp("trained")
    train_graph(copy_library(embedded_72_template, root), **TRAIN)
    map_points(AppContext.create(root / "data"), "audio")
    return root


@pytest.fixture
def damaged_library(trained_template, tmp_path):
    """A copy whose current graph model holds a NaN."""
    shutil.copytree(trained_template / "data", tmp_path / "data")
    ctx = AppContext.create(tmp_path / "data")
    path = current_graph_model(ctx).dir / "embeddings.npy"
    emb = np.load(path)
    emb[5, 0] = np.nan
    np.save(path, emb)
    return ctx


def test_window_shows_audio_and_one_notice_then_retrain_brings_the_graph_back(
        qtbot, make_window, damaged_library, caplog):
    caplog.set_level(logging.WARNING)
    notices = []
    w = make_window(damaged_library, wait=False, train_options=TRAIN)
    w.notified.connect(lambda level, text: notices.append((level, text)))
    settle(qtbot, w)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == N_TRACKS, timeout=60_000)
    assert w.app.map.space == "audio" and w.space_combo.currentData() == "audio"
    assert not w.space_combo.model().item(0).isEnabled()
    tid = list_tracks(damaged_library)[3].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(tid, play=False)
    assert w.neighbours.audio_list.topLevelItemCount() == 10
    assert w.neighbours.graph_list.topLevelItemCount() == 0
    assert "unusable" in w.neighbours.graph_note.text()
    assert w.library.summary.text().endswith(" pairs) — unusable: Retrain")
    w.app.library.reload()  # a reload does not repeat the notice
    settle(qtbot, w)
    warned = [t for level, t in w.app.notifications if "unusable" in t]
    assert len(warned) == 1 and "\n" not in warned[0] and "Retrain" in warned[0]
    assert "unusable" in w.statusBar().currentMessage() or notices
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text

    with qtbot.waitSignal(w.training_finished, timeout=300_000) as done:
        w.app.training.start()
    assert done.args == ["succeeded"]
    qtbot.waitUntil(lambda: w.neighbours.graph_list.topLevelItemCount() > 0, timeout=60_000)
    settle(qtbot, w)
    assert w.app.map.graph_problem is None and w.space_combo.model().item(0).isEnabled()
    qtbot.waitUntil(lambda: w.app.map.space == "graph", timeout=60_000)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
