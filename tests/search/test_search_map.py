"""The library map: UMAP/fallback coordinates, the per-fingerprint cache, invalidation,
corrupt cache files, cancel, the numba cache location, and ``map --json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage import cli
from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken
import musicsage.search.index as search_index
from musicsage.search.index import INDEX_FILE, META_FILE
from musicsage.search.projection import MAP_FILE, small_layout
from musicsage.usecases.search import cached_map, map_points


@pytest.fixture
def hnsw_files(monkeypatch):
    """Use the hnsw engine (and its files) even for a test-sized library."""
    monkeypatch.setattr(search_index, "DEFAULT_PARAMS", search_index.IndexParams(exact_below=0))


def test_tiny_libraries_get_a_fallback_map(ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6, clusters=3))
    pts = map_points(ctx, "audio")
    assert pts.method == "pca" and pts.xy.shape == (6, 2) and np.isfinite(pts.xy).all()
    assert list(pts.track_ids) == library.ids and pts.present.all()
    again = map_points(ctx, "audio")
    assert again.cached and np.array_equal(again.xy, pts.xy)


def test_copies_in_a_tiny_library_are_two_dots_and_an_older_stacked_map_is_redone(ctx, library):
    """Two files of one recording have one vector: the small library's layout drew them as
    one dot, so one of them could not be clicked. Now they are apart; a map saved before that
    is computed again (it is instant at this size)."""
    import json

    library.add(6)
    vectors = clustered_vectors(6, clusters=3)
    vectors[5] = vectors[0]  # track 6 is a copy of track 1
    library.embed(vectors)
    pts = map_points(ctx, "audio")
    assert pts.method == "pca" and np.linalg.norm(pts.xy[0] - pts.xy[5]) > 0.05
    (path,) = ctx.search_dir.rglob(MAP_FILE)
    with np.load(path) as data:
        meta = json.loads(str(data["meta"]))
        stacked = data["xy"].copy()
    stacked[5] = stacked[0]
    del meta["spread"]  # as an older version saved it
    np.savez(path, track_ids=np.asarray(library.ids, np.int64), xy=stacked,
             meta=np.array(json.dumps(meta)))
    again = map_points(ctx, "audio")
    assert not again.cached and np.linalg.norm(again.xy[0] - again.xy[5]) > 0.05
    assert map_points(ctx, "audio").cached


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_degenerate_layouts(n):
    xy, method = small_layout(np.ones((n, 4), np.float32))  # identical vectors
    assert xy.shape == (n, 2) and np.isfinite(xy).all()
    if n >= 2:
        assert len({tuple(p) for p in xy.round(6)}) == n  # spread out, not stacked


def test_no_vectors_is_a_clear_error(ctx, library):
    library.add(3)
    with pytest.raises(MusicsageError, match="no audio map: no audio embeddings yet"):
        map_points(ctx, "audio")
    with pytest.raises(MusicsageError, match="no graph map"):
        cached_map(ctx, "graph")


@pytest.mark.slow
def test_changed_embedding_invalidates_index_and_map(ctx, library, hnsw_files):
    library.add(40)
    vectors = clustered_vectors(40, clusters=4)
    library.embed(vectors)
    space_dir = ctx.search_dir / "audio"

    pts = map_points(ctx, "audio")
    assert pts.method == "umap" and not pts.cached and pts.xy.shape == (40, 2)
    meta = json.loads((space_dir / META_FILE).read_text())
    assert meta["fingerprint"] == pts.fingerprint
    # points of one cluster sit closer together than points of different clusters
    xy, c = pts.xy, np.arange(40) % 4
    d = np.linalg.norm(xy[:, None] - xy[None], axis=-1)
    assert d[c[:, None] == c[None]].mean() < 0.5 * d[c[:, None] != c[None]].mean()

    cached = cached_map(ctx, "audio")
    assert cached.cached and np.array_equal(cached.xy, pts.xy)
    index_mtime = (space_dir / INDEX_FILE).stat().st_mtime_ns

    library.embed(vectors[:1] + 0.5, ids=[library.ids[3]])  # one track re-embedded
    placed = cached_map(ctx, "audio")  # the old map, carried over: shown at once
    kept = np.arange(40) != 3
    assert placed.method == "placed" and placed.placed == 1 and not placed.cached
    assert placed.fingerprint != pts.fingerprint and np.array_equal(placed.xy[kept], pts.xy[kept])
    fresh = map_points(ctx, "audio", relayout=True)  # Map ▸ Recompute map
    assert fresh.method == "umap" and fresh.fingerprint == placed.fingerprint
    assert json.loads((space_dir / META_FILE).read_text())["fingerprint"] == fresh.fingerprint
    assert (space_dir / INDEX_FILE).stat().st_mtime_ns != index_mtime
    # same seed, same vectors: the same map again, from the cache and when recomputed from
    # scratch (index included)
    assert np.array_equal(map_points(ctx, "audio").xy, fresh.xy)
    import shutil

    shutil.rmtree(ctx.search_dir)  # each call above had its own SearchSpaces: nothing is kept
    again = map_points(ctx, "audio")
    assert not again.cached and np.array_equal(again.xy, fresh.xy)


def test_corrupt_map_file_is_recomputed(ctx, library):
    library.add(8)
    library.embed(clustered_vectors(8))
    first = map_points(ctx, "audio")
    path = ctx.search_dir / "audio" / MAP_FILE
    for damage in (path.read_bytes()[:40], b"not a zip at all"):
        path.write_bytes(damage)
        assert cached_map(ctx, "audio") is None
        again = map_points(ctx, "audio")
        assert not again.cached and np.allclose(again.xy, first.xy)


def test_a_damaged_or_stale_map_in_the_spare_folder_is_never_used(ctx, library):
    """A read-only library's map is kept in the user's cache (ctx.spare_cache_dir): what is
    found there is used only when it was made from the same vectors, like the library's own."""
    library.add(8)
    library.embed(clustered_vectors(8))
    first = map_points(ctx, "audio")
    own = ctx.search_dir / "audio" / MAP_FILE
    spare = ctx.spare_cache_dir / "search" / "audio" / MAP_FILE
    assert own.is_file() and not spare.exists()  # a writable library keeps its own
    spare.parent.mkdir(parents=True)
    own.rename(spare)
    assert np.array_equal(cached_map(ctx, "audio").xy, first.xy)  # found in the spare folder
    good = spare.read_bytes()
    for damage in (good[:40], b"not a zip at all"):
        spare.write_bytes(damage)
        assert cached_map(ctx, "audio") is None
    spare.write_bytes(good)
    library.embed(clustered_vectors(8, seed=1))  # other vectors: the old map is stale
    assert cached_map(ctx, "audio") is None
    again = map_points(ctx, "audio")
    assert not again.cached and own.is_file()


