"""The API both front ends call (CLI and GUI): plain functions over an :class:`AppContext`.

Every long-running service takes ``progress: ProgressFn | None`` and ``cancel: CancelToken |
None`` (see :mod:`musicsage.progress`) and returns plain data (dataclasses, dicts, numpy arrays),
never widgets or terminal output. Services open their own DB connection (one per thread), so
the GUI can call them from worker threads.

Sections follow the data flow: library -> audio -> graph -> search/map -> demo.
"""

from __future__ import annotations

# --- library (files -> DB) --------------------------------------------------------------------
# Imports stay inside the functions so that importing services (GUI start-up) stays cheap.


def scan_library(ctx, paths=(), playlists=(), progress=None, cancel=None, *,
                 refresh_playlists: bool = True):
    """Scan music folders/files, then import playlist files/folders -> ``ScanReport``.

    No ``paths`` and no ``playlists``: re-scan every folder scanned before (library_roots).
    Given paths must exist (a typo must not mark a folder's tracks missing); a remembered root
    that vanished (unmounted drive) marks its tracks missing, keeping them. With
    ``refresh_playlists``, playlist files imported before are re-imported when their file
    changed, or when this scan added tracks and they have unresolved entries.
    """
    from musicsage.errors import MusicsageError
    from musicsage.library import paths as P
    from musicsage.library.db import connect
    from musicsage.library.playlists import import_playlists, playlist_files_to_refresh
    from musicsage.library.scan import ScanReport, resolve_roots, scan_roots

    conn = connect(ctx)
    playlist_paths = resolve_roots(playlists, must_exist=True)
    if paths:
        roots = resolve_roots(paths, must_exist=True)
    elif playlist_paths:
        roots = []
    else:
        roots = [P.to_fs(r[0]) for r in conn.execute("SELECT path FROM library_roots ORDER BY path")]
        if not roots:
            raise MusicsageError("nothing to scan: give a music folder (e.g. musicsage scan ~/Music)")
    report = scan_roots(conn, roots, progress=progress, cancel=cancel) if roots else ScanReport()
    if refresh_playlists:
        grew = report.added + report.reappeared > 0
        playlist_paths += [fs for fs in playlist_files_to_refresh(conn, library_grew=grew)
                           if fs not in playlist_paths]
    if playlist_paths:
        report.playlists = import_playlists(conn, playlist_paths, progress=progress, cancel=cancel)
    return report


def library_stats(ctx) -> dict:
    """Counts in the ``stats --json`` shape of DESIGN.md (plus extra keys)."""
    from musicsage.library.browse import library_stats as stats
    from musicsage.library.db import connect

    return stats(connect(ctx))


def import_dataset(ctx, dir):
    """Import a dataset dir (tracks.csv, memberships.csv, features.npy) -> ``DatasetReport``.

    See :mod:`musicsage.library.dataset` for ids, synthetic paths and the audio model id used.
    """
    from musicsage.library.dataset import import_dataset as run
    from musicsage.library.db import connect

    return run(connect(ctx), dir)


def export_dataset(ctx, dir, audio_model=None):
    """Write the library as a dataset dir -> ``DatasetReport`` (features of ``audio_model``,
    a full id or a unique prefix such as 'openl3'; default: the chosen/most complete model)."""
    from musicsage.library.dataset import export_dataset as run
    from musicsage.library.db import connect

    return run(connect(ctx), dir, audio_model=audio_model)


def list_tracks(ctx, *, present_only: bool = False):
    """Every track (``TrackInfo``), by id."""
    from musicsage.library.browse import list_tracks as run
    from musicsage.library.db import connect

    return run(connect(ctx), present_only=present_only)


def get_track(ctx, track_id: int):
    """One ``TrackInfo`` or None."""
    from musicsage.library.browse import get_track_info
    from musicsage.library.db import connect

    return get_track_info(connect(ctx), track_id)


def list_playlists(ctx):
    """Every playlist (``PlaylistInfo`` with entry/resolved/unresolved counts), by id."""
    from musicsage.library.browse import list_playlists as run
    from musicsage.library.db import connect

    return run(connect(ctx))


