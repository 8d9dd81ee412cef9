"""The library summary says a graph model that learned nothing learned nothing, in
``train``'s words: it read "Graph model: trained (HR@10 1.000, only 1 pair)", a figure its
untrained weights scored, while ``train`` had said the run learned nothing."""

from __future__ import annotations

from pathlib import Path

from musicsage.graph.store import GraphModelInfo
from musicsage.gui.library_panel import LibraryPanel
from musicsage.usecases.model_metrics import LEARNED
from musicsage.usecases.snapshot import LibrarySnapshot


def _snapshot(learned: bool, models: int = 1) -> LibrarySnapshot:
    """A library whose model in use, one of ``models``, scored HR@10 1.000 on 1 pair, and
    learned or not."""
    model = GraphModelInfo(id=models, name=f"graph-{models}", audio_model="spectral",
                           created_at="", dir=Path("."), params={LEARNED: learned},
                           fingerprint="", metrics={"graph": {"hr@10": 1.0}, "pairs": 1,
                                                    "protocol": {"version": 3}},
                           is_current=True)
    return LibrarySnapshot(stats=None, tracks=[], playlists=[], memberships=[],
                           audio_model=None, graph_model=model, graph_models=[None] * models)


def _summary(qtbot, snap: LibrarySnapshot) -> tuple[str, str]:
    """The summary's graph line and tooltip, shown as the window shows them."""
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.show_summary(tracks=15, missing=0, playlists=4, audio_model="spectral",
                       audio_count=15, graph_model=snap.graph_label,
                       graph_notes=snap.graph_notes,
                       graph_learned_nothing=snap.graph_learned_nothing)  # the window's
    return panel.summary.text().split("<br>")[-1], panel.summary.toolTip()


def test_the_summary_says_a_model_learned_nothing(qtbot):
    line, tip = _summary(qtbot, _snapshot(learned=False))
    assert line == "Graph model: <b>learned nothing</b> (kept its untrained weights)"
    assert "trained</b>" not in line and "HR@10" not in line
    assert ("It learned nothing: it kept its untrained weights (loss 0 at every step); add "
            "playlists, and tracks to them, then Retrain.") in tip
    assert "HR@10" not in tip, tip  # the untrained weights' figure, and what it means
    assert tip.startswith("Graph model in use: graph-1\n")


def test_a_model_that_learned_is_still_trained_with_its_hr10(qtbot):
    line, tip = _summary(qtbot, _snapshot(learned=True))
    assert line == "Graph model: <b>trained</b> (HR@10&nbsp;1.000, only 1 pair)"
    assert "learned nothing" not in tip and "HR@10:" in tip


def test_a_model_that_learned_nothing_keeps_its_other_notes_in_the_tooltip(qtbot):
    """Its HR@10 leaves the tooltip's first line; "model 2" (which of several) stays."""
    snap = _snapshot(learned=False, models=2)
    assert snap.graph_label == "graph-2 (model 2, HR@10 1.000 on only 1 pair)"
    line, tip = _summary(qtbot, snap)
    assert tip.startswith("Graph model in use: graph-2 (model 2)\n"), tip
    assert line == "Graph model: <b>learned nothing</b> (model 2, kept its untrained weights)"
