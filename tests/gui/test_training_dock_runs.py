"""The training dock through a Retrain that trains twice, and on a dark theme.

With albums or artists beside the playlists and 100 validation pairs or more, a Retrain runs
a second time on the playlists alone (stage ``train-playlists``; docs/model.md, "Which
contexts") and keeps the run that scores higher on validation. The dock drew the first run
only: the second went unseen, and nothing said which run was kept. Its plots were white on a
dark theme.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from musicsage.graph.reports import TrainReport
from musicsage.progress import Progress


class FakeTask:
    """The Retrain's task: the test feeds its progress and hands over its result."""

    running = True

    def __init__(self) -> None:
        self.handlers: dict[str, list] = {}

    def _on(self, kind: str, fn) -> "FakeTask":
        self.handlers.setdefault(kind, []).append(fn)
        return self

    def on_progress(self, fn):
        return self._on("progress", fn)

    def on_result(self, fn):
        return self._on("result", fn)

    def on_cancelled(self, fn):
        return self._on("cancelled", fn)

    def on_failed(self, fn):
        return self._on("failed", fn)

    def fire(self, kind: str, *args) -> None:
        for fn in self.handlers.get(kind, []):
            fn(*args)


def _retrain(qtbot):
    """A TrainingController over a fake app, its events wired to a TrainingPanel as the
    window wires them (gui/window_wiring.py), and the task it started."""
    from musicsage.controllers.training import TrainingController
    from musicsage.gui.training_dock import TrainingPanel

    task = FakeTask()
    app = SimpleNamespace(
        library=SimpleNamespace(snapshot=None, reload=lambda then=None: None), ctx=None,
        run=lambda *args, **kwargs: task, notify=lambda *args: None,
        selection=SimpleNamespace(selected=None))
    controller = TrainingController(app)
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 260)
    panel.show()
    controller.started.connect(lambda _text: panel.start())
    controller.progress.connect(panel.add_progress)
    controller.finished.connect(lambda outcome, metrics, message, best: panel.finish(
        outcome, metrics, message, best_step=best))
    assert controller.start() is task
    return panel, task


def _steps(stage: str, losses: list[float], scores: list[float]) -> list[Progress]:
    return [Progress(stage, 100 * (i + 1), 3000, f"loss {loss:.3f}",
                     {"step": 100 * (i + 1), "loss": loss, "val_hr10": score})
            for i, (loss, score) in enumerate(zip(losses, scores))]


def _report(**changes) -> TrainReport:
    report = TrainReport(metrics=None, steps=400, best_step=300, best_val_hr10=0.7,
                         seconds=12.0, contexts=("playlist",), objective="infonce",
                         context_scores={"playlist,album,artist": 0.587, "playlist": 0.729},
                         dropped_contexts=("album", "artist"))
    for key, value in changes.items():
        setattr(report, key, value)
    return report