def playlist_track_ids(ctx, playlist_id: int) -> list[int]:
    """Resolved track ids of a playlist, in order."""
    from musicsage.library.browse import playlist_track_ids as run
    from musicsage.library.db import connect

    return run(connect(ctx), playlist_id)


def search_tracks(ctx, text: str, *, limit: int | None = 50):
    """Tracks matching every word of ``text`` in title/artist/album/file name (``TrackInfo``)."""
    from musicsage.library.browse import search_tracks as run
    from musicsage.library.db import connect

    return run(connect(ctx), text, limit=limit)


# --- audio (DB -> audio embeddings) -----------------------------------------------------------


def embed_tracks(ctx, model=None, *, hop=None, max_seconds=None, openl3_weights=None,
                 variant=None, limit=None, device=None, progress=None, cancel=None):
    """Audio vectors for present tracks lacking one of ``model`` (default: the best available).

    ``model``: ``openl3`` | ``musicnn`` | ``spectral`` or a full model id. Resumable: finished
    tracks are committed in batches and skipped by the next run. Returns an
    :class:`~musicsage.audio.embed_job.EmbedReport` (``.reason`` says why this model).
    Raises :class:`~musicsage.audio.embedder.MissingWeights` when a requested model's weights
    are absent and cannot be fetched (the message names the fallback).
    """
    from musicsage.audio.selection import embed_library

    return embed_library(ctx, model, hop=hop, max_seconds=max_seconds,
                         openl3_weights=openl3_weights, variant=variant, device=device,
                         limit=limit, progress=progress, cancel=cancel)


def default_audio_model(ctx) -> str:
    """openl3 if its weights are present, else musicnn if its checkpoints are, else spectral."""
    from musicsage.audio.selection import choose_default_model

    return choose_default_model(ctx)[0]


def current_audio_model_id(ctx):
    """The audio model id whose vectors the app shows (None when nothing is embedded)."""
    from musicsage.audio.selection import current_model_id

    return current_model_id(ctx)


def audio_embeddings(ctx, model_id=None, *, present_only=True):
    """``(track_ids int64 [n], matrix float32 [n, d])`` of one audio model, or None if empty.

    ``model_id`` defaults to :func:`current_audio_model_id`. Missing tracks are left out unless
    ``present_only=False``.
    """
    from musicsage.library.db import connect
    from musicsage.library.queries import get_embeddings

    model_id = model_id or current_audio_model_id(ctx)
    if model_id is None:
        return None
    ids, matrix = get_embeddings(connect(ctx), model_id, present_only=present_only)
    return (ids, matrix) if len(ids) else None


def track_tags(ctx, path, top=10, model="MSD_musicnn", *, progress=None, cancel=None):
    """The ``top`` most probable MusiCNN tags of the file at ``path``: ``[(tag, p), …]``.

    ``model``: ``MSD_musicnn`` (Million Song Dataset tags: genres, eras, moods) or
    ``MTT_musicnn`` (MagnaTagATune: instruments, "classical", "vocals" …). ``ctx`` None uses
    the per-user dirs. Raises MusicsageError for an unreadable file or missing checkpoints.
    """
    from musicsage.audio.musicnn import track_tags as run
    from musicsage.context import AppContext

    ctx = ctx if ctx is not None else AppContext.create()
    return run(ctx, path, top=top, model=model, progress=progress, cancel=cancel)


# --- graph (audio embeddings + contexts -> graph model) ---------------------------------------
# The work lives in musicsage.graph (jobs.py orchestrates); these stay thin.


