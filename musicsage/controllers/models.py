"""Analyse ▸ Graph model: the library's graph models, and going back to an earlier one.

The list is read with every library snapshot (off the window's thread: a Retrain, a
terminal's ``train`` or ``models --use`` reload it), so the menu shows it at once. Choosing a model runs :func:`~musicsage.usecases.models.use_graph_model` as a long task
and then reloads the window the way a finished Retrain does (library, map, the selected
track's neighbours). No switch while a training, an embedding or another switch runs: a
training's end would make its own model current, and the embedding's new tracks would get
vectors from the model it started with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.tasks import Event, Task
from musicsage.usecases.models import GraphModelRow, ModelSwitch, use_graph_model

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController

SWITCH_TASK = "Switching graph model"


def describe_switch(switch: ModelSwitch) -> str:
    """The status line after a switch: which model is now in use."""
    m = switch.model
    text = f"Graph model {m.id} ({m.label()}) is now in use"
    graph = switch.inductive
    if graph is not None and graph.embedded:
        text += f"; it placed {graph.embedded} track(s) it had never seen"
    if graph is not None and graph.note:
        text += f" (note: {graph.note})"
    return text


class ModelsController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.switched = Event()  # ModelSwitch, once the window shows the model
        self._switching: Task | None = None

    @property
    def models(self) -> list[GraphModelRow]:
        """The library's graph models as the last snapshot read them, oldest first."""
        snap = self.app.library.snapshot
        return list(snap.graph_models) if snap is not None else []

    @property
    def can_switch(self) -> bool:
        """Whether the menu may offer a switch now (not during a training or embedding run,
        nor a switch already going)."""
        busy = self._switching is not None and self._switching.running
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
        task = self.app.run(SWITCH_TASK, use_graph_model, self.app.ctx, int(model_id),
                            long=SWITCH_TASK)
        self._switching = task
        task.on_result(self._switched)
        task.on_cancelled(lambda: self.app.library.reload(then=self._show_neighbours))
        task.on_failed(lambda _msg, _details: self.app.library.reload())
        return task

    def _switched(self, switch: ModelSwitch) -> None:
        self.app.notify(describe_switch(switch))
        self.app.library.reload(then=lambda: self._shown(switch))

    def _shown(self, switch: ModelSwitch) -> None:
        self._show_neighbours()
        self.switched.emit(switch)

    def _show_neighbours(self) -> None:
        """As after a Retrain: the selected track's lists from the model now in use."""
        if self.app.selection.selected is not None:
            self.app.selection.refresh_neighbours()
