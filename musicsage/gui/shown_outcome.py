"""Which model a finished run's outcome in the training dock is about.

After a Retrain the dock keeps the run's curves and its "Training finished: the new model is
in use …" line over library loads; after a Cancel or a failure, its line ("model 2 is still
in use"). Once another model is current (Analyse ▸ Graph model, a terminal's ``musicsage
train``) they stood beside that model's table as if they were about it. Qt-free: the dock
asks on each load.
"""

from __future__ import annotations


def model_named(line: str) -> str:
    """The model a dock's model line names ("Model 3 on spectral"): what follows " — " (the
    tracks it did not see) changes with a scan, the model does not."""
    return line.split(" — ", 1)[0]


class ShownOutcome:
    """The model in use when a shown run ended, and after a success the one the loads after
    it showed first (the run's own model, made current by it)."""

    def __init__(self) -> None:
        self.before: str | None = None
        self.made: str | None = None
        self.stopped_for: str | None = None
        """The model in use when a run was cancelled or failed: its line stays while it is."""

    def cleared(self) -> None:
        """A new run: nothing of the last one's outcome is shown any more."""
        self.before = self.made = self.stopped_for = None

    def ended(self, model_line: str) -> None:
        """A run shown in the dock succeeded while ``model_line`` named the model in use."""
        self.cleared()
        self.before = model_named(model_line)

    def stopped(self, model_line: str) -> None:
        """A run was cancelled or failed while ``model_line`` named the model in use."""
        self.cleared()
        self.stopped_for = model_named(model_line)

    def keeps_status(self, model_line: str) -> bool:
        """Whether a cancelled or failed run's line still holds for the model a load shows
        ("model 2 is still in use" is untrue once model 1 is); forgotten once it does not."""
        if self.stopped_for != model_named(model_line):
            self.stopped_for = None
        return self.stopped_for is not None

    def replaced(self, model_line: str) -> bool:
        """Whether the model a load shows is another than a succeeded run's: the first model
        other than the one before the run is the run's own (a load already under way may
        still bring the one before); any model after that one is not."""
        if self.before is None:
            return False
        named = model_named(model_line)
        if self.made is None:
            if named != self.before:
                self.made = named
            return False
        return named != self.made
