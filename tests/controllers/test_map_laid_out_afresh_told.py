"""A saved map file cut short (a full disk, an interrupted copy) is laid out again; in the
window that happened without a word — the map the user knew came back in another shape, and
only a terminal's `map` said why. The status line now says it, as a warning, each time it
happens (a second torn map in one session is news again); a map laid out again for other
settings is said as information — each at the level the map's use case gives it."""

from __future__ import annotations

import json

import numpy as np

from musicsage.search.model_maps import MAPS_DIR
from musicsage.search.projection import MAP_FILE, SETTINGS_CHANGED, UNREADABLE
from musicsage.usecases.search import map_points


def told(app, words: str) -> list[tuple[str, str]]:
    return [(level, text) for level, text in app.notifications if words in text]


def test_a_torn_map_laid_out_again_is_told_on_the_status_line(two_models, make_app):
    ctx, _first, second = two_models
    map_points(ctx, "graph")
    path = ctx.search_dir / "graph" / MAPS_DIR / f"graph-{second}" / MAP_FILE
    path.write_bytes(path.read_bytes()[:200])  # cut short
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert app.map.space == "graph" and app.map.points is not None
    assert told(app, UNREADABLE) == [("warning", f"Map laid out afresh: {UNREADABLE}")]
    app.map.refresh()  # the cached map this time: nothing more to say
    runner.drain()
    assert app.map.points.cached
    assert len(told(app, UNREADABLE)) == 1
    path.write_bytes(path.read_bytes()[:200])  # torn again in the same session
    app.map.refresh()
    runner.drain()
    assert told(app, UNREADABLE) == [("warning", f"Map laid out afresh: {UNREADABLE}")] * 2


def saved_with_other_settings(path) -> None:
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(str(arrays["meta"]))
    meta["params"]["min_dist"] = 0.5  # saved by a version with other settings
    arrays["meta"] = np.array(json.dumps(meta))
    with open(path, "wb") as out:
        np.savez(out, **arrays)


def test_a_map_of_other_settings_laid_out_again_is_told_as_information(two_models, make_app):
    ctx, _first, second = two_models
    map_points(ctx, "graph")
    saved_with_other_settings(ctx.search_dir / "graph" / MAPS_DIR / f"graph-{second}" / MAP_FILE)
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    assert told(app, SETTINGS_CHANGED) == [("info", f"Map laid out afresh: {SETTINGS_CHANGED}")]


def test_the_map_use_case_says_how_loudly_a_layout_afresh_is_told(two_models):
    """The window tells the note at the level the use case set, not by matching its text."""
    ctx, _first, second = two_models
    map_points(ctx, "graph")
    path = ctx.search_dir / "graph" / MAPS_DIR / f"graph-{second}" / MAP_FILE
    path.write_bytes(path.read_bytes()[:200])  # cut short
    torn = map_points(ctx, "graph")
    assert (torn.note, torn.note_level) == (UNREADABLE, "warning")
    saved_with_other_settings(path)
    other = map_points(ctx, "graph")
    assert (other.note, other.note_level) == (SETTINGS_CHANGED, "info")
    again = map_points(ctx, "graph")
    assert (again.note, again.note_level) == (None, "info")  # the map just saved
