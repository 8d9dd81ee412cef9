"""Which graph model stays current after a training run that learned nothing.

A run that learned nothing (a tiny library: loss 0 at every step) must not replace a model
that learned — its list would equal the audio one's (docs/cli.md, ``train``). But a current
model whose files are damaged gives no graph list at all ("searches use audio alone until a
retrain"): kept, it sent the user to a Retrain that kept it again, round and round. Only a
model.pt the user may not read is kept still: its vectors give the lists, and no retrain
would mend its permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo
    from musicsage.graph.train import TrainResult

UNREADABLE_START = "model.pt cannot be read"
"""How :func:`~musicsage.usecases.models.files_problem` begins for a model.pt the user may
not read (no damage: its vectors still serve)."""


def model_kept_current(conn, ctx: "AppContext", result: "TrainResult") -> int | None:
    """The current model's id when this run learned nothing and so must not replace it; None:
    the new model becomes current (it learned, it is the only model there is, the current one
    learned nothing either, or its files are damaged)."""
    from musicsage.graph.jobs import learned_nothing
    from musicsage.graph.store import current_model
    from musicsage.usecases.models import learned_nothing_saved

    if not learned_nothing(result):
        return None
    previous = current_model(conn, ctx)
    if previous is None or learned_nothing_saved(previous) or damaged(previous):
        return None  # the newest serves at least as well
    return previous.id


def damaged(info: "GraphModelInfo") -> bool:
    """Whether ``info``'s files are damaged or gone (what ``models`` lists as DAMAGED), not
    merely a model.pt the user may not read."""
    from musicsage.usecases.models import files_problem

    problem = files_problem(info)
    return problem is not None and not problem.startswith(UNREADABLE_START)
