"""How use cases are run: each declares its execution, runners honour it (Qt-free parts)."""

from __future__ import annotations

from musicsage.controllers.tasks import InlineRunner, LongTasks
from musicsage.errors import MusicsageError
from musicsage.processes import bind
from musicsage.progress import check_cancel, report
from musicsage.usecases.execution import Mode, execution_of, runs


def test_the_use_cases_declare_where_they_run():
    """The window stays responsive only if torch/dgl/numba work never runs in its process and
    long work never blocks a click: these declarations are what the worker pool obeys."""
    from musicsage.usecases import demo, embedding, library, pipeline, search, snapshot, tags
    from musicsage.usecases import training

    where = {fn.__name__: execution_of(fn).mode for fn in (
        library.scan_library, pipeline.scan, embedding.embed_library, pipeline.embed,
        training.train_graph, pipeline.train, demo.build_demo, search.map_points,
        tags.track_tags, search.similar_tracks, search.write_m3u, library.search_tracks,
        snapshot.load_snapshot)}
    assert {name for name, mode in where.items() if mode is Mode.PROCESS} == {
        "embed_library", "embed", "train_graph", "train", "build_demo", "map_points"}
    assert {name for name, mode in where.items() if mode is Mode.THREAD} == {"scan_library",
                                                                            "scan"}
    assert where["track_tags"] is Mode.HELPER
    assert execution_of(search.map_points).fast_path is search.cached_map


@runs(Mode.LOOKUP, progress=False, cancel=False)
def lookup(x):
    return x * 2


@runs(Mode.THREAD)
def counting(n, *, progress=None, cancel=None):
    for i in range(n):
        check_cancel(cancel)
        report(progress, "count", i + 1, n)
    return n


def test_bind_gives_the_lane_and_the_arguments_each_declaration_takes():
    lane, call = bind(lookup, (21,), {}, helper=None)
    assert lane == "light" and call(progress=print, cancel=None) == 42  # no progress passed on
    seen = []
    lane, call = bind(counting, (3,), {}, helper=None)
    assert lane == "heavy" and call(progress=seen.append, cancel=None) == 3 and len(seen) == 3
    assert execution_of(print).mode is Mode.LOOKUP  # undeclared: a quick lookup


def test_inline_runner_delivers_progress_results_failures_and_supersedes_by_key():
    runner, got, errors = InlineRunner(), [], []
    runner.error.connect(lambda name, message, details: errors.append((name, message)))
    first = runner.run("count", counting, 5, key="k").on_result(lambda r: got.append(("first", r)))
    second = runner.run("count", counting, 2, key="k").on_result(lambda r: got.append(("second", r)))
    second.on_progress(lambda batch: got.append([p.done for p in batch]))

    def fail(*, progress=None, cancel=None):
        raise MusicsageError("folder not found")

    failed = runner.run("scan", fail).on_failed(lambda message, _d: got.append(message))
    runner.drain()
    assert got == [[1, 2], ("second", 2), "folder not found"]
    assert first.state == "cancelled" and second.state == "succeeded" and failed.state == "failed"
    assert errors == [("scan", "folder not found")] and runner.ran == ["count"] * 2 + ["scan"]


def test_the_status_line_follows_the_newest_long_task():
    runner, tasks, lines = InlineRunner(), LongTasks(), []
    for event, kind in ((tasks.shown, "shown"), (tasks.progressed, "progress"),
                        (tasks.relabelled, "label"), (tasks.hidden, "hidden")):
        event.connect(lambda *args, kind=kind: lines.append((kind, *args)))
    tasks.track(runner.run("Scanning", counting, 2), "Scanning")
    tasks.track(runner.run("Training", counting, 1), "Training")
    tasks.cancel()  # cancels the newest
    runner.drain()
    assert lines == [("shown", "Scanning"), ("shown", "Training"), ("label", "Cancelling…"),
                     ("hidden",)]
