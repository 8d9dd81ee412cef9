"""The window's Retrain flow: what a cancel says and how soon it stops, and a wait for a
terminal's training that ends with another model current.

A first Retrain cancelled said "the previous model is still in use" beside "No graph model
yet"; the status line said "Training…" after Cancel (the dock's Cancel skipped its relabel);
a cancel in the run's start-up (torch and dgl imported: ~10 s on two cores) waited for the
first training step; and a run that waited for a terminal's ``musicsage train`` kept showing
the model before it.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from musicsage.controllers.training import cancelled_text
from musicsage.errors import Cancelled
from musicsage.processes import killable, run_in_process
from musicsage.progress import CancelToken, Progress, report
from musicsage.usecases.execution import Mode, runs


def _snap(graph_model: dict | None):
    return SimpleNamespace(stats=SimpleNamespace(graph_model=graph_model))


def test_a_cancelled_run_says_which_model_is_in_use():
    assert cancelled_text(_snap({"id": 3, "audio_model": "spectral"})) == (
        "Training cancelled: model 3 is still in use")
    assert cancelled_text(_snap(None)) == "Training cancelled: no graph model yet"
    assert cancelled_text(None) == "Training cancelled: no graph model yet"


def test_the_docks_cancel_says_cancelling_on_the_status_line(library, make_app, recorder):
    app, runner = make_app(library)
    relabelled = recorder(app.tasks.relabelled)
    task = app.training.start()
    app.training.cancel()
    assert relabelled.calls == [("Cancelling…",)], "it said 'Training…' until the run ended"
    runner.drain()
    assert task.state == "cancelled" and app.notifications[-1][1].startswith(
        "Training cancelled:")


def test_a_training_cancelled_behind_another_task_says_so_when_it_shows_again(
        library, make_app, recorder):
    app, _runner = make_app(library)
    training = app.training.start()
    other = app.run("scan", lambda **_: None, long="Scanning")  # now the status line's task
    relabelled = recorder(app.tasks.relabelled)
    app.training.cancel()
    assert relabelled.calls == [] and app.tasks.current is other
    other.state = "succeeded"
    app.tasks.release(other)  # the scan ended: the training takes the line over again
    assert app.tasks.current is training and relabelled.last == ("Cancelling…",)


WAIT = Progress("train", 0, None, "another training of this library is running (pid 7); "
                "waiting for it to finish")


def test_the_end_of_a_wait_for_another_training_reads_the_library_again(library, make_app):
    app, _runner = make_app(library)
    app.training.start()
    shown = []
    app.training.progress.connect(shown.append)
    before = app.library.requested
    app.training._progressed([WAIT])
    assert app.library.requested == before, "still waiting: nothing new to read"
    step = Progress("train", 10, 500, "loss 2.0", {"step": 10, "loss": 2.0})
    app.training._progressed([step])
    # the terminal's model is current now: the window showed "model 2" for the whole run
    assert app.library.requested == before + 1
    app.training._progressed([Progress("train", 20, 500, "loss 1.9", {"step": 20})])
    assert app.library.requested == before + 1, "once per wait"
    assert [len(b) for b in shown] == [1, 1, 1]


@runs(Mode.PROCESS)
def slow_start(marker: str, *, progress=None, cancel=None) -> None:
    """A use case whose start-up (an import of seconds) would outlast the test."""
    with killable(cancel):
        report(progress, "start", 0, None, "starting")
        time.sleep(60)
    Path(marker).write_text("it went on")


def test_a_cancel_in_a_childs_start_up_ends_it_at_once(tmp_path):
    token, cancelled_at = CancelToken(), []

    def progress(_p: Progress) -> None:
        token.cancel()
        cancelled_at.append(time.monotonic())

    with pytest.raises(Cancelled):
        run_in_process(slow_start, str(tmp_path / "marker"), progress=progress, cancel=token)
    # it waited out the 30-s grace: the start-up never checked the cancel
    assert time.monotonic() - cancelled_at[0] < 5
    assert not (tmp_path / "marker").exists()


def test_a_cancel_in_a_killable_block_in_process_is_raised_at_its_end(tmp_path):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):  # at the block's end, in the calling process as well
        with killable(token):
            pass
    with killable(CancelToken()):
        pass