def test_the_second_run_shows_and_the_dock_says_which_run_was_kept(qtbot):
    panel, task = _retrain(qtbot)
    task.fire("progress", _steps("train", [3.0, 2.5, 2.2], [0.40, 0.55, 0.58]))
    assert "Run 2" not in panel.status.text()
    task.fire("progress", [Progress("train-playlists", 0, 3000, "sampling", {"step": 0})])
    task.fire("progress", _steps("train-playlists", [3.2, 2.4, 2.0, 1.9],
                                 [0.50, 0.66, 0.72, 0.71]))
    # the user sees that a second run is under way, and its own curves
    assert panel.status.text().startswith("Run 2 of 2: playlists only: step 400")
    assert "loss 1.9000" in panel.status.text()
    second = panel.plots.runs[1]
    assert second.steps == [100.0, 200.0, 300.0, 400.0] and second.val_hr10[-1] == 0.71
    assert list(second.loss_curve.getData()[1]) == [3.2, 2.4, 2.0, 1.9]
    assert panel.losses == [3.0, 2.5, 2.2]  # the first run's curve untouched
    assert panel.runs_line.isVisible() and "run 2 of 2" in panel.runs_line.text()
    assert second.loss_curve.opts["pen"].style() == Qt.PenStyle.DashLine

    task.fire("result", _report())
    assert panel.kept_line.isVisible()
    assert panel.kept_line.text() == ("Kept: run 2 (playlists only) — scored 0.729 vs 0.587 "
                                      "on validation")
    assert "validation" in panel.kept_line.toolTip()
    assert panel.status.text().startswith("Training finished: the new model is in use")
    # the step kept is the second run's: marked, and named so
    assert all(line.isVisible() and line.value() == 300 for line in panel.best_lines)
    assert panel.best_lines[0].label.toPlainText() == "kept: run 2"
    first_pen = panel.plots.runs[0].loss_curve.opts["pen"].color()
    assert first_pen.alpha() < 255  # the run not kept fades
    # a new Retrain starts clean
    panel.start()
    assert not panel.kept_line.isVisible() and not panel.runs_line.isVisible()
    assert panel.plots.runs[1].steps == []


def test_a_first_run_kept_over_the_playlists_alone_says_so(qtbot):
    panel, task = _retrain(qtbot)
    task.fire("progress", _steps("train", [3.0, 2.2], [0.5, 0.61]))
    task.fire("progress", _steps("train-playlists", [3.2, 2.4], [0.5, 0.55]))
    report = _report(contexts=("playlist", "album", "artist"), dropped_contexts=(),
                     context_scores={"playlist,album,artist": 0.612, "playlist": 0.551},
                     best_step=200)
    task.fire("result", report)
    assert panel.kept_line.text() == ("Kept: run 1 (playlists, albums and artists) — scored "
                                      "0.612 vs 0.551 on validation")
    assert panel.best_lines[1].label.toPlainText() == "kept: run 1"
    assert panel.plots.runs[1].loss_curve.opts["pen"].color().alpha() < 255


def test_one_run_shows_no_kept_line(qtbot):
    panel, task = _retrain(qtbot)
    task.fire("progress", _steps("train", [3.0, 2.2], [0.5, 0.61]))
    task.fire("result", _report(context_scores={}, dropped_contexts=(), best_step=200))
    assert not panel.kept_line.isVisible() and not panel.runs_line.isVisible()
    assert panel.best_lines[0].label.toPlainText() == "kept"


def _luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def _palette(back: str, text: str) -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, back), (QPalette.ColorRole.Base, back),
                         (QPalette.ColorRole.WindowText, text), (QPalette.ColorRole.Text, text)):
        palette.setColor(role, QColor(colour))
    return palette


def test_the_plots_follow_a_dark_theme(qtbot):
    """Set while the window runs (a light theme, then a dark one): the plots follow."""
    from musicsage.gui.neighbours import contrast
    from musicsage.gui.training_dock import TrainingPanel

    window = QWidget()
    qtbot.addWidget(window)
    window.setPalette(_palette("#efefef", "#000000"))
    panel = TrainingPanel(window)
    window.show()
    assert _luminance(panel.loss_plot.backgroundBrush().color()) > 0.8
    window.setPalette(_palette("#2b2b2b", "#e0e0e0"))
    qtbot.wait(10)
    for plot in (panel.loss_plot, panel.val_plot):
        back = plot.backgroundBrush().color()
        assert _luminance(back) < 0.25, back.name()
        assert _luminance(plot.getAxis("left").textPen().color()) > 0.6  # light numbers
        assert _luminance(QColor(plot.plotItem.titleLabel.opts["color"])) > 0.6
    for series in (panel.loss_curve, panel.val_curve, panel.plots.runs[1].loss_curve):
        colour = series.opts["pen"].color()
        assert contrast(colour, QColor("#2b2b2b")) >= 3.0, colour.name()
    assert _luminance(panel.empty_notes[0].color) > 0.3  # "No curve to show" reads