def train_graph(ctx, *, objective=None, contexts=None, audio_model=None, holdout=None, seed=0,
                max_steps=None, pretrain=None, options=None, progress=None, cancel=None):
    """Train the graph model on the library -> ``TrainReport`` (``model_id``, ``metrics``).

    Trains on a seeded split (``holdout``, default 10% of memberships) so the report carries
    honest metrics (graph vs audio-only), then embeds every track on the graph of ALL
    memberships, saves model + embeddings and makes it current. Cancelled or failed: nothing
    is saved and the previous model stays current. Progress extra: step, loss, val_hr10,
    mean_cos. ``options``: any other training option ({name: value}, see ``--set``).
    """
    from musicsage.graph.checkpoint import save_checkpoint
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import (TrainReport, embed_on_all_memberships, make_config,
                                      train_and_evaluate)
    from musicsage.graph.split import DEFAULT_HOLDOUT
    from musicsage.graph.store import (discard_dir, new_model_dir, register_model,
                                       remove_orphan_dirs, write_embeddings)
    from musicsage.library.db import connect
    from musicsage.progress import check_cancel

    audio_model = _graph_audio_model(ctx, audio_model)
    conn = connect(ctx)
    remove_orphan_dirs(conn, ctx)  # left by a training that was killed, not cancelled
    data = GraphData.from_library(conn, audio_model)
    holdout = DEFAULT_HOLDOUT if holdout is None else holdout
    config = make_config(objective=objective, seed=seed, max_steps=max_steps, pretrain=pretrain,
                         options=options)
    result, metrics, _ = train_and_evaluate(data, contexts=contexts, config=config,
                                            holdout=holdout, progress=progress, cancel=cancel)
    check_cancel(cancel)
    model_dir = new_model_dir(ctx, audio_model)
    try:
        embeddings = embed_on_all_memberships(result, data)
        write_embeddings(model_dir, data.track_ids, embeddings)
        save_checkpoint(model_dir / "model.pt", result, data)
        check_cancel(cancel)
        params = {"contexts": list(result.contexts), "holdout": holdout,
                  "config": result.config.to_dict(), "tracks": data.n_tracks,
                  "memberships": int(len(data.memberships))}
        model_id = register_model(conn, ctx, model_dir, name=f"pinsage-{audio_model}",
                                  audio_model=audio_model, params=params,
                                  metrics=metrics or {}, fingerprint=data.fingerprint())
    except BaseException:
        discard_dir(model_dir)
        raise
    return TrainReport(metrics=metrics, steps=result.steps, best_step=result.best_step,
                       best_val_hr10=result.best_val_hr10, seconds=result.seconds,
                       contexts=result.contexts, objective=result.config.objective,
                       history=result.history, model_id=model_id, out_dir=str(model_dir),
                       audio_model=audio_model)


def evaluate_graph(ctx, *, seeds=3, objective=None, contexts=None, audio_model=None,
                   holdout=None, max_steps=None, pretrain=None, seed=0, options=None,
                   progress=None, cancel=None) -> dict:
    """The ``eval`` JSON for the library: a fresh model per seed on its split (mean, ``std``).
    Leaves the current model alone."""
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import evaluate_seeds, make_config
    from musicsage.graph.split import DEFAULT_HOLDOUT
    from musicsage.library.db import connect

    audio_model = _graph_audio_model(ctx, audio_model)
    data = GraphData.from_library(connect(ctx), audio_model)
    out = evaluate_seeds(data, seeds=seeds, contexts=contexts,
                         config=make_config(objective=objective, max_steps=max_steps,
                                            pretrain=pretrain, seed=seed, options=options),
                         holdout=DEFAULT_HOLDOUT if holdout is None else holdout,
                         progress=progress, cancel=cancel)
    out["audio_model"] = audio_model
    return out


