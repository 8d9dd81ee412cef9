"""Analyse ▸ Graph model: the library's graph models, and going back to an earlier one.

The list is read with every library snapshot (off the window's thread: a Retrain, a
terminal's ``train`` or ``models --use`` reload it), so the menu shows it at once. Choosing
a model runs :func:`~musicsage.usecases.models.use_graph_model` as a long task and then
reloads the window the way a finished Retrain does (library, map, the selected track's
neighbours). No switch while a training, an embedding or another switch runs: a
training's end would make its own model current, and the embedding's new tracks would get
vectors from the model it started with.

"Remove older models…" deletes every model but the current one
(:func:`~musicsage.usecases.models.remove_graph_models`), after a confirmation that names
them and what they hold on disk: old models otherwise pile up under ``graph_models/`` with
every Retrain. It is offered and refused exactly when a switch is, and the ids deleted are
the ones the user was shown, never "whatever is not current" at the moment it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from musicsage.controllers.tasks import Event, Task
from musicsage.text import counted
from musicsage.usecases.model_metrics import (KEPT_UNTRAINED, LEARNED_NOTHING,
                                              MORE_TO_LEARN_FROM, NO_LOSS)
from musicsage.usecases.models import (GraphModelRow, ModelRemoval, ModelSwitch, folder_bytes,
                                       folder_fate, remove_graph_models, use_graph_model)

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController

SWITCH_TASK = "Switching graph model"
REMOVE_TASK = "Removing graph models"
LEARNED_NOTHING_TIP = (f"it {LEARNED_NOTHING}: it {KEPT_UNTRAINED} ({NO_LOSS}), so it has "
                       f"no scores; {MORE_TO_LEARN_FROM}, then Retrain.")
"""A menu tooltip's words for a model that learned nothing, as ``train`` and ``stats`` say
it: its HR@10 and MRR were measured on its untrained weights ("HR@10 1.000")."""


def size_text(n_bytes: int) -> str:
    """A disk size as a confirmation says it ("12.3 MB"), in the unit its rounded figure fits:
    999,960 bytes were "1000.0 KB"."""
    size = float(n_bytes)
    for unit, digits in (("bytes", 0), ("KB", 1), ("MB", 1)):
        if round(size, digits) < 1000:
            return f"{size:.{digits}f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


@dataclass(frozen=True)
class RemovalQuestion:
    """What the window asks before "Remove older models…": the ids it will delete, and the
    question naming them (count, disk size, each model, the one kept)."""

    model_ids: tuple[int, ...]
    title: str
    text: str


def describe_removal(removal: ModelRemoval) -> tuple[str, str]:
    """``(level, status line)`` after a removal: how many went, what was freed, what stayed.
    A removed model whose folder stayed (another model's row names it too, so only the row
    went and nothing was freed) is named with why, as ``models --remove`` says it: counted
    as removed without a word, the freed size looked wrong."""
    text = (f"Removed {counted(len(removal.removed), 'older graph model')} "
            f"({size_text(removal.freed)} freed)")
    text += "".join(f"; {_folder_note(m)}" for m in removal.removed if m.problem)
    if not removal.refused:
        return "info", text
    why = "; ".join(reason for _id, reason in removal.refused)
    if not removal.removed:  # "Removed 0 older graph models (0 bytes freed); not removed: …"
        return "warning", why[:1].upper() + why[1:]
    return "warning", f"{text}; not removed: {why}"


def _folder_note(model: GraphModelRow) -> str:
    """What became of a removed model's folder ("model 3's folder is kept: graph model 4 uses
    it too"), from what the removal recorded (:func:`folder_fate`), not from its wording."""
    return folder_fate(model, f"model {model.id}'s") or f"model {model.id}: {model.problem}"


def unusable_word(model: GraphModelRow) -> str:
    """The Graph model menu's word after a model that cannot be used: "unreadable" for a
    model.pt the user may not read (as ``models`` lists it; no retrain mends it), else
    "damaged"."""
    from musicsage.usecases.kept_model import problem_word

    return problem_word(model.problem or "").lower()


def model_tip(model: GraphModelRow) -> str:
    """The Graph model menu's tooltip for one model: why it cannot be used, else what the
    entry's short label leaves out (what it was trained on, all its scores, what choosing
    it does). Scores of an older evaluation (:attr:`GraphModelRow.older_protocol`) say so, as
    the label does: they counted ties for the model, and read as today's they flattered it.
    A model that learned nothing (:attr:`GraphModelRow.learned`) is said so, without the
    scores its untrained weights got ("HR@10 1.000"), as the label, ``models`` and ``stats``
    say it."""
    if model.problem:
        return model.problem
    trained = f"trained on {model.audio_model}" + (
        f" with {counted(model.tracks, 'track')}" if model.tracks is not None else "")
    what = ("In use" if model.is_current
            else "Choose to use it for the map and the lists")
    if not model.learned:
        return f"Graph model {model.id}, {trained}; {LEARNED_NOTHING_TIP} {what}."
    scores = ", ".join(f"{name} {value:.3f}" for name, value in (("HR@10", model.hr10),
                                                                 ("MRR", model.mrr))
                       if value is not None)
    scored = f"; {scores} on held-out playlist pairs" if scores else "; not evaluated"
    if scores and model.older_protocol:
        scored += " by an older evaluation, not comparable with newer models' scores"
    return f"Graph model {model.id}, {trained}{scored}. {what}."


