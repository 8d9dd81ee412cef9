"""Switching library (File ▸ Open demo library, or back) while a Retrain, a graph model
switch, a map or a folder removal of the library shown before goes on: the run ends on its own
library, and the library shown only hears of it as a status line naming the other one.

A Retrain of library A that ended while B was shown put A's evaluation and "Training
finished: the new model is in use" in B's dock (B had no model), read B again, and a cancel
said what B had in use; A's map, computed while B (no vectors yet) was read, was drawn as B's;
A's status-line entry still said "Training…" as if it trained B.
"""

from __future__ import annotations

import pytest
from music_support import make_music

from musicsage.progress import Progress
from musicsage.usecases.training import current_graph_model

NOT_SHOWN = "not the one shown)"


@pytest.fixture
def other(tmp_path):
    """Another library: 3 tracks scanned, no vectors yet (its map cannot be drawn)."""
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    ctx = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(ctx, [str(music)], [])
    return ctx


def show(app, runner, ctx) -> None:
    app.set_context(ctx)
    app.library.reload()
    runner.drain()


def started_then_switched(app, runner, start, other):
    """``start()``'s task, held back while ``other`` is shown (it ends when the test says)."""
    app.library.reload()
    runner.drain()
    task = start()
    runner.queue.remove(task)
    show(app, runner, other)
    return task


def end(runner, task) -> None:
    runner.ran.append(task.name)
    task.execute()
    runner.drain()


def test_a_retrain_ending_while_another_library_is_shown_stays_with_its_own(
        trainable_library, other, make_app, recorder):
    app, runner = make_app(trainable_library, train_options={"max_steps": 10})
    finished, done = recorder(app.training.finished), recorder(app.training.done)
    lines = recorder(app.tasks.relabelled)
    task = started_then_switched(app, runner, app.training.start, other)
    label = lines.calls[-1:]
    reads = app.library.requested
    end(runner, task)

    outcome, metrics, message, best = finished.last
    where = f" (library {trainable_library.data_dir}, {NOT_SHOWN}"
    assert (outcome, metrics, best) == ("succeeded", None, None), "A's table not shown on B"
    assert message.startswith(f"Training finished{where}: the new model is in use")
    assert app.notifications[-1] == ("info", message)
    assert app.library.requested == reads, "B did not change: not read again"
    assert done.calls == [("succeeded",)] and not app.training.running
    assert app.library.snapshot.graph_model is None and not app.models.models
    assert current_graph_model(trainable_library) is not None, "A got its model"
    assert label == [("Training (your library, not the one shown)…",)], "the status line's"


def test_a_retrain_cancelled_while_another_library_is_shown_says_what_its_own_kept(
        trainable_library, other, make_app, recorder):
    app, runner = make_app(trainable_library, train_options={"max_steps": 10})
    app.training.start()
    runner.drain()  # model 1 is in use in A
    finished, lines = recorder(app.training.finished), recorder(app.tasks.relabelled)
    task = started_then_switched(app, runner, app.training.start, other)
    app.tasks.cancel_task(task)
    label = lines.calls[-1:]
    end(runner, task)
    where = f" (library {trainable_library.data_dir}, {NOT_SHOWN}"
    # B has no model: "no graph model yet" was B's, said of A's run
    assert finished.last[2] == f"Training cancelled{where}: model 1 is still in use"
    assert app.notifications[-1] == ("info", finished.last[2])
    assert current_graph_model(trainable_library).id == 1
    assert label == [("Cancelling (your library, not the one shown)…",)], "the status line's"


def test_a_model_switch_ending_while_another_library_is_shown_is_not_shown_there(
        trainable_library, other, make_app, recorder):
    app, runner = make_app(trainable_library, train_options={"max_steps": 10})
    for _ in range(2):
        app.training.start()
        runner.drain()
    switched = recorder(app.models.switched)
    task = started_then_switched(app, runner, lambda: app.models.use(1), other)
    reads = app.library.requested
    end(runner, task)
    level, text = app.notifications[-1]
    assert text.startswith("Graph model 1 (") and text.endswith(
        f" (library {trainable_library.data_dir}, {NOT_SHOWN}")
    assert app.library.requested == reads and len(switched) == 0
    assert current_graph_model(trainable_library).id == 1, "A switched all the same"


@pytest.mark.parametrize("ends", ["result", "cancelled"])
def test_a_map_of_another_library_is_not_drawn_over_the_one_shown(library, other, make_app,
                                                                    recorder, ends):
    """B has no vectors: nothing replaced A's Recompute map, whose points were drawn on B
    (or whose cancel put "Map not drawn" over B's "No audio embeddings yet")."""
    app, runner = make_app(library)
    task = started_then_switched(app, runner, lambda: (app.map.refresh(relayout=True),
                                                       runner.queue[-1])[1], other)
    assert task.name == "map" and app.library.snapshot.audio_model is None
    loaded, messages = recorder(app.map.loaded), recorder(app.map.message)
    notes = len(app.notifications)
    if ends == "cancelled":
        app.tasks.cancel_task(task)
    end(runner, task)
    assert len(loaded) == 0 and app.map.points is None
    assert len(messages) == 0 and len(app.notifications) == notes


def test_a_folder_removed_while_another_library_is_shown_names_its_library(
        library, other, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    (folder, _tracks), = app.library.folders()
    task = started_then_switched(app, runner, lambda: app.library.forget(folder), other)
    reads = app.library.requested
    end(runner, task)
    assert app.notifications[-1][1].startswith(f"Removed {folder} from the library")
    assert app.notifications[-1][1].endswith(f" (library {library.data_dir}, {NOT_SHOWN}")
    assert app.library.requested == reads and app.library.snapshot.stats.tracks.total == 3


def test_the_status_line_names_the_library_of_a_run_not_shown(library, other, make_app,
                                                               recorder):
    """Its bar goes on; its words are its label naming its library, until it is shown
    again."""
    app, runner = make_app(library)
    progressed, lines = recorder(app.tasks.progressed), recorder(app.tasks.relabelled)
    run = app.run("Computing embeddings", lambda **_: None, long="Computing embeddings")
    runner.queue.remove(run)  # it goes on while the libraries are read
    step = [Progress("embed spectral", 2, 6, extra={"embedded": 2})]
    show(app, runner, other)
    assert lines.last == ("Computing embeddings (your library, not the one shown)…",)
    run._emit("progress", step)
    assert progressed.last == ("Computing embeddings (your library, not the one shown)…",
                               2, 6)
    show(app, runner, library)
    run._emit("progress", step)
    assert progressed.last[0] == "Listening to the tracks (2 of 6)…"


def test_a_search_typed_in_the_library_left_is_not_listed_in_the_one_shown(
        library, other, make_app, recorder):
    """Its track ids are the other library's: clicking one selected another track here."""
    app, runner = make_app(library)
    results = recorder(app.library.search_results)
    task = started_then_switched(app, runner, lambda: (app.library.search("a"),
                                                       runner.queue[-1])[1], other)
    assert task.name == "search"
    answered = list(results.calls)  # the words still typed, asked again of the library shown
    assert all(tid in app.library.snapshot.by_id and label == app.library.snapshot.label(tid)
               for _text, rows, _note in answered for tid, label in rows)
    end(runner, task)
    assert results.calls == answered, "the answer of the library left is not listed"
