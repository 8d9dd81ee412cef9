"""Every Cancel of the run the training dock shows goes one way.

The status line's Cancel (and Ctrl+., Esc in the window) cancelled the training without the
dock hearing of it: the dock said "Training the graph model…" until the run had stopped,
while its own Cancel said "Cancelling…" at once. Both now go through
``LongTasks.cancel_task``, whose ``cancelling`` event tells the training display.
"""

from __future__ import annotations

from musicsage.controllers.training import TRAINING_PANEL


def test_the_status_lines_cancel_says_cancelling_in_the_dock(library, make_app, recorder):
    app, runner = make_app(library)
    cancelling = recorder(app.training.cancelling)
    relabelled = recorder(app.tasks.relabelled)
    task = app.training.start()
    app.tasks.cancel()  # the status line's Cancel, Ctrl+.
    assert cancelling.calls == [()], "the dock kept saying 'Training the graph model…'"
    assert relabelled.calls == [("Cancelling…",)]
    runner.drain()
    assert task.state == "cancelled"


def test_the_docks_cancel_goes_the_same_way(library, make_app, recorder):
    app, runner = make_app(library)
    cancelling = recorder(app.training.cancelling)
    relabelled = recorder(app.tasks.relabelled)
    task = app.training.start()
    app.training.cancel()
    assert cancelling.calls == [()] and relabelled.calls == [("Cancelling…",)]
    assert task.token.cancelled
    runner.drain()
    assert task.state == "cancelled"


def test_cancelling_another_task_leaves_the_dock_as_it_is(library, make_app, recorder):
    app, _runner = make_app(library)
    cancelling = recorder(app.training.cancelling)
    training = app.training.start()
    other = app.run("embed", lambda **_: None, long="Computing embeddings")
    app.tasks.cancel()  # the current task: the embedding started after the training
    assert other.token.cancelled and not training.token.cancelled
    assert cancelling.calls == []


def test_the_demo_builds_training_is_cancelled_by_either_cancel(library, make_app, recorder):
    """The demo build shows its training stage in the dock: the dock's Cancel stops the
    build, and the status line's (or the welcome page's) Cancel says so in the dock too."""
    app, _runner = make_app(library)
    cancelling = recorder(app.training.cancelling)
    build = app.run("Building the demo library", lambda **_: None,
                    long="Building the demo library", panels=(TRAINING_PANEL,))
    app.demo.task = build
    app.tasks.cancel()  # before its training stage: nothing in the dock to say so
    assert build.token.cancelled and cancelling.calls == []
    app.training.begin_display("Training the demo's graph model…")
    app.training.cancel()  # the dock's own button
    assert cancelling.calls == [()]
    app.tasks.cancel()  # the status line's (or the welcome page's): the same news
    assert cancelling.calls == [(), ()]
    app.training.end_display("cancelled")
    app.tasks.cancel_task(build)
    assert cancelling.calls == [(), ()], "no run shown any more"
