"""A model.pt the user may not read is no damage: a Retrain that learned nothing keeps it
current (no retrain would mend its permissions), where a damaged one is replaced. The choice
reads how :func:`~musicsage.usecases.models.files_problem` begins, through the constant that
line is written with: reworded there, the choice follows, and an unreadable model.pt does not
turn damaged silently."""

from __future__ import annotations


def test_the_retrain_reads_the_start_files_problem_writes(monkeypatch):
    """Reworded there, an unreadable model.pt is still no damage to the Retrain's choice."""
    import musicsage.usecases.models as models
    from musicsage.usecases.kept_model import damaged

    monkeypatch.setattr(models, "UNREADABLE_START", "model.pt is off limits")
    assert not damaged("model.pt is off limits: Permission denied")
    assert damaged("model.pt is damaged (cut short?)") and damaged("its folder is missing")
