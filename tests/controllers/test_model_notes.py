"""What the window says about a graph model's files that did not go where they usually go: a
map kept in the per-user cache (its folder in the library is a file or a foreign link), a
removed model's folder kept for another model. Both were said only in a terminal (a log
line, ``models --remove``'s output); the window's status line now says them too."""

from __future__ import annotations

import os

from musicsage.controllers.models import describe_removal
from musicsage.library.db import connect
from musicsage.search.model_maps import MAPS_DIR
from musicsage.usecases.models import (GraphModelRow, ModelRemoval, folder_fate,
                                       list_graph_models, use_graph_model)


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_a_map_kept_away_from_the_library_is_told_once_on_the_status_line(two_models,
                                                                          make_app):
    """`maps` a file: the map went to the per-user cache and only the log said so."""
    ctx, _first, second = two_models
    maps = ctx.search_dir / "graph" / MAPS_DIR
    maps.parent.mkdir(parents=True, exist_ok=True)
    maps.write_text("mine")
    app, runner = _loaded(make_app, ctx)
    assert app.map.space == "graph" and app.map.points is not None
    notes = [(level, text) for level, text in app.notifications if str(maps) in text]
    spare = ctx.spare_cache_dir / "search" / "graph" / MAPS_DIR / f"graph-{second}"
    assert notes == [("warning", f"{maps} is a file, not a folder: the map of graph-{second} "
                                 f"is kept in {spare} instead (move the file away to keep maps "
                                 "with the library)")]
    app.map.refresh()  # the cached map this time: said once, not at every reload
    runner.drain()
    assert app.map.points.cached
    assert [text for _level, text in app.notifications if str(maps) in text] == [notes[0][1]]
    assert maps.read_text() == "mine"


def test_removing_a_model_whose_folder_another_uses_says_the_folder_stayed(two_models,
                                                                           make_app):
    """Two rows naming one folder: the window said "Removed 1 older graph model (0 bytes
    freed)" without a word on why nothing was freed."""
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    shared = next(r.dir for r in list_graph_models(ctx) if r.id == first)
    conn = connect(ctx)
    with conn:  # a hand-edited or restored database
        conn.execute("UPDATE graph_models SET dir = ? WHERE id = ?",
                     (os.path.basename(shared), second))
    app, runner = _loaded(make_app, ctx)
    app.models.remove((second,))
    runner.drain()
    assert app.notifications[-1] == (
        "info", f"Removed 1 older graph model (0 bytes freed); model {second}'s folder is "
                f"kept: graph model {first} uses it too")
    assert os.path.isdir(shared) and [r.id for r in list_graph_models(ctx)] == [first]


def _removed(model_id: int, removal: str, kept_for: tuple[int, ...] = ()) -> GraphModelRow:
    """A model as a removal returns it; its ``problem`` worded otherwise than ``folder_fate``
    words it, to show that the window's line comes from what the removal recorded."""
    return GraphModelRow(id=model_id, created_at="2026-12-02T12:08:00", audio_model="spectral",
                         contexts=(), hr10=None, mrr=None, tracks=None, is_current=False,
                         problem=None if removal == "removed" else "(older wording)",
                         dir=f"/m/{model_id}", removal=removal, kept_for=kept_for)


def test_a_removal_names_each_folder_kept_or_gone_in_the_words_models_remove_uses():
    """The window's words were made by reading ``problem``'s text back ("its …" → "model
    3's …"): a rewording there would have garbled them without a failing test."""
    kept, gone = _removed(3, "kept", (4, 5)), _removed(6, "missing")
    removal = ModelRemoval((kept, gone, _removed(7, "removed")), (), 2_500_000)
    assert describe_removal(removal) == (
        "info", "Removed 3 older graph models (2.5 MB freed); model 3's folder is kept: graph "
                "models 4, 5 use it too; model 6's folder was already gone")
    assert folder_fate(_removed(3, "kept", (4,))) == (
        "its folder is kept: graph model 4 uses it too")
    assert folder_fate(gone) == "its folder was already gone"
    assert folder_fate(_removed(7, "removed")) is None