def current_graph_model(ctx):
    """The current :class:`~musicsage.graph.store.GraphModelInfo`, or None."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    return current_model(connect(ctx), ctx)


def graph_embeddings(ctx):
    """``(track_ids, unit vectors)`` of the current graph model, or None."""
    from musicsage.graph.store import load_embeddings

    info = current_graph_model(ctx)
    return load_embeddings(info) if info is not None else None


def train_graph_dataset(dataset, out, *, objective=None, contexts=None, holdout=None, seed=0,
                        max_steps=None, pretrain=None, options=None, progress=None, cancel=None):
    """``train --dataset DIR --out OUT`` (no library involved) -> ``TrainReport``."""
    from musicsage.graph.jobs import make_config, train_dataset
    from musicsage.graph.split import DEFAULT_HOLDOUT

    return train_dataset(dataset, out, contexts=contexts,
                         config=make_config(objective=objective, seed=seed, max_steps=max_steps,
                                            pretrain=pretrain, options=options),
                         holdout=DEFAULT_HOLDOUT if holdout is None else holdout,
                         progress=progress, cancel=cancel)


def evaluate_graph_dataset(dataset, *, seeds=3, objective=None, contexts=None, holdout=None,
                           max_steps=None, pretrain=None, seed=0, options=None, progress=None,
                           cancel=None) -> dict:
    """``eval --dataset DIR``: the eval JSON, mean over seeds with ``std``."""
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import evaluate_seeds, make_config
    from musicsage.graph.split import DEFAULT_HOLDOUT

    return evaluate_seeds(GraphData.from_dataset_dir(dataset), seeds=seeds, contexts=contexts,
                          config=make_config(objective=objective, max_steps=max_steps,
                                             pretrain=pretrain, seed=seed, options=options),
                          holdout=DEFAULT_HOLDOUT if holdout is None else holdout,
                          progress=progress, cancel=cancel)


def _graph_audio_model(ctx, audio_model):
    """The audio model to train on: the one asked for, else the app's current one."""
    from musicsage.errors import MusicsageError

    model = audio_model or current_audio_model_id(ctx)
    if not model:
        raise MusicsageError("no audio embeddings yet: run 'musicsage embed' first")
    return model


# --- search and map (vectors -> neighbours, 2-D map) ------------------------------------------
# The work lives in musicsage.search; these two imports are light (stdlib only) and give front
# ends the names they catch/receive.
import threading as _threading  # noqa: E402

from musicsage.search.query import AmbiguousQuery  # noqa: E402,F401  (re-exported)
from musicsage.search.types import SPACES, MapPoints  # noqa: E402,F401

_search_spaces: dict = {}
_search_lock = _threading.Lock()


def _graph_model_label(info) -> str:
    """A readable id for a graph model record (its DB id, else its name)."""
    for attr in ("id", "name"):
        value = getattr(info, attr, None) if not isinstance(info, dict) else info.get(attr)
        if value is not None:
            return f"graph-{value}"
    return "graph"


def search_space(ctx, space: str):
    """The :class:`~musicsage.search.index.SpaceIndex` of ``space`` ('graph' | 'audio'), or a
    one-line note saying why there is none yet.

    Vectors come from :func:`audio_embeddings` (missing tracks included: they stay indexed and
    mapped, see :mod:`musicsage.search.similar`) or :func:`graph_embeddings`. The object is kept
    per process while the embeddings' fingerprint is unchanged, so the GUI loads the index file
    once; its index is loaded/built lazily on the first query. While the DB has not changed at
    all (SQLite's data_version and this connection's change count), even the vectors are not
    re-read: a click in the GUI then costs a query, not a 50 MB read.
    """
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.search.fingerprint import embedding_fingerprint
    from musicsage.search.index import SpaceIndex

    key = (str(ctx.search_dir), space)
    conn = connect(ctx)
    stamp = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes,
             globals().get("graph_embeddings"), globals().get("current_graph_model"))
    with _search_lock:
        memo = _search_spaces.get(key)
        if memo is not None and memo[0] is conn and memo[1] == stamp:
            return memo[2]
    if space == "audio":
        from musicsage.vectors import zscore

        model_id = current_audio_model_id(ctx)
        emb = audio_embeddings(ctx, model_id, present_only=False) if model_id else None
        if emb is None:
            return "no audio embeddings yet (run: musicsage embed)"
        emb = (emb[0], zscore(emb[1]))  # z-scored: the evaluated audio-only baseline
    elif space == "graph":
        current, embeddings = globals().get("current_graph_model"), globals().get("graph_embeddings")
        if current is None or embeddings is None:
            return "graph models are not available in this version"
        info = current(ctx)
        if info is None:
            return "no trained graph model yet (run: musicsage train)"
        emb = embeddings(ctx)
        if emb is None:
            return "the current graph model has no track vectors (run: musicsage train)"
        model_id = _graph_model_label(info)
    else:
        raise MusicsageError(f"unknown space {space!r} (graph or audio)")
    track_ids, matrix = emb
    fingerprint = embedding_fingerprint(track_ids, matrix, model_id)
    with _search_lock:
        memo = _search_spaces.get(key)
        found = memo[2] if memo is not None else None
        if found is None or found.fingerprint != fingerprint:
            found = SpaceIndex(space, track_ids, matrix, model_id=model_id,
                               directory=ctx.search_dir / space, fingerprint=fingerprint)
        _search_spaces[key] = (conn, stamp, found)
        return found


