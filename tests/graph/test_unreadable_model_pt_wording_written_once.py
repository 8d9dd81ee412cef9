"""A model.pt the user may not read is told from a damaged one by how
:func:`~musicsage.usecases.models.files_problem` begins: ``models`` lists it UNREADABLE, the
dock and ``stats`` say a retrain would not mend it, and a Retrain that learned nothing keeps
it current. Those checks and the line itself read one constant; the line once spelled the
words out again, so a rewording there would have turned every such model DAMAGED, silently
(and a Retrain would have replaced it). The choice is tested here through that constant
reworded."""

from __future__ import annotations


def test_the_retrain_reads_the_start_files_problem_writes(monkeypatch):
    """Reworded there, an unreadable model.pt is still no damage to the Retrain's choice."""
    import musicsage.usecases.models as models
    from musicsage.usecases.kept_model import damaged

    monkeypatch.setattr(models, "UNREADABLE_START", "model.pt is off limits")
    assert not damaged("model.pt is off limits: Permission denied")
    assert damaged("model.pt is damaged (cut short?)") and damaged("its folder is missing")
