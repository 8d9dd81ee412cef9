"""Retrain from the window: live progress, lists change, Cancel keeps the old model,
closing during training exits cleanly."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui_support import settle
from models_support import copy_library
from musicsage.usecases.library import list_tracks
from musicsage.usecases.search import map_points
from musicsage.usecases.training import current_graph_model, train_graph

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

# The graph model needs more tracks than its embedding size (64) — see the report.
N_TRACKS = 72
TRAIN = {"max_steps": 30}
"""Three loss reports (one every 10 steps): the fewest the retrain test and the saved curves
check for."""


@pytest.fixture(scope="module")
def trained_template(embedded_72_template, tmp_path_factory):
    """A library with a trained graph model, built once; tests work on copies. Its graph map
    is laid out in its cache, so a window opened on a copy reads it instead of laying it out
    in a child process (UMAP: 8-12 s a window on 2 cores). No audio map: switching to it
    lays one out, as a user's first switch does."""
    root = tmp_path_factory.mktemp("trained")
    ctx = copy_library(embedded_72_template, root)
    train_graph(ctx, **TRAIN)
    map_points(ctx, "graph")
    return root


@pytest.fixture(scope="module")
def untrained_template(embedded_72_template, tmp_path_factory):
    """A library with no graph model, its audio map laid out (as :func:`trained_template`'s
    graph map), built once; tests work on copies."""
    root = tmp_path_factory.mktemp("untrained")
    map_points(copy_library(embedded_72_template, root), "audio")
    return root


@pytest.fixture
def trained_library(trained_template, tmp_path):
    return copy_library(trained_template, tmp_path)


@pytest.fixture
def untrained_library(untrained_template, tmp_path):
    return copy_library(untrained_template, tmp_path)


def test_retrain_reports_progress_and_the_lists_change(qtbot, make_window, untrained_library):
    w = make_window(untrained_library, train_options=TRAIN)
    tid = list_tracks(untrained_library)[4].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=120_000):
        w.app.selection.select(tid, play=False)
    assert w.neighbours.graph_stack.currentIndex() == 1  # "no graph model yet" + Retrain
    assert w.neighbours.graph_list.topLevelItemCount() == 0

    batches = []
    qtbot.mouseClick(w.neighbours.retrain_button, Qt.MouseButton.LeftButton)
    job = w.app.training.task
    assert job is not None
    job.progress_batch.connect(batches.append)
    with qtbot.waitSignal(w.training_finished, timeout=300_000) as done:
        pass
    assert done.args == ["succeeded"]
    steps = [p.extra["step"] for b in batches for p in b if "loss" in p.extra]
    assert len(steps) >= 3 and steps == sorted(steps)
    panel = w.training.panel
    assert len(panel.losses) == len(steps)  # every reported loss is on the curve
    assert panel.table.item(0, 0) is not None and panel.table.item(0, 0).text() != "–"
    qtbot.waitUntil(lambda: w.neighbours.graph_list.topLevelItemCount() > 0, timeout=60_000)
    assert w.neighbours.graph_stack.currentIndex() == 0
    assert w.app.library.snapshot.graph_model is not None
    assert w.space_combo.model().item(0).isEnabled()


