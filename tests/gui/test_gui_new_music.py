"""New music in the window: added after training, it gets graph neighbours at once (scan →
embed, no Retrain); the training dock shows overall / warm / cold and the unseen tracks."""

from __future__ import annotations

import pytest

from gui_support import settle
from new_music_support import build_trained, new_music

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def metrics_block(g, a, pairs):
    return {"graph": {"hr@10": g, "mrr": g / 2 if g is not None else None},
            "audio": {"hr@10": a, "mrr": a / 2 if a is not None else None}, "pairs": pairs}


def test_the_dock_table_has_overall_warm_and_cold_rows(qtbot):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show_metrics(dict(metrics_block(0.4, 0.3, 50), warm=metrics_block(0.5, 0.2, 40),
                            cold=metrics_block(None, None, 0)))
    t = panel.table
    assert [t.verticalHeaderItem(r).text() for r in range(3)] == \
        ["Overall (50)", "Warm (40)", "Cold (0)"]
    assert [t.horizontalHeaderItem(c).text().replace("\n", " ") for c in range(4)] == \
        ["Graph HR@10", "Audio HR@10", "Graph MRR", "Audio MRR"]  # in two lines when narrow
    assert [t.item(1, c).text() for c in range(4)] == ["0.500", "0.200", "0.250", "0.100"]
    assert t.item(1, 0).font().bold() and not t.item(1, 1).font().bold()
    assert [t.item(2, c).text() for c in range(4)] == ["–"] * 4
    assert "without" in t.verticalHeaderItem(2).toolTip()


@pytest.fixture
def trained_with_new_music(tmp_path):
    ctx, paths = build_trained(tmp_path / "lib")
    return ctx, new_music(tmp_path / "new", paths, n=3)


def test_added_music_gets_graph_neighbours_without_retraining(qtbot, make_window,
                                                              trained_with_new_music):
    from musicsage.library.db import connect
    from musicsage.usecases.training import current_graph_model

    ctx, (music, mix) = trained_with_new_music
    model = current_graph_model(ctx)
    w = make_window(ctx, wait=False)
    settle(qtbot, w, timeout=240_000)  # the first map may compile UMAP
    panel = w.training.panel
    assert "has seen every track" in panel.model_line.text()
    assert panel.table.item(0, 0) is not None  # the model's own evaluation, before any Retrain
    notes = []
    w.app.notified.connect(lambda level, text, details: notes.append(text))

    w.app.library.embed_model = "spectral"  # the library's model (menu: Audio model)
    w.app.library.scan([str(music)], [str(mix)])  # what "Add music folder" does
    qtbot.waitUntil(lambda: any("got graph neighbours" in n for n in notes), timeout=180_000)
    settle(qtbot, w, timeout=180_000)

    assert current_graph_model(ctx).id == model.id  # nothing retrained
    assert "3 tracks added or changed since training; 3 placed" in panel.model_line.text()
    new = [r[0] for r in connect(ctx).execute(
        "SELECT id FROM tracks WHERE path LIKE ? ORDER BY id", (f"{music}%",))]
    assert len(new) == 3
    points = w.app.map.points
    assert w.app.map.space == "graph" and set(new) <= set(points.track_ids.tolist())
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(new[0], play=False)
    assert w.neighbours.graph_list.topLevelItemCount() > 0  # graph neighbours at once
