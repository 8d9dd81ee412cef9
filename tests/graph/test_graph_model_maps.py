"""One saved graph map per model: going back to a model shows the map it had, at once and of
the same shape; a previous version's single map is kept for its own model; removing a model
removes its map — on a library with two models (tests/models_support.py)."""

from __future__ import annotations

import shutil

import numpy as np

from musicsage.search import projection
from musicsage.search.model_maps import MAPS_DIR, prune_model_maps
from musicsage.search.projection import MAP_FILE
from musicsage.usecases.models import remove_graph_model, use_graph_model
from musicsage.usecases.search import cached_map, map_points
from musicsage.usecases.spaces import SearchSpaces


def no_layout(monkeypatch):
    """From here on, a UMAP (or any) layout fails the test."""
    def refuse(*_a, **_k):
        raise AssertionError("the map was laid out again")

    monkeypatch.setattr(projection, "layout", refuse)


def model_map(ctx, model_id):
    return ctx.search_dir / "graph" / MAPS_DIR / f"graph-{model_id}" / MAP_FILE


def test_switching_back_shows_the_models_own_map_without_a_layout(two_models, monkeypatch):
    ctx, first, second = two_models
    spaces = SearchSpaces(ctx)  # one object across the switches, as the window keeps it
    map_second = map_points(ctx, "graph", spaces=spaces)
    use_graph_model(ctx, first)
    map_first = map_points(ctx, "graph", spaces=spaces)
    assert map_second.method == map_first.method == "umap"
    assert model_map(ctx, first).is_file() and model_map(ctx, second).is_file()
    no_layout(monkeypatch)
    for model, before in ((second, map_second), (first, map_first), (second, map_second)):
        use_graph_model(ctx, model)
        quick = cached_map(ctx, "graph", spaces=spaces)  # the window's fast path
        assert quick is not None and quick.method == "cached"
        assert quick.model_id == f"graph-{model}"
        np.testing.assert_array_equal(quick.track_ids, before.track_ids)
        np.testing.assert_array_equal(quick.xy, before.xy)
        again = map_points(ctx, "graph", spaces=spaces)
        assert again.method == "cached" and np.array_equal(again.xy, before.xy)
    assert not np.array_equal(map_first.xy, map_second.xy)


def test_a_previous_versions_single_map_is_used_for_its_model_only(two_models, monkeypatch):
    ctx, first, second = two_models
    saved = map_points(ctx, "graph")  # model `second` is current
    single = ctx.search_dir / "graph" / MAP_FILE
    shutil.move(model_map(ctx, second), single)  # where the previous version kept it
    use_graph_model(ctx, first)
    assert cached_map(ctx, "graph") is None  # not first's: never served for it
    assert map_points(ctx, "graph").method == "umap"
    assert single.is_file() and not model_map(ctx, second).exists()  # kept for its model
    use_graph_model(ctx, second)
    no_layout(monkeypatch)
    back = cached_map(ctx, "graph")
    assert back is not None and back.method == "cached" and np.array_equal(back.xy, saved.xy)
    assert model_map(ctx, second).is_file() and not single.exists()  # moved to its folder


def test_a_single_map_that_cannot_be_moved_is_read_where_it_is(two_models, monkeypatch):
    ctx, first, second = two_models
    saved = map_points(ctx, "graph")
    single = ctx.search_dir / "graph" / MAP_FILE
    shutil.move(model_map(ctx, second), single)

    def read_only(*_a, **_k):
        raise PermissionError("read-only")

    monkeypatch.setattr("musicsage.search.model_maps.os.replace", read_only)
    back = cached_map(ctx, "graph")
    assert back is not None and back.method == "cached" and np.array_equal(back.xy, saved.xy)
    assert single.is_file()
    use_graph_model(ctx, first)
    assert cached_map(ctx, "graph") is None


def test_a_map_in_the_wrong_models_folder_is_not_served(two_models):
    ctx, first, second = two_models
    map_points(ctx, "graph")  # second's map
    model_map(ctx, first).parent.mkdir(parents=True)
    shutil.copy2(model_map(ctx, second), model_map(ctx, first))
    use_graph_model(ctx, first)
    assert cached_map(ctx, "graph") is None
    assert map_points(ctx, "graph").method == "umap"


def test_remove_deletes_the_models_map_and_only_files_the_app_wrote(two_models):
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    map_points(ctx, "graph")
    use_graph_model(ctx, second)
    map_points(ctx, "graph")
    folder = model_map(ctx, first).parent
    (folder / f".{MAP_FILE}.123.456.tmp").write_bytes(b"torn")  # an interrupted write
    remove_graph_model(ctx, first)
    assert not folder.exists() and model_map(ctx, second).is_file()
    # a file the app did not write stays, with its folder
    gone = model_map(ctx, 99).parent
    gone.mkdir()
    (gone / MAP_FILE).write_bytes(b"x")
    (gone / "notes.txt").write_text("mine")
    prune_model_maps(ctx.search_dir / "graph", None, {f"graph-{second}"})
    assert (gone / "notes.txt").is_file() and not (gone / MAP_FILE).exists()
    assert model_map(ctx, second).is_file()


def test_remove_deletes_a_previous_versions_single_map_of_that_model(two_models):
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    map_points(ctx, "graph")
    single = ctx.search_dir / "graph" / MAP_FILE
    shutil.move(model_map(ctx, first), single)
    use_graph_model(ctx, second)
    remove_graph_model(ctx, first)
    assert not single.exists()