def test_cancel_keeps_the_previous_model(qtbot, make_window, trained_library):
    before = current_graph_model(trained_library)
    assert before is not None
    w = make_window(trained_library, train_options={"max_steps": 5000})
    tid = list_tracks(trained_library)[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=120_000):
        w.app.selection.select(tid, play=False)
    graph_rows = [r["track_id"] for r in w.neighbours.result.graph]
    assert graph_rows

    job = w.app.training.start()
    qtbot.waitUntil(lambda: len(w.training.panel.losses) > 0, timeout=120_000)
    with qtbot.waitSignal(w.training_finished, timeout=60_000) as done:
        qtbot.mouseClick(w.training.panel.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args == ["cancelled"]
    assert job.state == "cancelled"
    after = current_graph_model(trained_library)
    assert after.id == before.id
    assert w.training.panel.status.text() == (
        f"Training cancelled: model {before.id} is still in use.")
    settle(qtbot, w, timeout=120_000)
    assert [r["track_id"] for r in w.neighbours.result.graph] == graph_rows


def test_a_run_that_fails_before_its_first_step_keeps_its_message(qtbot, make_window,
                                                                   trained_library):
    """The dock said "Training failed: …" for a moment: the library reload after the run put
    "Press Retrain to train…" back, since a run that drew no curve counted as no run. The
    failure now stays on the status line until the next run."""
    w = make_window(trained_library, train_options={"options": {"patience": 0}})
    with qtbot.waitSignal(w.training_finished, timeout=120_000) as done:
        w.app.training.start()
    assert done.args == ["failed"]
    settle(qtbot, w, timeout=120_000)
    status = w.training.panel.status.text()
    assert status.startswith("Training failed: ") and "patience" in status, status


def test_closing_during_training_exits_cleanly(qtbot, make_window, trained_library, qtlog):
    w = make_window(trained_library, train_options={"max_steps": 5000})
    w.app.training.start()
    qtbot.waitUntil(lambda: len(w.training.panel.losses) > 0, timeout=120_000)
    t0 = time.monotonic()
    w.close()
    assert time.monotonic() - t0 < 20
    assert not any(t.isRunning() for lane in w.workers._lanes.values() for t in lane.threads)
    assert not [m for m in qtlog.records if "Destroyed while thread" in m.message]
    assert current_graph_model(trained_library) is not None


SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


    def main():
        from PySide6.QtCore import QSettings, QTimer
        from PySide6.QtWidgets import QApplication
        from musicsage.context import AppContext
        from musicsage.gui.main_window import MainWindow

        app = QApplication([])
        ctx = AppContext.create(sys.argv[1])
        w = MainWindow(ctx, settings=QSettings(sys.argv[2], QSettings.Format.IniFormat),
                       probe_audio=False, show_dialogs=False,
                       train_options={"max_steps": 5000})
        w.show()

        def poll():
            if w.app.training.task is None:
                w.app.training.start()
            elif w.training.panel.losses:
                print("closing at step", w.training.panel.steps[-1], flush=True)
                w.close()
                app.quit()
                return
            QTimer.singleShot(50, poll)

        QTimer.singleShot(500, poll)
        return app.exec()


    if __name__ == "__main__":  # training runs in a spawned process, which imports this file
        sys.exit(main())
""")



def test_closing_during_training_process_exits_zero(trained_library, tmp_path):
    """The whole process: no 'QThread: Destroyed while thread is still running', no crash."""
    script = tmp_path / "close_during_training.py"
    script.write_text(SCRIPT)
    out = subprocess.run([sys.executable, str(script), str(trained_library.data_dir),
                          str(tmp_path / "s.ini")], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-3000:]
    assert "closing at step" in out.stdout
    assert "Destroyed while thread" not in out.stderr
    assert "Traceback" not in out.stderr


def test_gui_thread_keeps_running_during_training(qtbot, make_window, untrained_library):
    """A 10 ms timer on the GUI thread keeps ticking while the graph model trains.

    The 100 ms target is measured by bench/gui_responsiveness.py; this guards against work
    landing on the GUI thread or its process (which would stall it for seconds) with a margin
    for a loaded test machine.
    """
    from musicsage.gui.workers import StallProbe

    w = make_window(untrained_library, train_options={"max_steps": 60})
    probe = StallProbe()
    probe.start()
    with qtbot.waitSignal(w.training_finished, timeout=300_000):
        w.app.training.start()
    probe.stop()
    assert len(probe.gaps_ms) > 100
    assert probe.max_stall_ms < 500, sorted(probe.gaps_ms)[-5:]


def test_the_model_in_use_shows_its_saved_curves(qtbot, make_window, trained_library):
    """Opened on a trained library, the dock showed empty axes: the curves were drawn only
    while a run went on. They now show the model in use's saved loss and validation curves
    and the step it kept; a model saved before curves were kept leaves the plots empty."""
    import json

    from musicsage.library.db import connect, transaction

    saved = current_graph_model(trained_library).params["curves"]
    w = make_window(trained_library)
    panel = w.training.panel
    assert [[s, v] for s, v in zip(panel.steps, panel.losses)] == saved["loss"]
    assert [[s, v] for s, v in zip(panel.val_steps, panel.val_hr10)] == saved["val_hr10"]
    assert len(panel.loss_curve.getData()[0]) == len(saved["loss"]) >= 3
    assert all(line.isVisible() and line.value() == saved["best_step"]
               for line in panel.best_lines)
    assert not any(note.isVisible() for note in panel.empty_notes)
    assert "curves and the table show the model in use" in panel.status.text()
    w.close()

    conn = connect(trained_library)
    for old in ({}, {"curves": "not curves"}, {"curves": {"loss": [["x", 1]]}}):
        params = {k: v for k, v in current_graph_model(trained_library).params.items()
                  if k != "curves"}
        with transaction(conn):
            conn.execute("UPDATE graph_models SET params = ?", (json.dumps(params | old),))
        w = make_window(trained_library)
        panel = w.training.panel
        assert panel.losses == [] and panel.val_hr10 == [], old
        drawn = panel.loss_curve.getData()[0]
        assert drawn is None or len(drawn) == 0, old
        assert not any(line.isVisible() for line in panel.best_lines), old
        assert all(note.isVisible() for note in panel.empty_notes), old
        assert panel.table.item(0, 0).text() != "–", "the model's evaluation is still shown"
        w.close()


def test_map_space_switches_between_graph_and_audio(qtbot, make_window, trained_library):
    w = make_window(trained_library)
    qtbot.waitUntil(lambda: w.app.map.space == "graph" and len(w.map.track_ids) == N_TRACKS, timeout=120_000)
    graph_xy = w.map.xy.copy()
    with qtbot.waitSignal(w.map_loaded, timeout=120_000):
        w.space_combo.setCurrentIndex(w.space_combo.findData("audio"))
    assert w.app.map.space == "audio"
    assert w.map.xy.shape == graph_xy.shape and not (w.map.xy == graph_xy).all()


def test_the_training_status_says_the_loss_once(qtbot):
    """The trainer's step message ("loss 2.898 …", for the command line) and the dock's own
    figure were both shown: "loss 2.898 — loss 2.8985"."""
    from musicsage.gui.training_dock import TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.start()
    panel.add_progress([Progress("train", 10, 500, "loss 2.898", {"step": 10, "loss": 2.8985}),
                        Progress("train", 100, 500, "loss 2.700 val HR@10 0.310",
                                 {"step": 100, "loss": 2.7, "val_hr10": 0.31})])
    text = panel.status.text()
    assert text.count("loss") == 1 and text.count("HR@10") == 1
    assert "step 100 (at most 500; stops sooner" in text and "2.7000" in text and "0.310" in text
    # early stopping usually ends the run long before its limit: no bar counting to it
    assert panel.progress.maximum() == 0
    panel.add_progress([Progress("evaluate", 0, 0, "evaluating on held-out memberships")])
    assert panel.status.text().startswith("evaluating on held-out memberships")


def test_the_run_on_the_playlists_alone_does_not_redraw_the_curve(qtbot):
    """Validation's second run (playlists alone, docs/model.md) counts from step 0 again: its
    losses were drawn onto the first run's curve, and the status added the first run's last
    loss to its steps."""
    from musicsage.gui.training_dock import TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.start()
    panel.add_progress([Progress("train", s, 3000, "", {"step": s, "loss": 5.0 - s / 100})
                        for s in (100, 200, 300)])
    panel.add_progress([Progress("train-playlists", 10, 3000, "loss 6.000",
                                 {"step": 10, "loss": 6.0})])
    assert panel.steps == [100.0, 200.0, 300.0] and panel.losses[-1] == 2.0
    assert "2.0000" not in panel.status.text()


def test_a_library_load_during_a_shown_run_keeps_its_curve(qtbot):
    """The demo's build reloads the library while its training is shown (not the window's
    own Retrain, so the dock is told no run is going): the model-in-use display must not
    wipe the run's curve with the saved curves of no model."""
    from musicsage.graph.curves import TrainingCurves
    from musicsage.gui.training_dock import TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    saved = TrainingCurves(loss=[(10.0, 3.0), (20.0, 2.0)], val_hr10=[(20.0, 0.2)], best_step=20)
    panel.show_model("Model 1", None, running=False, curves=saved)
    assert panel.steps == [10.0, 20.0]  # before any run: the model in use's curve
    panel.start()
    panel.add_progress([Progress("train", s, 300, "", {"step": s, "loss": 6.0 - s / 100})
                        for s in (10, 20, 30)])
    panel.show_model("No graph model yet", None, running=False, curves=None)
    assert panel.steps == [10.0, 20.0, 30.0] and panel.losses[0] == pytest.approx(5.9)
    assert panel.status.text().startswith("step 30 (at most 300;")


