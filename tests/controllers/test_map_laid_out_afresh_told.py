"""A saved map file cut short (a full disk, an interrupted copy) is laid out again; in the
window that happened without a word — the map the user knew came back in another shape, and
only a terminal's `map` said why. The status line now says it once."""

from __future__ import annotations

from musicsage.search.model_maps import MAPS_DIR
from musicsage.search.projection import MAP_FILE, UNREADABLE
from musicsage.usecases.search import map_points


def test_a_torn_map_laid_out_again_is_told_on_the_status_line(two_models, make_app):
    ctx, _first, second = two_models
    map_points(ctx, "graph")
    path = ctx.search_dir / "graph" / MAPS_DIR / f"graph-{second}" / MAP_FILE
    path.write_bytes(path.read_bytes()[:200])  # cut short
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert app.map.space == "graph" and app.map.points is not None
    told = [(level, text) for level, text in app.notifications if UNREADABLE in text]
    assert told == [("warning", f"Map laid out afresh: {UNREADABLE}")]
    app.map.refresh()  # the cached map this time: nothing more to say
    runner.drain()
    assert app.map.points.cached
    assert len([text for _level, text in app.notifications if UNREADABLE in text]) == 1
