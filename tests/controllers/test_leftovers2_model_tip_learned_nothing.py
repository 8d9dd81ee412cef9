"""The Graph model menu's tooltip of a model that learned nothing (it kept its untrained
weights): it said "HR@10 1.000, MRR 0.333 on held-out playlist pairs", figures of no training,
while the menu's label, ``models`` and ``stats`` say "learned nothing"."""

from __future__ import annotations

from musicsage.controllers.models import model_tip
from musicsage.usecases.models import GraphModelRow


def _row(**kw) -> GraphModelRow:
    values = dict(id=3, created_at="2026-12-02T12:08:00", audio_model="spectral", contexts=(),
                  hr10=1.0, mrr=0.3333, tracks=4, is_current=False, problem=None, dir="/m/3",
                  pairs=1, learned=False)
    values.update(kw)
    return GraphModelRow(**values)


def test_a_model_that_learned_nothing_is_said_so_without_its_figures():
    tip = model_tip(_row())
    assert "learned nothing" in tip and "kept its untrained weights" in tip
    assert "HR@10" not in tip and "MRR" not in tip and "1.000" not in tip
    assert "held-out" not in tip and "not evaluated" not in tip
    assert tip.startswith("Graph model 3, trained on spectral with 4 tracks; ")
    assert tip.endswith(". Choose to use it for the map and the lists.")
    assert model_tip(_row(is_current=True)).endswith(". In use.")


def test_one_that_learned_says_its_figures_as_before():
    tip = model_tip(_row(learned=True))
    assert "HR@10 1.000, MRR 0.333 on held-out playlist pairs" in tip
    assert "learned nothing" not in tip


def test_a_damaged_one_still_says_only_why_it_cannot_be_used():
    assert model_tip(_row(problem="its weights file is missing")) == (
        "its weights file is missing")
