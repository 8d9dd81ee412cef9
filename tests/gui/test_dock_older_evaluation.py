"""The training dock beside a model evaluated by an older protocol (ties counted for the
model): its table's "0.912" read as today's figure, with nothing saying otherwise, while the
Graph model menu said "by an older evaluation"."""

from __future__ import annotations

import os

OLD = {"graph": {"hr@10": 0.912, "mrr": 0.61}, "audio": {"hr@10": 0.2, "mrr": 0.1},
       "pairs": 3000}


def test_the_dock_says_the_figures_are_by_an_older_evaluation(qtbot):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(1024, 260)
    panel.show()
    panel.show_model("Model 3 on spectral — has seen every track in training.", OLD,
                     running=False)
    qtbot.waitExposed(panel)
    assert panel.table.item(0, 0).text() == "0.912"
    assert panel.notes_line.isVisible()
    assert "by an older evaluation" in panel.notes_line.text()
    assert "not comparable" in panel.notes_line.text()
    if os.environ.get("PROTOMARK_PNG"):
        panel.grab().save(os.environ["PROTOMARK_PNG"])
    panel.show_model("Model 4 on spectral", dict(OLD, protocol={"version": 3}), running=False)
    assert not panel.notes_line.isVisible(), "today's evaluation: no note"