def resolve_query(ctx, query) -> int:
    """The track id a user's QUERY names: a track id, a path, or title/artist text.

    Raises :class:`AmbiguousQuery` (``.candidates``, ``.total``) when text matches several
    tracks, :class:`~musicsage.errors.MusicsageError` when nothing matches.
    """
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.search.query import resolve_query as resolve

    conn = connect(ctx)
    if isinstance(query, int) and not isinstance(query, bool):
        if conn.execute("SELECT 1 FROM tracks WHERE id = ?", (query,)).fetchone() is None:
            raise MusicsageError(f"no track with id {query}")
        return query
    return resolve(conn, str(query))


def similar_tracks(ctx, query_or_id, k: int = 10, space: str = "both") -> dict:
    """Nearest tracks to a query in the graph and/or audio space (the ``similar --json`` shape).

    ``{"query": {track_id, title, artist, album, path, duration, status}, "graph": [rows],
    "audio": [rows], "models", "in_both", ...}``; each row adds ``score`` (cosine), ``rank`` and
    ``in_both``. A space not requested or not available has an empty list and an entry in
    ``notes`` (and the joined ``note``). The query and missing files are never listed.
    """
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.search.similar import similar_lists

    if space not in ("graph", "audio", "both"):
        raise MusicsageError(f"unknown space {space!r} (graph, audio or both)")
    if int(k) < 1:
        raise MusicsageError("k must be at least 1")
    track_id = resolve_query(ctx, query_or_id)
    wanted = SPACES if space == "both" else (space,)
    spaces = {name: search_space(ctx, name) if name in wanted else f"{name} space not requested"
              for name in SPACES}
    result = similar_lists(connect(ctx), track_id, spaces, k=int(k))
    result["space"] = space
    return result


def map_points(ctx, space: str, progress=None, cancel=None, *, compute: bool = True):
    """2-D map coordinates of ``space`` ('graph' | 'audio') as :class:`MapPoints`.

    Cached per embedding fingerprint under ``ctx.search_dir``; a changed embedding (re-embed,
    retrain) recomputes it. ``compute=False`` returns the cached map or None (instant; for a
    GUI that shows what it has before starting a worker). Raises MusicsageError when the
    space has no vectors yet, :class:`~musicsage.errors.Cancelled` when cancelled.
    """
    import numpy as np

    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.search.projection import MapParams, compute_map, configure_numba_cache, \
        load_cached_map

    found = search_space(ctx, space)
    if isinstance(found, str):
        raise MusicsageError(f"no {space} map: {found}")
    if compute:
        configure_numba_cache(ctx.numba_cache_dir)
        res = compute_map(found, progress=progress, cancel=cancel)
        xy, method, cached, seconds = res.xy, res.method, res.cached, res.seconds
    else:
        xy = load_cached_map(found.directory, fingerprint=found.fingerprint,
                             track_ids=found.track_ids, params=MapParams())
        if xy is None:
            return None
        method, cached, seconds = "cached", True, 0.0
    present_ids = np.fromiter((r[0] for r in connect(ctx).execute(
        "SELECT id FROM tracks WHERE status = 'present'")), dtype=np.int64)
    return MapPoints(track_ids=found.track_ids, xy=xy, space=space, model_id=found.model_id,
                     present=np.isin(found.track_ids, present_ids), method=method,
                     cached=cached, seconds=seconds, fingerprint=found.fingerprint)


def write_m3u(path, tracks, *, name: str | None = None) -> int:
    """Write an M3U8 playlist; ``tracks`` is a list of track dicts (path, title, artist,
    duration) or a :func:`similar_tracks` result (query first, then its neighbours).
    Returns the number of entries written."""
    from musicsage.search.m3u import write_m3u as write
    from musicsage.search.report import track_label
    from musicsage.search.similar import playlist_tracks

    if isinstance(tracks, dict) and "query" in tracks:
        name = name or f"Similar to {track_label(tracks['query'])}"
        tracks = playlist_tracks(tracks)
    return write(path, tracks, name=name)


