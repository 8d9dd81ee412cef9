"""Which graph model stays current after a training run that learned nothing.

A run that learned nothing (a tiny library: loss 0 at every step) must not replace a model
that learned — its list would equal the audio one's (docs/cli.md, ``train``). But a current
model whose files are damaged gives no graph list at all ("searches use audio alone until a
retrain"): kept, it sent the user to a Retrain that kept it again, round and round. Only a
model.pt the user may not read is kept still: its vectors give the lists, and no retrain
would mend its permissions. A damaged model replaced so is named in the run's line: its
folder may be "missing" only for a while (a drive not mounted), and ``models --use`` goes
back to it once it is whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo
    from musicsage.graph.train import TrainResult


@dataclass(frozen=True)
class CurrentAfterRun:
    """Which model a run that just trained leaves current: :func:`model_kept_current`."""

    kept: int | None = None
    """The current model, which stays current because this run learned nothing (None: the
    new model becomes current)."""
    replaced_damaged: tuple[int, str] | None = None
    """Of a run that learned nothing and becomes current all the same: the current model it
    replaces, whose files are damaged, and why (``(2, "its folder is missing")``)."""


def model_kept_current(conn, ctx: "AppContext", result: "TrainResult") -> CurrentAfterRun:
    """Whether the current model stays current because this run learned nothing and so must
    not replace it; else the new model becomes current (it learned, it is the only model there
    is, the current one learned nothing either, or its files are damaged: then named)."""
    from musicsage.graph.jobs import learned_nothing
    from musicsage.graph.store import current_model
    from musicsage.usecases.models import files_problem, learned_nothing_saved

    if not learned_nothing(result):
        return CurrentAfterRun()
    previous = current_model(conn, ctx)
    if previous is None or learned_nothing_saved(previous):
        return CurrentAfterRun()  # the newest serves at least as well
    problem = files_problem(previous)
    if damaged(problem):
        return CurrentAfterRun(replaced_damaged=(previous.id, problem))
    return CurrentAfterRun(kept=previous.id)


def unreadable(problem: str) -> bool:
    """Whether a model's ``problem`` is a model.pt the user may not read, not damage."""
    from musicsage.usecases.models import UNREADABLE_START

    return problem.startswith(UNREADABLE_START)


def problem_word(problem: str) -> str:
    """The word for a model that cannot be used (``models``, ``stats``, the Graph model
    menu): UNREADABLE for a model.pt the user may not read (no damage: retraining would not
    mend it, its permissions would), else DAMAGED."""
    return "UNREADABLE" if unreadable(problem) else "DAMAGED"


def damaged(problem: str | None) -> bool:
    """Whether a model's ``problem`` (:func:`~musicsage.usecases.models.files_problem`'s
    words) is damaged or gone files (what ``models`` lists as DAMAGED), not merely a model.pt
    the user may not read."""
    return problem is not None and not unreadable(problem)


def replaced_damaged_text(replaced: tuple[int, str], model_id: int | None, why: str) -> str:
    """What the train line says of a run that learned nothing and is current all the same,
    the model it replaced having damaged files (``replaced``: that model's id and problem):
    that model named, or a drive not mounted for a while would seem to have lost a model that
    learned. ``why``: why the run learned nothing, or where the note that says so is."""
    damaged_id, problem = replaced
    return (f"{damaged_model_text(damaged_id, problem)}: the new model {model_id} is current, "
            f"though it learned nothing — {why}. `musicsage models --use {damaged_id}` makes "
            f"model {damaged_id} current again once its files are whole")


def damaged_model_text(model_id: int, problem: str) -> str:
    """Model ``model_id`` and its files' ``problem``, "damaged" said once: "model 2's files
    are damaged (its folder is missing)", but "model 2 cannot be used (model.pt is damaged
    (cut short?))" — it read "files are damaged (model.pt is damaged …)". Told by how the
    problem begins: a path in it (/media/damaged_disk) changed the wording."""
    from musicsage.usecases.models import DAMAGED_START

    if problem.startswith(DAMAGED_START):
        return f"model {model_id} cannot be used ({problem})"
    return f"model {model_id}'s files are damaged ({problem})"