def test_both_curves_share_one_step_axis(qtbot):
    """Alone, the validation plot ranged its first point over steps 99.6 to 100.4 while the
    loss plot beside it showed steps 0 to 180; both now show the loss plot's steps."""
    from musicsage.gui.training_dock import TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 260)
    panel.show()
    panel.start()
    panel.add_progress([Progress("train", s, 3000, "", {"step": s, "loss": 5.0 - s / 100})
                        for s in range(10, 181, 10)]
                       + [Progress("train", 100, 3000, "", {"step": 100, "loss": 4.0,
                                                            "val_hr10": 0.11})])
    qtbot.wait(50)
    loss_x = panel.loss_plot.getViewBox().viewRange()[0]
    val_x = panel.val_plot.getViewBox().viewRange()[0]
    assert val_x == pytest.approx(loss_x)
    assert loss_x[0] <= 10 and loss_x[1] >= 180


def test_progress_and_cancel_show_only_while_a_run_goes(qtbot):
    """Between runs the dock showed an empty progress bar beside a greyed-out Cancel, which
    read as a run that had stalled; plots with no curve were bare axes; and a flat validation
    curve was padded to an HR@10 range reaching below zero."""
    from musicsage.gui.training_dock import TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 260)
    panel.show()
    assert not panel.progress.isVisible() and not panel.cancel_button.isVisible()
    assert all(note.isVisible() for note in panel.empty_notes)  # not bare, broken-looking axes
    panel.start()
    assert panel.progress.isVisible() and panel.cancel_button.isEnabled()
    # no "No curve to show" on a run's plots: they wait for its first step, and say so
    assert all(note.toPlainText().startswith("Waiting") for note in panel.empty_notes)
    panel.add_progress([Progress("train", s, 300, "", {"step": s, "loss": 3.0, "val_hr10": 0.31})
                        for s in (100, 200)])
    assert not any(note.isVisible() for note in panel.empty_notes)
    qtbot.wait(50)
    low, high = panel.val_plot.getViewBox().viewRange()[1]
    assert 0.0 <= low < 0.31 < high <= 1.0
    panel.finish("succeeded", None, best_step=100)
    assert not panel.progress.isVisible() and not panel.cancel_button.isVisible()
    assert panel.status.text().startswith("Training finished")