# --- demo library -----------------------------------------------------------------------------
# The first-launch pipeline: synthesized music and playlists (musicsage.demo), then the same
# services a user's own library goes through: generate -> scan -> embed -> audio map ->
# train -> graph map.
# (The audio map is drawn before training: once progress reports stage "train", the library,
# audio vectors and the audio map are ready to show while the graph model trains.)
# Where the demo lives:
#   * ``musicsage demo [DIR] [--data-dir D]``: audio and playlists in DIR (default
#     D/demo-music), scanned into the library at D (default: the per-user data dir).
#   * ``main.py --demo``: the library at :func:`demo_data_dir` (<user data dir>/demo), its music
#     in <that>/demo-music — the user's own library is never touched.
# Progress: each report's ``stage`` is the pipeline stage (generate, scan, embed, audio_map,
# train, map);
# ``extra`` carries the inner service's extras (train: step, loss, val_hr10 …) plus
# ``inner_stage``, ``demo_index`` (0-based), ``demo_stages`` (6) and ``demo_label``.

DEMO_MUSIC_SUBDIR = "demo-music"
DEMO_TRAIN_STEPS = 200
"""Training budget of the demo's graph model (the library's own training uses its default):
on the demo, validation HR@10 peaks at 100-400 steps; 200 steps take ~5 s of CPU."""
DEMO_EMBED_MAX_SECONDS = {"openl3": 3.0, "musicnn": 6.0}
"""Seconds of audio per demo track for the heavy audio models (the 20-s demo tracks loop one
groove, so a few seconds carry the sound; this keeps the first launch within minutes)."""


DEMO_TORCH_THREADS = 1
"""torch intra-op threads during the demo's embed and train stages (restored afterwards).
Measured on the shared 2-core machine: MusiCNN on 49 tracks 10.6 s with 1 thread vs 27 s with
2; 200 training steps 22 s vs 235 s (idle-spinning worker threads under contention). One
thread also leaves a core to the window while the demo builds."""


def demo_data_dir():
    """The library directory ``main.py --demo`` uses: ``<user data dir>/demo``."""
    from pathlib import Path

    import platformdirs

    from musicsage.context import APP_NAME

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo"


def demo_dir(ctx):
    """The demo's music folder for the library at ``ctx`` (where it was built, else where
    :func:`build_demo` would put it: ``ctx.data_dir / 'demo-music'``). Cheap."""
    from pathlib import Path

    from musicsage.demo.state import read_state

    state = read_state(ctx.data_dir)
    return Path(state.music_dir) if state else ctx.data_dir / DEMO_MUSIC_SUBDIR


def demo_status(ctx):
    """Where the demo stands in the library at ``ctx`` -> ``DemoStatus`` (``state``:
    absent | partial | ready, ``next_stage``, ``stages_done``). Reads one small JSON file, so
    a GUI can call it at start-up: ``partial`` means a build was cancelled or killed and
    :func:`build_demo` resumes it; ``ready`` means build_demo returns at once."""
    from pathlib import Path

    from musicsage.demo.state import DemoStatus, read_state

    state = read_state(ctx.data_dir)
    if state is None:
        return DemoStatus("absent", ctx.data_dir / DEMO_MUSIC_SUBDIR, [], "generate", None, None)
    return DemoStatus("ready" if state.complete else "partial", Path(state.music_dir),
                      state.done, state.next_stage, state.n_tracks, state.seed)


