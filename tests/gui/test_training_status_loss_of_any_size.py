"""The training dock's status quotes a step's loss: in fixed point a diverging run's loss of
3.4e38 was a 39-digit word wider than the dock's column of texts, which pushed the progress
bar and Cancel out of sight — the moment the user wants to cancel — and a loss of 3e-07 read
as "0.0000". A failure quoting a long path, cut likewise, is whole in the tooltip — which
goes with the failure's line, once another model is shown."""

from __future__ import annotations

import pytest

from musicsage.progress import Progress


def _step(step: int, loss: float) -> Progress:
    return Progress("train", step, 3000, f"loss {loss:.3f}", {"step": step, "loss": loss})


def _panel(qtbot, size=(1024, 230)):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    panel.start()
    return panel


def _cancel_shows_whole(qtbot, panel) -> None:
    view, cancel = panel.side_scroll.viewport(), panel.cancel_button

    def right() -> int:
        return cancel.mapTo(view, cancel.rect().topRight()).x()

    qtbot.waitUntil(cancel.isVisible)
    qtbot.wait(200)  # the column's layout settles (its scroll bar may come)
    assert right() < view.width(), f"Cancel ends at {right()} px of a {view.width()}-px column"


@pytest.mark.parametrize("loss, said", [(3.4e38, "3.4e+38"), (3e-07, "3e-07"),
                                        (2.93817, "2.9382"), (0.0, "0.0000"),
                                        (123456.7, "1.235e+05")])
def test_the_status_says_a_loss_of_any_size_in_a_few_digits(qtbot, loss, said):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 5.0), _step(20, loss)])
    assert panel.status.text().endswith(f" — loss {said}"), panel.status.text()


def test_a_diverging_runs_loss_leaves_cancel_in_sight(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 5.0), _step(20, 1e12), _step(30, 3.4e38)])
    _cancel_shows_whole(qtbot, panel)


def test_a_word_wider_than_the_column_leaves_cancel_in_sight(qtbot):
    """Any long word (a path, a name) in the status is cut, never widens its column."""
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 5.0)])
    panel.status.setText("Waiting for /home/someone/Music/" + "LongFolderName" * 6)
    _cancel_shows_whole(qtbot, panel)


def test_a_failure_cut_by_the_column_is_whole_in_its_tooltip(qtbot):
    """The column cuts a long word: a failure quoting a long path lost its end, with no way
    to read it."""
    panel = _panel(qtbot, size=(700, 230))
    path = "/home/someone/.local/share/musicsage/" + "LongFolderName" * 8 + "/graph.pt"
    panel.finish("failed", message=f"cannot write {path} (No space left on device)")
    assert panel.status.text().startswith("Training failed: cannot write /home/someone/")
    assert panel.status.toolTip() == f"cannot write {path} (No space left on device)"


def test_a_failures_tooltip_goes_once_another_model_is_shown(qtbot):
    """The failure's line gave way to another model's, its tooltip stayed: hovering the
    status of model 2 read model 1's run failing."""
    metrics = {"graph": {"hr@10": 0.4, "mrr": 0.2}, "audio": {"hr@10": 0.1, "mrr": 0.05},
               "pairs": 40}
    panel = _panel(qtbot)
    panel.show_model("Model 1 on spectral", metrics, running=False)
    panel.start()
    panel.finish("failed", message="cannot write graph.pt (No space left on device)")
    panel.show_model("Model 1 on spectral", metrics, running=False)  # a load: the line stays
    assert panel.status.toolTip() == "cannot write graph.pt (No space left on device)"
    panel.show_model("Model 2 on spectral", metrics, running=False)  # Analyse ▸ Graph model
    assert not panel.status.text().startswith("Training failed")
    assert panel.status.toolTip() == ""
