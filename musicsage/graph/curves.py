"""A training run's curves as saved with its model: written and read here, in one place.

The window draws the loss and validation HR@10 of a run while it goes on; the same points, and
the step whose weights were kept, are stored in the model's ``graph_models.params`` under
``"curves"`` so that a window opened later draws the model in use's curves too. The format:
``{"loss": [[step, loss], ...], "val_hr10": [[step, hr], ...], "best_step": n}``. Light on
purpose (no torch): the window reads it at start-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from musicsage.graph.saved_numbers import finite_number


@dataclass(frozen=True)
class TrainingCurves:
    loss: list[tuple[float, float]]
    val_hr10: list[tuple[float, float]]
    best_step: int | None

    @classmethod
    def from_run(cls, curve: Sequence[tuple[int, float]], history: Sequence[dict],
                 best_step: int) -> "TrainingCurves":
        """A run's (step, loss) reports, its validation history and the step it kept."""
        val = [(float(h["step"]), float(h["val_hr10"])) for h in history
               if h.get("val_hr10") is not None]
        return cls([(float(s), float(v)) for s, v in curve], val, int(best_step))

    def to_params(self) -> dict:
        """The ``params["curves"]`` value (steps as integers)."""
        return {"loss": [[int(s), v] for s, v in self.loss],
                "val_hr10": [[int(s), v] for s, v in self.val_hr10], "best_step": self.best_step}

    @classmethod
    def from_params(cls, params: object) -> "TrainingCurves | None":
        """The curves of a model's parameters; None for a model saved before they were kept,
        or for parameters that do not hold them in the expected shape."""
        saved = params.get("curves") if isinstance(params, dict) else None
        if not isinstance(saved, dict):
            return None
        try:
            loss, val = _points(saved.get("loss")), _points(saved.get("val_hr10"))
        except (TypeError, ValueError, OverflowError):  # 1e400 steps: an int beyond floats
            return None
        return cls(loss, val, _best_step(saved.get("best_step"))) if loss or val else None


def _points(saved: object) -> list[tuple[float, float]]:
    """[[step, value], ...] as (step, value) pairs; non-finite values left out."""
    points = [(float(step), float(value)) for step, value in (saved or [])]
    return [(s, v) for s, v in points if math.isfinite(s) and math.isfinite(v)]


def _best_step(saved: object) -> int | None:
    """The step kept, as saved; None when absent or not a whole, finite step (``2.7``, a
    hand-edited row's ``Infinity``, a whole number beyond floats: the window's kept-step
    line, drawn at a float, raised OverflowError on it; ``true`` or ``"3"``, no number at
    all: :func:`finite_number`): the curves still show."""
    step = finite_number(saved)
    return int(step) if step is not None and step.is_integer() else None