def describe_switch(switch: ModelSwitch) -> str:
    """The status line after a switch: which model is now in use."""
    m = switch.model
    removed = switch.removed_meanwhile()
    if removed is not None:
        return removed[0].upper() + removed[1:]
    text = f"Graph model {m.id} ({m.label()}) is now in use"
    graph = switch.inductive
    if graph is not None and graph.new_vectors:  # not those it placed again (``embedded``)
        text += f"; it placed {counted(graph.new_vectors, 'track')} it had never seen"
    if graph is not None and graph.note:
        text += f" (note: {graph.note})"
    return text


class ModelsController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.switched = Event()  # ModelSwitch, once the window shows the model
        self._busy: Task | None = None
        """The switch or removal running (one at a time)."""

    @property
    def models(self) -> list[GraphModelRow]:
        """The library's graph models as the last snapshot read them, oldest first."""
        snap = self.app.library.snapshot
        return list(snap.graph_models) if snap is not None else []

    @property
    def can_switch(self) -> bool:
        """Whether the menu may offer a switch or a removal now (not during a training or
        embedding run, nor while a switch or removal is going)."""
        busy = self._busy is not None and self._busy.running
        return not (busy or self.app.training.running or self.app.library.embedding)

    def use(self, model_id: int) -> Task | None:
        """Make ``model_id`` the current graph model; the window then reloads. None when
        nothing was started (busy, or it is current already)."""
        if not self.can_switch:
            self.app.notify("Wait for the running training or embedding to finish before "
                            "switching graph models", "warning")
            return None
        if any(m.id == model_id and m.is_current for m in self.models):
            return None
        ctx = self.app.ctx
        task = self.app.run(SWITCH_TASK, use_graph_model, ctx, int(model_id), long=SWITCH_TASK)
        self._busy = task
        task.on_result(lambda switch: self._switched(switch, ctx))
        task.on_cancelled(lambda: self._reload(ctx, self._show_neighbours))
        task.on_failed(lambda _msg, _details: self._reload(ctx))
        return task

    def _reload(self, ctx: "AppContext", then: Callable[[], None] | None = None) -> None:
        """Read ``ctx`` again, then ``then`` — only while it is shown: another library opened
        meanwhile did not change, and its selection is its own (also when it is opened before
        the read comes: ``then`` waits for the next read, which is of that one)."""
        if not self.app.library.shows(ctx):
            return
        self.app.library.reload(then=None if then is None else lambda: (
            then() if self.app.library.shows(ctx) else None))

    def _switched(self, switch: ModelSwitch, ctx: "AppContext") -> None:
        self.app.notify(describe_switch(switch) + self.app.library.elsewhere(ctx))
        self._reload(ctx, lambda: self._shown(switch))

    def _shown(self, switch: ModelSwitch) -> None:
        self._show_neighbours()
        self.switched.emit(switch)

    def _show_neighbours(self) -> None:
        """As after a Retrain: the selected track's lists from the model now in use."""
        if self.app.selection.selected is not None:
            self.app.selection.refresh_neighbours()

    # -- removing old models -------------------------------------------------------------------
    @property
    def removable(self) -> list[GraphModelRow]:
        """Every model but the current one (damaged ones too: they are only clutter)."""
        return [m for m in self.models if not m.is_current]

    def removal_question(self) -> RemovalQuestion | None:
        """The confirmation for "Remove older models…", or None when there is nothing to
        remove (the menu entry is off then)."""
        older = self.removable
        if not older:
            return None
        size = sum(folder_bytes(m.dir) for m in older)
        lines = [f"• model {m.id}: {m.label()}" + (" (damaged)" if not m.usable else "")
                 for m in older]
        kept = next((m for m in self.models if m.is_current), None)
        text = (f"Delete {counted(len(older), 'older graph model')} ({size_text(size)} on "
                "disk)?\n\n" + "\n".join(lines) + "\n\n")
        if kept is not None:
            text += f"The model in use stays: model {kept.id}, {kept.label()}.\n\n"
        text += "Deleted models cannot be brought back; Retrain makes a new one."
        return RemovalQuestion(tuple(m.id for m in older), "Remove older graph models", text)

    def remove(self, model_ids: tuple[int, ...]) -> Task | None:
        """Delete the models the user confirmed; the menu and the status line follow once the
        library is re-read. None when nothing was started (busy, or nothing to delete)."""
        if not self.can_switch:
            self.app.notify("Wait for the running training or embedding to finish before "
                            "removing graph models", "warning")
            return None
        ids = [int(i) for i in model_ids]
        if not ids:
            return None
        ctx = self.app.ctx
        task = self.app.run(REMOVE_TASK, remove_graph_models, ctx, ids, long=REMOVE_TASK)
        self._busy = task
        task.on_result(lambda removal: self._removed(removal, ctx))
        task.on_failed(lambda _msg, _details: self._reload(ctx))
        return task

    def _removed(self, removal: ModelRemoval, ctx: "AppContext") -> None:
        level, text = describe_removal(removal)
        self.app.notify(text + self.app.library.elsewhere(ctx), level)
        self._reload(ctx)
