"""The map after the graph model changes (a Retrain, or Analyse ▸ Graph model): the map shown
is the previous model's until the new model's map is laid out — minutes of UMAP on a large
library. It stayed drawn as if it were the current map, undimmed and with Lasso and Rectangle
on, while the neighbour lists already came from the new model: their rings were drawn at the
old model's points, scattered over a map of other neighbourhoods, and nothing over the map
said a new one was coming. It now says "Computing the map…" over the old map (dimmed) until
the new one is shown, as a change of space always did."""

from __future__ import annotations

from musicsage.usecases.search import map_points


def test_a_map_of_the_previous_model_is_marked_as_being_computed(two_models, make_app,
                                                                  recorder):
    ctx, first, second = two_models
    map_points(ctx, "graph")  # the current (second) model's map is laid out already
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert app.map.space == "graph" and app.map.points.model_id == f"graph-{second}"
    messages, computing = recorder(app.map.message), recorder(app.map.computing)
    app.library.reload()  # a rescan, the folder watch: its own model's map stays as it is
    runner.drain()
    assert messages.calls == [] and set(computing.calls) == {(False,)}, computing.calls
    app.models.use(first)
    runner.drain()
    assert app.map.points.model_id == f"graph-{first}"
    assert ("Computing the map…",) in messages.calls, messages.calls
    assert computing.calls[-2:] == [(True,), (False,)], computing.calls
    assert not app.map.keeps_view, "another model's map is fitted whole"


def drain_until(runner, name: str) -> None:
    """Run the queued tasks up to the first called ``name`` (left queued)."""
    while runner.queue and runner.queue[0].name != name:
        task = runner.queue.pop(0)
        runner.ran.append(task.name)
        task.execute()


def test_a_cancelled_map_of_the_new_model_does_not_leave_the_old_one_as_current(
        two_models, make_app, recorder):
    """Cancel while the new model's map is laid out: the old model's map stayed, and the
    overlay went as if it were the map asked for ("Map not updated")."""
    ctx, first, second = two_models
    map_points(ctx, "graph")
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    messages = recorder(app.map.message)
    app.models.use(first)
    drain_until(runner, "map")
    assert messages.last == ("Computing the map…",)
    app.tasks.cancel()  # the status line's Cancel
    runner.drain()
    assert app.map.points.model_id == f"graph-{second}", "nothing new was drawn"
    assert messages.last[0].startswith("Map not drawn (cancelled)"), messages.calls
    assert app.notifications[-1] == ("info", "Map not drawn (cancelled)")
