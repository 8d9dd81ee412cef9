"""A graph model's map folder that is a link or a file (a user's link to another disk or to
another library's folder; a file where ``maps`` should be): the map is still made and shown,
kept where the app may write, and nothing is written, moved or deleted through a link the app
did not make; one line says where the map went and what to do."""

from __future__ import annotations

import logging
import shutil

import numpy as np

from musicsage.search.model_maps import MAPS_DIR, prune_model_maps
from musicsage.search.projection import MAP_FILE
from musicsage.usecases.search import cached_map, map_points

LOGGER = "musicsage.search.model_maps"


def maps_of(ctx):
    return ctx.search_dir / "graph" / MAPS_DIR


def spare_map(ctx, model_id):
    return ctx.spare_cache_dir / "search" / "graph" / MAPS_DIR / f"graph-{model_id}" / MAP_FILE


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == LOGGER and r.levelno == logging.WARNING]


def test_a_map_is_never_saved_through_a_models_linked_folder(two_models, tmp_path, caplog):
    """maps/graph-N linked to another library's folder: the save replaced its map.npz."""
    ctx, _first, second = two_models
    theirs = tmp_path / "other-library" / f"graph-{second}"
    theirs.mkdir(parents=True)
    (theirs / MAP_FILE).write_bytes(b"another library's map")
    maps_of(ctx).mkdir(parents=True)
    link = maps_of(ctx) / f"graph-{second}"
    link.symlink_to(theirs)
    caplog.set_level(logging.WARNING, LOGGER)
    shown = map_points(ctx, "graph")
    assert shown.method == "umap" and len(shown.track_ids)
    assert (theirs / MAP_FILE).read_bytes() == b"another library's map"
    assert sorted(p.name for p in theirs.iterdir()) == [MAP_FILE] and link.is_symlink()
    assert warnings(caplog) == [
        f"{link} is a link musicsage did not make: the map of graph-{second} is kept in "
        f"{spare_map(ctx, second).parent} instead, never written through the link (remove "
        "the link to keep maps with the library)"]
    again = cached_map(ctx, "graph")
    assert again is not None and np.array_equal(again.xy, shown.xy)
    prune_model_maps(ctx.search_dir / "graph", spare_map(ctx, second).parents[2], set())
    assert (theirs / MAP_FILE).read_bytes() == b"another library's map"


def test_maps_being_a_file_is_one_line_and_the_file_stays(two_models, caplog):
    """`maps` a file: the map went to the per-user cache with nothing said (a log line at
    INFO); the user is now told where, and what to do to keep it with the library."""
    ctx, _first, second = two_models
    maps_of(ctx).parent.mkdir(parents=True, exist_ok=True)
    maps_of(ctx).write_text("mine")
    caplog.set_level(logging.WARNING, LOGGER)
    shown = map_points(ctx, "graph")
    assert maps_of(ctx).read_text() == "mine" and spare_map(ctx, second).is_file()
    assert warnings(caplog) == [
        f"{maps_of(ctx)} is a file, not a folder: the map of graph-{second} is kept in "
        f"{spare_map(ctx, second).parent} instead (move the file away to keep maps with the "
        "library)"]
    again = map_points(ctx, "graph")
    assert again.cached and np.array_equal(again.xy, shown.xy)
    assert len(warnings(caplog)) == 1  # once a process, not at every load


def test_maps_linked_to_another_disk_is_followed(two_models, tmp_path, caplog):
    """The whole `maps` folder moved elsewhere and linked: that is the user's own cache."""
    ctx, _first, second = two_models
    disk = tmp_path / "other-disk" / "maps"
    disk.mkdir(parents=True)
    maps_of(ctx).parent.mkdir(parents=True, exist_ok=True)
    maps_of(ctx).symlink_to(disk)
    caplog.set_level(logging.WARNING, LOGGER)
    shown = map_points(ctx, "graph")
    assert (disk / f"graph-{second}" / MAP_FILE).is_file() and warnings(caplog) == []
    assert not spare_map(ctx, second).exists()
    again = cached_map(ctx, "graph")
    assert again is not None and np.array_equal(again.xy, shown.xy)


def test_a_previous_versions_map_is_not_moved_through_a_link(two_models, tmp_path):
    """The single map of the previous version was moved into its model's folder, even when
    that folder was a link to somewhere else."""
    ctx, _first, second = two_models
    saved = map_points(ctx, "graph")
    folder = maps_of(ctx) / f"graph-{second}"
    single = ctx.search_dir / "graph" / MAP_FILE
    shutil.move(folder / MAP_FILE, single)
    (folder / "map-lock").unlink()  # the layout's lock: a previous version had neither
    folder.rmdir()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    folder.symlink_to(theirs)
    back = cached_map(ctx, "graph")
    assert back is not None and np.array_equal(back.xy, saved.xy)
    assert single.is_file() and list(theirs.iterdir()) == []


def test_pruning_keeps_a_linked_single_map(two_models, tmp_path):
    """A `map.npz` link in the space folder (a previous version's place) is not the app's to
    delete, whatever model the file it leads to records."""
    ctx, _first, second = two_models
    map_points(ctx, "graph")
    users = tmp_path / "users-map.npz"
    shutil.copy2(maps_of(ctx) / f"graph-{second}" / MAP_FILE, users)
    single = ctx.search_dir / "graph" / MAP_FILE
    single.symlink_to(users)
    prune_model_maps(ctx.search_dir / "graph", None, set())
    assert single.is_symlink() and users.is_file()