@pytest.mark.slow
def test_cancel_stops_the_layout_and_writes_nothing(ctx, library):
    import numba

    library.add(30)
    library.embed(clustered_vectors(30))
    threads = numba.get_num_threads()
    token, stages = CancelToken(), []

    def progress(p):
        stages.append(p.stage)
        if p.stage == "map: layout" and p.done >= 50:
            token.cancel()

    with pytest.raises(Cancelled):
        map_points(ctx, "audio", progress=progress, cancel=token)
    assert "map: neighbours" in stages and "map: layout" in stages
    assert not (ctx.search_dir / "audio" / MAP_FILE).exists()
    assert numba.get_num_threads() == threads


def test_map_json(capsys, ctx, library):
    library.add(5)
    library.embed(clustered_vectors(5))
    library.set_missing(library.ids[1])
    rc = cli.main(["map", "--json", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    data = json.loads(out)
    assert "note" in data["graph"]
    audio = data["audio"]
    assert audio["tracks"] == 5 and audio["model_id"] == "spectral-test"
    assert [p["track_id"] for p in audio["points"]] == library.ids
    assert [p["present"] for p in audio["points"]] == [True, False, True, True, True]


def test_map_with_nothing_to_map_fails(capsys, ctx):
    from musicsage.library.db import connect

    connect(ctx).close()  # an empty library: without one `map` says "no library"
    rc = cli.main(["map", "--data-dir", str(ctx.data_dir)])
    assert rc == 1 and "nothing to map" in capsys.readouterr().err


def test_numba_cache_dir_is_set_before_numba_loads(tmp_path):
    """In a fresh process the app's cache dir becomes numba's (bench/umap_timing.py shows a
    second process then skips compiling)."""
    code = ("import sys; from pathlib import Path\n"
            "from musicsage.search.umap_runtime import configure_numba_cache\n"
            "configure_numba_cache(Path(sys.argv[1]))\n"
            "import numba\n"
            "print(numba.config.CACHE_DIR)\n")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "numba")], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == str(tmp_path / "numba") and (tmp_path / "numba").is_dir()


def test_umap_functions_get_a_file_cache():
    """umap-learn marks only one function cache=True; import_umap turns it on for the rest."""
    from numba.core.caching import NullCache

    from musicsage.search.umap_runtime import import_umap

    umap = import_umap()
    for f in (umap.layouts._nb_optimize_layout_euclidean_single_epoch,
              umap.umap_.smooth_knn_dist, umap.umap_.compute_membership_strengths):
        assert not isinstance(f._cache, NullCache), f


def test_large_libraries_start_from_pca_and_keep_their_clusters(monkeypatch):
    """From PCA_INIT_FROM tracks on, UMAP starts from PCA (its spectral start grows faster
    than the library); the map still separates what the vectors separate, and maps cached
    before this choice keep their cache key."""
    import musicsage.search.projection as projection
    from musicsage.search.umap_runtime import import_umap

    assert projection.MapParams().init_for(projection.PCA_INIT_FROM - 1) == "spectral"
    assert projection.MapParams().init_for(projection.PCA_INIT_FROM) == "pca"
    assert "init" not in projection.MapParams().key()
    assert projection.MapParams(init="spectral").init_for(10 ** 6) == "spectral"

    seen = []
    umap = import_umap()
    real = umap.UMAP

    def spy(*args, **kwargs):
        seen.append(kwargs.get("init"))
        return real(*args, **kwargs)

    monkeypatch.setattr(umap, "UMAP", spy)
    monkeypatch.setattr(projection, "PCA_INIT_FROM", 100)
    rng = np.random.default_rng(3)
    centres = rng.normal(0, 1, (2, 32)) * 4
    labels = np.repeat([0, 1], 150)
    vectors = (centres[labels] + rng.normal(0, 0.3, (300, 32))).astype(np.float32)
    xy, method = projection.layout(vectors)
    assert (method, seen) == ("umap", ["pca"])
    assert np.isfinite(xy).all()
    a, b = xy[labels == 0], xy[labels == 1]
    gap = np.linalg.norm(a.mean(0) - b.mean(0))
    assert gap > 3 * max(a.std(0).max(), b.std(0).max())