def test_a_run_on_a_tiny_library_shows_its_notes_and_that_nothing_validated(qtbot):
    """15 tracks: a flat loss at 0, an empty validation plot, "1.000" in every cell from one
    held-out pair — and none of the notes `train` prints. The notes now show beside the
    table, and the validation plot says that no validation ran."""
    from musicsage.graph.curves import TrainingCurves
    from musicsage.gui.training_dock import NO_CURVE, NO_VALIDATION, TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 260)
    panel.show()
    assert not panel.notes_line.isVisible()
    panel.start()
    panel.add_progress([Progress("train", s, 3000, "", {"step": s, "loss": 0.0})
                        for s in range(10, 401, 10)])
    block = {"graph": {"hr@10": 1.0, "mrr": 1.0}, "audio": {"hr@10": 1.0, "mrr": 1.0}}
    metrics = dict(block, pairs=1, notes=["the library is too small for the graph model to "
                                          "learn from: …", "only 1 evaluation pair: too few"],
                   protocol={"version": 3})
    panel.finish("succeeded", metrics, "Training finished: … It learned nothing from your "
                 "playlists: see the note below.", best_step=None)
    assert panel.notes_line.isVisible()
    assert panel.notes_line.text().splitlines() == [
        "Note: the library is too small for the graph model to learn from: ….",
        "Note: only 1 evaluation pair: too few."]
    loss_note, val_note = panel.empty_notes
    assert not loss_note.isVisible() and val_note.isVisible()
    assert val_note.toPlainText() == NO_VALIDATION
    assert not any(line.isVisible() for line in panel.best_lines)
    # the model in use, read again later: the same notes, the same empty validation plot
    panel.run_shown = False
    curves = TrainingCurves(loss=[(s, 0.0) for s in (10.0, 20.0)], val_hr10=[], best_step=10)
    panel.show_model("Model 1", metrics, running=False, curves=curves)
    assert panel.notes_line.isVisible() and val_note.toPlainText() == NO_VALIDATION
    panel.show_model("Model 2", {"graph": {"hr@10": 0.4}, "protocol": {"version": 3}},
                     running=False, curves=None)
    assert not panel.notes_line.isVisible()  # an evaluation without notes
    assert all(n.isVisible() and n.toPlainText() == NO_CURVE for n in panel.empty_notes)


def test_the_hidden_progress_row_leaves_no_gap_in_the_texts(qtbot):
    """Hidden between runs, the progress row kept its height: an empty band in the column of
    texts, which then needed a scroll in a 1024x640 window."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 260)
    panel.show()
    qtbot.wait(20)
    idle_top = panel.model_line.y()
    panel.start()
    qtbot.waitUntil(lambda: panel.model_line.y() > idle_top)
    bar = panel.progress.height()
    assert panel.model_line.y() - idle_top >= bar
    panel.finish("succeeded", None)
    qtbot.waitUntil(lambda: panel.model_line.y() == idle_top)


def _block(hr, mrr, pairs):
    return {"graph": {"hr@10": hr, "mrr": mrr}, "audio": {"hr@10": hr / 2, "mrr": mrr / 2},
            "pairs": pairs}


FILLED = dict(_block(0.4, 0.2, 43), warm=_block(0.7, 0.5, 41), cold=_block(0.0, 0.05, 2),
              new_pairs=_block(0.3, 0.1, 23))
"""An evaluation with every row of the dock's table filled."""