def build_demo(ctx, *, n_tracks=None, seed=None, progress=None, cancel=None, music_dir=None,
               seconds=None, until=None, audio_model=None, train_steps=None, workers=None):
    """Build the demo library into the library at ``ctx`` and return a ``DemoReport``.

    Stages: generate (``n_tracks`` synthesized tracks of ~``seconds`` s and their playlists,
    into ``music_dir``, default ``ctx.data_dir/'demo-music'``), scan, embed (the default audio
    model), audio_map, train (the graph model), map (graph). Each stage reports progress and
    stops at ``cancel``; a finished stage is recorded in ``ctx.data_dir/demo-state.json``, so
    the next call resumes at the first unfinished one (and inside it: rendered files and
    embedded tracks are kept). A finished demo with the same parameters returns at once
    (``reused=True``). ``n_tracks``, ``seed``, ``seconds`` and ``music_dir`` left as None keep
    those of the demo already here (else 240 tracks, seed 0, 20 s); other values rebuild it. ``until`` stops after that stage (e.g. ``'scan'``). ``audio_model``
    (default: :func:`default_audio_model`) and ``train_steps`` (default
    :data:`DEMO_TRAIN_STEPS`) let tests and benchmarks choose cheaper or other settings. A stage
    whose service is missing from this version is reported in ``skipped`` and left for a later
    call.
    """
    import time
    from pathlib import Path

    from musicsage.demo.library import DEFAULT_SECONDS, DEFAULT_TRACKS, check_folder, plan_demo
    from musicsage.demo.state import STAGES, DemoReport, DemoState, read_state, write_state
    from musicsage.errors import MusicsageError
    from musicsage.progress import check_cancel, report

    started = time.perf_counter()
    if until is not None and until not in STAGES:
        raise MusicsageError(f"unknown demo stage {until!r} (one of {', '.join(STAGES)})")
    state = read_state(ctx.data_dir)
    n_tracks = int(n_tracks or (state.n_tracks if state else DEFAULT_TRACKS))
    seconds = float(seconds or (state.seconds if state else DEFAULT_SECONDS))
    seed = int(seed if seed is not None else (state.seed if state else 0))
    plan = plan_demo(n_tracks, seed=seed, seconds=seconds)
    music = (Path(music_dir).expanduser().resolve() if music_dir is not None
             else Path(state.music_dir) if state is not None else ctx.data_dir / DEMO_MUSIC_SUBDIR)
    if (state is None or state.fingerprint != plan.fingerprint or Path(state.music_dir) != music
            or (state.stages and not ctx.db_path.is_file())):
        check_folder(music)  # refuse a folder of the user's own files before recording it
        state = DemoState(str(music), plan.fingerprint, n_tracks, seed, seconds)
        write_state(ctx.data_dir, state)
    rep = DemoReport(music_dir=music, data_dir=ctx.data_dir, n_tracks=n_tracks,
                     n_playlists=len(plan.playlists), seed=seed, seconds_per_track=seconds,
                     reused=state.complete, complete=state.complete)
    last = STAGES.index(until) if until else len(STAGES) - 1
    for index, name in enumerate(STAGES[: last + 1]):
        if name in state.stages:
            continue
        check_cancel(cancel)
        t0 = time.perf_counter()
        forward = _demo_progress(progress, name, index, len(STAGES))
        report(forward, name, 0, None)
        options = {"workers": workers, "audio_model": audio_model,
                   "train_steps": int(train_steps or DEMO_TRAIN_STEPS)}
        details = _DEMO_STAGES[name](ctx, state, plan, music, options, forward, cancel)
        if "skipped" in details:
            rep.skipped[name] = details["skipped"]
            continue
        details["seconds"] = round(time.perf_counter() - t0, 2)
        state.stages[name] = details
        write_state(ctx.data_dir, state)
        rep.stages[name] = details
    rep.complete = state.complete
    rep.total_seconds = round(time.perf_counter() - started, 2)
    return rep


DEMO_STAGE_LABELS = {"generate": "Composing and rendering music", "scan": "Scanning the demo library",
                     "embed": "Listening to every track", "audio_map": "Drawing the map",
                     "train": "Training the graph model", "map": "Drawing the graph model's map"}


def _demo_progress(progress, name, index, count):
    """Forward an inner service's progress as pipeline stage ``name`` (see the section note);
    the message reads "<what> (i/5): <inner message>" so a status line alone says it all."""
    if progress is None:
        return None
    from musicsage.progress import Progress

    label = f"{DEMO_STAGE_LABELS[name]} ({index + 1}/{count})"

    def forward(p):
        extra = {**p.extra, "inner_stage": p.stage, "demo_index": index, "demo_stages": count,
                 "demo_label": DEMO_STAGE_LABELS[name]}
        message = f"{label}: {p.message}" if p.message else label
        progress(Progress(name, p.done, p.total, message, extra))

    return forward


