"""A map laid out afresh after many tracks were added is shown as being computed: "Computing the
map…" over the dimmed map, Lasso and Rectangle off (its work said so once under way). Two
things undid that while the layout still ran:

- any reload of the library meanwhile (a tag edit, an embed's reload) refreshed the map; the
  new map task's first look said "a cached map" and turned Lasso and Rectangle back on under
  "Computing the map…", over points about to move;
- another library opened meanwhile (one without vectors: no map task of its own) kept Lasso and
  Rectangle off on its map until the first library's layout ended, minutes later.

The window's worker delivers progress while the task runs; here the task's first batch is
delivered by hand before it runs (the inline runner delivers it only at the end)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "search"))
from search_helpers import Library, clustered_vectors  # noqa: E402

from musicsage.controllers.map_tools import COMPUTING_TIP  # noqa: E402
from musicsage.progress import Progress  # noqa: E402

N = 20
COMPUTING = "Computing the map…"


def _laying_out(ctx, tmp_path, make_app):
    """The map of N tracks shown, 10 more added, the map task of the reload queued and said
    to lay the map out afresh (its work's first report): (app, runner, that task)."""
    library = Library(ctx, tmp_path / "music")
    library.embed(clustered_vectors(N, clusters=3), library.add(N))
    library.conn.commit()
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert app.map.space == "audio" and len(app.map.points.track_ids) == N
    vectors = clustered_vectors(N + 10, clusters=3)
    library.embed(vectors[N:], library.add(10, start=N))
    library.conn.commit()
    app.library.reload()
    while not any(t.name == "map" for t in runner.queue):
        runner.queue.pop(0).execute()
    task = next(t for t in runner.queue if t.name == "map")
    task._emit("progress", [Progress("map: neighbours", 0, N + 10)])
    assert app.map_tools.drawing_off == COMPUTING_TIP
    return app, runner, task


def test_a_reload_during_the_layout_keeps_it_shown_as_being_computed(
        ctx, tmp_path, make_app, recorder):
    app, runner, _task = _laying_out(ctx, tmp_path, make_app)
    messages, computing = recorder(app.map.message), recorder(app.map.computing)
    app.map.refresh()  # what a reload of the library does
    assert computing.calls == [(True,)], computing.calls
    assert app.map_tools.drawing_off == COMPUTING_TIP, "Lasso and Rectangle on mid-layout"
    assert messages.calls == [(COMPUTING,)], messages.calls
    app.map.refresh()  # a second reload (an embed reloads more than once): the same
    assert computing.calls == [(True,), (True,)], computing.calls
    assert app.map_tools.drawing_off == COMPUTING_TIP, "Lasso and Rectangle on at a 2nd reload"
    runner.drain()
    assert len(app.map.points.track_ids) == N + 10 and app.map.points.method == "umap"
    assert computing.last == (False,) and app.map_tools.drawing_off is None


def test_another_library_opened_during_the_layout_has_its_tools_on(
        ctx, tmp_path, make_app, recorder):
    from musicsage.context import AppContext

    app, runner, task = _laying_out(ctx, tmp_path, make_app)
    assert app.set_context(AppContext.create(tmp_path / "other"))  # no vectors: no map task
    app.library.reload()
    while any(t is not task for t in runner.queue):  # the first one's layout still runs
        other = next(t for t in runner.queue if t is not task)
        runner.queue.remove(other)
        other.execute()
    assert task.running
    assert app.map_tools.drawing_off is None, "Lasso and Rectangle off over the other library"