def _rows_shown_whole(panel) -> bool:
    """Every row of the table inside its viewport, and the table inside the panel."""
    table = panel.table
    if table.verticalScrollBar().maximum() != 0:
        return False
    view = table.viewport().rect()
    rows = all(view.contains(table.visualRect(table.model().index(r, c)))
               for r in range(table.rowCount()) for c in range(table.columnCount()))
    top_left = table.mapTo(panel, table.rect().topLeft())
    bottom_right = table.mapTo(panel, table.rect().bottomRight())
    return rows and panel.rect().contains(top_left) and panel.rect().contains(bottom_right)


def test_the_evaluation_table_shows_whole_and_the_texts_scroll_beside_it(qtbot):
    """In a low dock the lines under the table were drawn over its last row, then (in a
    column that scrolled) pushed it out of sight; on a narrow one its headers were cut
    ("raph HR@1"). Narrow: headers in two lines; wide: in one; low: the texts scroll, in a
    column of their own, and the table stays whole."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show_model("Model 1 on musicnn-msd-max_pool — 12 tracks added or changed since "
                     "training; 12 placed by the saved model without retraining. Retrain to "
                     "learn from their playlists.", FILLED, running=False)
    headers = lambda: [panel.table.horizontalHeaderItem(c).text() for c in range(4)]  # noqa: E731
    panel.resize(1600, 320)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: headers()[0] == "Graph HR@10")
    assert panel.preferred_height() <= 320
    assert _rows_shown_whole(panel)
    panel.resize(panel.minimumSizeHint().width(), panel.minimumSizeHint().height())
    qtbot.waitUntil(lambda: headers()[0] == "Graph\nHR@10")
    qtbot.waitUntil(lambda: panel.side_scroll.verticalScrollBar().maximum() > 0)  # the texts
    assert _rows_shown_whole(panel)
    assert not panel.side_scroll.isAncestorOf(panel.table)
    assert panel.table_caption.geometry().bottom() <= panel.table.geometry().top()
    assert panel.status.geometry().bottom() <= panel.model_line.geometry().top()
    width = panel.table.horizontalHeader().sectionSize(0)
    metrics = panel.table.horizontalHeader().fontMetrics()
    assert all(metrics.horizontalAdvance(line) < width for line in headers()[0].split("\n"))


@pytest.mark.parametrize("size", [(1024, 640), (1400, 860), (1600, 1000)])
def test_the_evaluation_table_shows_whole_in_the_window(qtbot, make_window, trained_library,
                                                        size):
    """After Retrain, at 1024x640 the table scrolled inside the low dock: its last rows were
    out of sight. At every size the dock opens with the whole table in view."""
    w = make_window(trained_library)
    w.resize(*size)
    qtbot.waitUntil(lambda: w.size().toTuple() == size)
    w.show_training_dock()
    w.training.panel.show_metrics(FILLED)
    qtbot.wait(50)
    assert w.training.isVisible()
    assert all(w.training.panel.table.item(r, 0).text() != "–" for r in range(4))
    assert _rows_shown_whole(w.training.panel)
    assert w.map.height() >= w.training.height(), "the map stays the larger part"


def test_the_window_with_its_training_dock_fits_a_laptop_screen(qtbot, make_window,
                                                               trained_library):
    """With the dock open the window could not be lower than 785 px (the dock's right column
    could not shrink), taller than a 1366x768 screen's 736 usable pixels."""
    from PySide6.QtCore import QRect

    from musicsage.gui.window_size import first_window_rect

    w = make_window(trained_library)
    w.show_training_dock()
    qtbot.wait(20)
    assert w.training.isVisible()
    screen = first_window_rect(QRect(0, 0, 1366, 768))
    assert w.minimumSizeHint().height() <= screen.height()
    assert w.minimumSizeHint().width() <= screen.width()
    # and at that size the library summary keeps every line (it lost "Graph model: …" before:
    # the track box took its room; the box scrolls now)
    w.setGeometry(screen)
    qtbot.wait(50)
    from PySide6.QtWidgets import QLabel

    summary = w.library.summary
    fresh = QLabel()
    fresh.setWordWrap(True)
    fresh.setFont(summary.font())
    fresh.setText(summary.text())
    assert "Graph model" in summary.text()
    assert summary.height() >= fresh.heightForWidth(summary.width()) > 0