def _demo_generate(ctx, state, plan, music, options, progress, cancel) -> dict:
    from musicsage.demo.library import generate_demo

    r = generate_demo(music, n_tracks=plan.n_tracks, seed=plan.seed, seconds=plan.seconds,
                      workers=options["workers"], progress=progress, cancel=cancel)
    return {"tracks": r.tracks, "playlists": r.playlists, "rendered": r.rendered}


def _demo_scan(ctx, state, plan, music, options, progress, cancel) -> dict:
    from musicsage.demo.library import PLAYLIST_DIR

    r = scan_library(ctx, [str(music)], [str(music / PLAYLIST_DIR)], progress=progress,
                     cancel=cancel)
    return {"added": r.added, "errors": len(r.errors), "playlists": len(r.playlists),
            "unresolved": sum(len(p.unresolved) for p in r.playlists)}


class _TorchThreads:
    """Set torch's intra-op thread count for a block and restore it (imports torch)."""

    def __init__(self, n: int) -> None:
        self.n, self.previous = n, None

    def __enter__(self):
        import torch

        self.previous = torch.get_num_threads()
        torch.set_num_threads(self.n)
        return self

    def __exit__(self, *exc) -> None:
        import torch

        torch.set_num_threads(self.previous)


def _demo_embed(ctx, state, plan, music, options, progress, cancel) -> dict:
    import contextlib

    model = options["audio_model"] or default_audio_model(ctx)
    budget = next((v for k, v in DEMO_EMBED_MAX_SECONDS.items() if model.startswith(k)), None)
    threads = (contextlib.nullcontext() if model.startswith("spectral")  # numpy only: no torch
               else _TorchThreads(DEMO_TORCH_THREADS))
    with threads:
        r = embed_tracks(ctx, model, max_seconds=budget, progress=progress, cancel=cancel)
    return {"model_id": r.model_id, "model_version": r.model_version, "embedded": r.embedded,
            "failed": r.failed, "reason": r.reason}


def _demo_train(ctx, state, plan, music, options, progress, cancel) -> dict:
    train = globals().get("train_graph")
    if train is None:
        return {"skipped": "graph training is not available in this version"}
    audio_model = state.stages.get("embed", {}).get("model_id")
    steps = options["train_steps"]
    with _TorchThreads(DEMO_TORCH_THREADS):
        r = train(ctx, audio_model=audio_model, max_steps=steps, progress=progress, cancel=cancel)
    out = {"audio_model": audio_model, "max_steps": steps}
    for key in ("model_id", "id", "steps", "best_step", "metrics"):
        value = getattr(r, key, None) if not isinstance(r, dict) else r.get(key)
        if value is not None:
            out[key] = value
    return out


def _demo_audio_map(ctx, state, plan, music, options, progress, cancel) -> dict:
    map_points(ctx, "audio", progress=progress, cancel=cancel)
    return {"spaces": ["audio"]}


def _demo_map(ctx, state, plan, music, options, progress, cancel) -> dict:
    from musicsage.errors import Cancelled, MusicsageError

    spaces, notes = [], {}
    for space in ("graph", "audio"):
        try:
            map_points(ctx, space, progress=progress, cancel=cancel)
            spaces.append(space)
        except Cancelled:
            raise
        except MusicsageError as exc:
            notes[space] = str(exc)
    if "graph" not in spaces and "train" not in state.stages:
        # the audio map is cached for the GUI; the stage stays open for the graph map
        return {"skipped": notes.get("graph", "no graph model yet")}
    if not spaces:
        return {"skipped": "; ".join(notes.values())}
    return {"spaces": spaces, **({"notes": notes} if notes else {})}


_DEMO_STAGES = {"generate": _demo_generate, "scan": _demo_scan, "embed": _demo_embed,
                "audio_map": _demo_audio_map, "train": _demo_train, "map": _demo_map}
