"""Many tracks added since the map was laid out (more than placement carries over: an album
that is a fifth of the library, the first embed of the rest) make the window lay the map out
afresh — minutes of UMAP on a large library. The window decided "a cached map, the points
shown stay" before the work began, so the old map stayed drawn as if current meanwhile:
undimmed, without the new tracks, Lasso and Rectangle on over points about to move, and
nothing over the map said a new one was coming. Once the map's work reports a layout stage
(its quick look for a saved map found none), the map now says "Computing the map…" as a
change of space or model does; a map carried over (tracks placed) still says nothing."""

from __future__ import annotations

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
