"""The Graph model menu's tooltips (:func:`musicsage.controllers.models.model_tip`)."""

from __future__ import annotations

from musicsage.controllers.models import model_tip
from musicsage.usecases.models import GraphModelRow


def row(**kw) -> GraphModelRow:
    values = dict(id=3, created_at="2026-12-02T12:08:00", audio_model="spectral", contexts=(),
                  hr10=0.1234, mrr=0.05, tracks=240, is_current=False, problem=None, dir="/m/3")
    values.update(kw)
    return GraphModelRow(**values)


def test_a_model_tip_says_what_the_label_leaves_out_and_what_choosing_does():
    """It said "Graph model 3" under an entry already named "Model 3 · …": nothing."""
    assert model_tip(row()) == ("Graph model 3, trained on spectral with 240 tracks; HR@10 "
                                "0.123, MRR 0.050 on held-out playlist pairs. Choose to use it "
                                "for the map and the lists.")
    assert model_tip(row(is_current=True)).endswith(". In use.")
    assert model_tip(row(hr10=None, mrr=None, tracks=None)) == (
        "Graph model 3, trained on spectral; not evaluated. Choose to use it for the map and "
        "the lists.")


def test_a_damaged_model_tip_says_why():
    assert model_tip(row(problem="its weights file is missing")) == "its weights file is missing"
