"""Many tracks added since the map was laid out (more than placement carries over: an album
that is a fifth of the library, the first embed of the rest) make the window lay the map out
afresh — minutes of UMAP on a large library. The window decided "a cached map, the points
shown stay" before the work began, so the old map stayed drawn as if current meanwhile:
undimmed, without the new tracks, Lasso and Rectangle on over points about to move, and
nothing over the map said a new one was coming. Once the map's work reports a layout stage
(its quick look for a saved map found none), the map now says "Computing the map…" as a
change of space or model does; a map carried over (tracks placed) still says nothing — also
when it first waited for another run holding the map's lock (that wait is reported under a map
stage too, but is no layout)."""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "search"))
from search_helpers import Library, clustered_vectors  # noqa: E402

from musicsage.controllers.map_tools import COMPUTING_TIP  # noqa: E402

N = 20
COMPUTING = "Computing the map…"


def _shown(ctx, make_app):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert app.map.space == "audio" and len(app.map.points.track_ids) == N
    return app, runner


def _add(library: Library, n: int) -> None:
    vectors = clustered_vectors(N + n, clusters=3)
    library.embed(vectors[N:], library.add(n, start=N))
    library.conn.commit()


def test_a_fresh_layout_after_many_new_tracks_is_shown_as_being_computed(
        ctx, tmp_path, make_app, recorder):
    library = Library(ctx, tmp_path / "music")
    library.embed(clustered_vectors(N, clusters=3), library.add(N))
    library.conn.commit()
    app, runner = _shown(ctx, make_app)
    messages, computing = recorder(app.map.message), recorder(app.map.computing)
    drawing = recorder(app.map_tools.drawing_changed)
    _add(library, 10)  # half as many again: laid out afresh, not placed
    app.library.reload()
    runner.drain()
    assert len(app.map.points.track_ids) == N + 10 and app.map.points.method == "umap"
    assert (COMPUTING,) in messages.calls, messages.calls
    assert computing.calls[-2:] == [(True,), (False,)], computing.calls
    assert (COMPUTING_TIP,) in drawing.calls and drawing.last == (None,), drawing.calls
    assert not app.map.keeps_view, "a fresh layout is fitted whole"


def test_tracks_placed_on_the_map_shown_say_nothing(ctx, tmp_path, make_app, recorder):
    library = Library(ctx, tmp_path / "music")
    library.embed(clustered_vectors(N, clusters=3), library.add(N))
    library.conn.commit()
    app, runner = _shown(ctx, make_app)
    messages, computing = recorder(app.map.message), recorder(app.map.computing)
    _add(library, 2)  # a few: placed on the saved map, at once
    app.library.reload()
    runner.drain()
    assert app.map.points.method == "placed" and app.map.keeps_view
    assert messages.calls == [] and set(computing.calls) == {(False,)}, computing.calls


def test_tracks_placed_after_waiting_for_another_runs_map_lock_say_nothing(
        ctx, tmp_path, make_app, recorder, monkeypatch):
    """Another run (`musicsage map`, another window's placement) holds the map's lock while
    the window places 2 new tracks: the wait's report ("… waiting for it to finish") was taken
    for a layout — the map dimmed under "Computing the map…", Lasso and Rectangle off."""
    from musicsage.library import lock as lock_module
    from musicsage.usecases.graph_vectors import map_directories

    library = Library(ctx, tmp_path / "music")
    library.embed(clustered_vectors(N, clusters=3), library.add(N))
    library.conn.commit()
    app, runner = _shown(ctx, make_app)
    messages, computing = recorder(app.map.message), recorder(app.map.computing)
    drawing = recorder(app.map_tools.drawing_changed)
    _add(library, 2)
    held = os.open(Path(map_directories(ctx, "audio", None)[0]) / lock_module.MAP_LOCK, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # the other run's lock, let go at the wait's first poll
    waited = []
    checked = lock_module.check_cancel

    def let_go(cancel):
        if not waited:
            waited.append(True)
            os.close(held)
        checked(cancel)

    monkeypatch.setattr(lock_module, "check_cancel", let_go)
    app.library.reload()
    runner.drain()
    assert waited, "the placement did not wait for the lock"
    assert app.map.points.method == "placed" and len(app.map.points.track_ids) == N + 2
    assert messages.calls == [] and set(computing.calls) == {(False,)}, computing.calls
    assert drawing.calls == [] and app.map_tools.drawing_off is None, drawing.calls
