"""Where the graph model's track vectors live, and how those computed after training join them.

A trained model's directory holds what training produced (``embeddings.npy``,
``track_ids.npy``: :mod:`musicsage.graph.store`). Tracks the model never saw get vectors
later from the saved model (:mod:`musicsage.usecases.inductive`); they are kept beside the
model in one file, ``inductive.npz`` (track ids, unit vectors, for each track the time its
audio vector was computed, so a track whose file changes again is redone, and a digest of the
library's playlists and tags they were computed on, so a track that joins a playlist is redone
too), replaced atomically.
The trained files are never rewritten. :func:`with_inductive` lays the inductive vectors over
the trained ones wherever the graph space is read (``similar``, the map, the index,
suggestions, radio); a retrain makes a new directory, so its vectors replace them at once.

This module reads files and the DB only (no torch): ``stats`` and every neighbour query use it.
"""

from __future__ import annotations

import io
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from musicsage.files import replace_atomically
from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo
    from musicsage.library.lock import Gone

log = logging.getLogger(__name__)

INDUCTIVE_FILE = "inductive.npz"
_FORMAT = 1


def graph_model_label(info: "GraphModelInfo") -> str:
    """How a graph space names its model: ``graph-<id>``."""
    return f"graph-{info.id}"


def space_directory(ctx: "AppContext", space: str) -> Path:
    """Where a space's index and map are cached (per library, under the cache dir)."""
    return ctx.search_dir / space


def spare_space_directory(ctx: "AppContext", space: str) -> Path:
    """Where a read-only library's map of ``space`` is kept (:attr:`AppContext.spare_cache_dir`)."""
    return ctx.spare_cache_dir / "search" / space


def map_directories(ctx: "AppContext", space: str, model_label: str | None) -> list[Path]:
    """Where the map of ``space`` made with model ``model_label`` is read and saved, in order.
    The graph space keeps one map per model (:mod:`musicsage.search.model_maps`), so going
    back to a model shows the map it had instead of a fresh layout of another shape."""
    from musicsage.search.model_maps import map_dirs_of

    return map_dirs_of(space_directory(ctx, space), spare_space_directory(ctx, space),
                       model_label if space == "graph" else None)


def model_gone(ctx: "AppContext", label: str | None) -> "Gone | None":
    """``gone()`` for the map of graph model ``label`` (None: not a graph model): whether it
    was removed since its vectors were loaded (ids are never given again: a removed id
    stays gone). Without it, a map run that loaded the model before a ``models --remove``
    and reached the map's lock after it made the removed model's folder again and saved a
    map there, for a model that no longer exists."""
    from musicsage.search.model_maps import is_model_label

    if not is_model_label(label):
        return None
    model_id = int(label.removeprefix("graph-"))

    def gone() -> bool:
        import sqlite3

        from musicsage.graph.store import list_models
        from musicsage.library.db import connect

        try:
            return all(model.id != model_id for model in list_models(connect(ctx), ctx))
        except sqlite3.Error:  # cannot tell: the map goes on, as before the check
            return False

    return gone


class BadInductiveFile(ValueError):
    """An ``inductive.npz`` that cannot be used (the message says why, in one line)."""


@dataclass(frozen=True)
class InductiveVectors:
    """What ``inductive.npz`` holds: ``matrix[i]`` is the vector of ``track_ids[i]``, computed
    from its audio vector of time ``stamps[i]``."""

    track_ids: np.ndarray  # int64 [n]
    matrix: np.ndarray  # float32 [n, d], unit rows
    stamps: np.ndarray  # str [n]: audio_embeddings.created_at used
    contexts: str = ""
    """:func:`contexts_stamp` of the library they were computed on ("": a file written before
    it was recorded): a track placed before it joined a playlist is placed again."""


@dataclass(frozen=True)
class Coverage:
    """How much of the library the current graph model knows (``stats``)."""

    unseen: int | None
    """Tracks with a vector of the model's audio model not seen in training (None: the
    model's files cannot be read)."""
    inductive: int
    """Tracks whose graph vector the saved model computed without retraining."""
    seen: int | None = None
    """Tracks of the library seen in training as they are (None: cannot be told)."""
    no_vector: int = 0
    """Present tracks with no vector of the model's audio model: neither seen nor unseen —
    no graph vector until an embed with that audio model gives them one (a library embedded
    with another model since, tracks it could not analyse)."""
    left_out: int = 0
    """Tracks training left out: their vector of its audio model is damaged and their audio
    cannot be analysed again (file missing or undecodable, imported from a dataset dir).
    Neither seen nor unseen: no embed places them (:func:`left_out_for_damage`)."""


# --- which tracks ----------------------------------------------------------------------------


def trained_track_ids(info: "GraphModelInfo") -> np.ndarray:
    """The tracks the model was trained with (its ``track_ids.npy``, header checked first);
    raises :class:`~musicsage.search.vector_files.BadVectorFile` or ``OSError``/``ValueError``."""
    from musicsage.search.vector_files import npy_shape

    path = Path(info.dir) / "track_ids.npy"
    npy_shape(path, ndim=1, kind="i")
    return np.load(path, allow_pickle=False).astype(np.int64)


def unseen_tracks(conn, info: "GraphModelInfo", *,
                  times: tuple[np.ndarray, list[str]] | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, stamps)`` of the library's tracks with an audio vector of the model's audio
    model that training did not see: not in its tracks, or re-embedded since training read
    the library (their file changed, so the vector it learned from is gone). A model saved
    before ``library_read_at`` was recorded counts from when it was saved, which misses a
    track re-analysed while it trained. ``times``: :func:`embedding_times` of the model's
    audio model, when the caller has read them already."""
    ids, stamps, _left_out = _unseen_and_left_out(conn, info, times)
    return ids, stamps


def _unseen_and_left_out(conn, info: "GraphModelInfo",
                         times: tuple[np.ndarray, list[str]] | None
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`unseen_tracks`' ``(ids, stamps)``, and apart the ids training left out for a
    damaged vector no embed can mend (:func:`left_out_for_damage`, read once: it reads their
    vectors, the dearest part at 28k dataset tracks)."""
    from musicsage.library.damaged_vectors import left_out_for_damage
    from musicsage.library.queries import embedding_times

    ids, stamps = times if times is not None else embedding_times(conn, info.audio_model)
    stamps = np.asarray(stamps, dtype=str) if len(stamps) else np.zeros(0, dtype="<U1")
    trained = trained_track_ids(info)
    read_at = info.params.get("library_read_at") if isinstance(info.params, dict) else None
    if isinstance(read_at, str) and read_at:
        # a vector stamped at the very moment of the read may or may not have been read:
        # computing it again is cheap, keeping a stale one is not
        changed = stamps >= read_at
    else:
        changed = stamps > (info.created_at or "")
    unseen = ~np.isin(ids, trained) | changed
    ids, stamps = ids[unseen], stamps[unseen]
    # damaged vectors of missing, undecodable or dataset tracks: training left them out
    left_out = left_out_for_damage(conn, info.audio_model, ids.tolist())
    unseen = ~np.isin(ids, left_out)
    return ids[unseen], stamps[unseen], left_out


def coverage(ctx: "AppContext", conn=None) -> Coverage | None:
    """Seen, unseen and inductively embedded tracks of the current graph model, those it
    left out for a damaged vector, and those with no vector of its audio model; None without
    one. Reads the DB and two small files: no torch."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_times, present_track_ids

    conn = conn or connect(ctx)
    info = current_model(conn, ctx)
    if info is None:
        return None
    times = embedding_times(conn, info.audio_model)  # read once: ~20 ms at 28k tracks
    with_vector = times[0]
    no_vector = int((~np.isin(present_track_ids(conn), with_vector)).sum())
    try:
        ids, _, left_out = _unseen_and_left_out(conn, info, times)
    except (ValueError, OSError) as exc:  # BadVectorFile is a ValueError
        log.info("graph model %s: cannot tell its unseen tracks: %s", info.id, exc)
        return Coverage(None, 0, no_vector=no_vector)
    try:
        found = read_inductive(info)
    except BadInductiveFile:
        found = None
    done = 0 if found is None else int(np.isin(found.track_ids, ids).sum())
    return Coverage(int(len(ids)), done, seen=int(len(with_vector) - len(ids) - len(left_out)),
                    no_vector=no_vector, left_out=int(len(left_out)))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def placed_note(ctx: "AppContext", track_id: int) -> str | None:
    """The note beside a graph list whose query track's vector the saved model computed
    after training (:mod:`musicsage.usecases.inductive`), else None. Its neighbours then come
    from what the model learnt of other tracks, not from this track's own playlists: the list
    looked like any other, and nothing said that a Retrain would learn from it. None also
    without a current model, or when its inductive file is not used (damaged, or of another
    width than the trained vectors: :func:`with_inductive` leaves it out)."""
    from musicsage.errors import TRAIN_HINT
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect
    from musicsage.search.vector_files import npy_shape

    conn = connect(ctx)
    info = current_model(conn, ctx)
    try:
        found = read_inductive(info) if info is not None else None
        width = npy_shape(Path(info.dir) / "embeddings.npy", ndim=2, kind="f")[1] \
            if found is not None else None
    except (ValueError, OSError):  # BadInductiveFile and BadVectorFile are ValueErrors
        return None
    if (found is None or found.matrix.shape[1] != width
            or int(track_id) not in set(found.track_ids.tolist())):
        return None
    return (f"the query track is not in graph model {info.id}'s training (added or changed "
            f"since): the saved model placed it by {_placed_by(conn, int(track_id))}; "
            f"a retrain learns from it ({TRAIN_HINT})")


def _placed_by(conn, track_id: int) -> str:
    """What the saved model placed ``track_id`` by, as graph training reads a track's
    contexts (:meth:`~musicsage.graph.data.GraphData.from_library`): its audio always, its
    playlists, album and artist where it has them — all four were said of a track with none."""
    from musicsage.library.queries import get_track
    from musicsage.library.relations import playlists_of

    row = get_track(conn, track_id)

    def tagged(*keys: str) -> bool:
        return row is not None and any(str(row[key] or "").strip() for key in keys)

    lists = len(playlists_of(conn, [track_id]).get(track_id, ()))
    has = [("playlists" if lists > 1 else "playlist", lists > 0), ("album", tagged("album")),
           ("artist", tagged("artist", "albumartist"))]
    words = ["audio", *(word for word, there in has if there)]
    if len(words) == 1:
        return "its audio alone"
    return f"its {', '.join(words[:-1])} and {words[-1]}"


def contexts_stamp(conn) -> str:
    """A digest of what the saved model reads a track's contexts from besides its audio: the
    resolved playlist memberships and the artist/album tags of every track. The vectors of
    unseen tracks depend on them (README: "as they are now"), so a change to them makes the
    next embed place those tracks again, though their audio did not change. Two DB reads,
    no torch; read only when the model has unseen tracks."""
    import hashlib

    from musicsage.library.queries import album_tags, memberships

    digest = hashlib.sha1()
    digest.update(np.asarray(memberships(conn), dtype="<i8").tobytes())
    for track_id, row in sorted(album_tags(conn).items()):
        digest.update(repr((track_id, row["artist"], row["album"],
                            row["albumartist"])).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# --- the file --------------------------------------------------------------------------------


def inductive_path(info: "GraphModelInfo") -> Path:
    return Path(info.dir) / INDUCTIVE_FILE


def read_inductive(info: "GraphModelInfo") -> InductiveVectors | None:
    """The model's inductive vectors; None when it has none. Raises
    :class:`BadInductiveFile` for a file that is damaged, of another format or another
    model (never unpickles: ``allow_pickle=False``)."""
    path = inductive_path(info)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            ids = np.asarray(data["track_ids"])
            matrix = np.asarray(data["matrix"])
            stamps = np.asarray(data["stamps"])
    except Exception as exc:  # a truncated zip, a pickle, bad JSON …: all mean "damaged"
        raise BadInductiveFile(f"{INDUCTIVE_FILE} cannot be read ({type(exc).__name__})") \
            from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise BadInductiveFile(f"{INDUCTIVE_FILE} has an unknown format")
    if meta.get("model_fingerprint") != info.fingerprint:
        raise BadInductiveFile(f"{INDUCTIVE_FILE} belongs to another model")
    if ids.dtype.kind not in "iu" or matrix.dtype.kind != "f" or stamps.dtype.kind != "U":
        raise BadInductiveFile(f"{INDUCTIVE_FILE} holds arrays of the wrong types")
    if (ids.ndim != 1 or matrix.ndim != 2 or stamps.shape != ids.shape
            or len(matrix) != len(ids) or len(np.unique(ids)) != len(ids)):
        raise BadInductiveFile(f"{INDUCTIVE_FILE} has inconsistent shapes")
    if not np.isfinite(matrix).all():
        raise BadInductiveFile(f"{INDUCTIVE_FILE} holds NaN or infinite values")
    contexts = meta.get("contexts")
    return InductiveVectors(ids.astype(np.int64), matrix.astype(np.float32), stamps,
                            contexts if isinstance(contexts, str) else "")


def write_inductive(info: "GraphModelInfo", found: InductiveVectors) -> Path:
    """Replace the model's ``inductive.npz`` atomically (temp file + rename)."""
    meta = json.dumps({"format": _FORMAT, "model_id": info.id,
                       "model_fingerprint": info.fingerprint, "written": time.time(),
                       "contexts": found.contexts})
    buf = io.BytesIO()
    np.savez(buf, track_ids=np.asarray(found.track_ids, "<i8"),
             matrix=np.asarray(found.matrix, "<f4"), stamps=np.asarray(found.stamps, str),
             meta=np.array(meta))
    final = inductive_path(info)
    replace_atomically(final, buf.getvalue(), durable=True)
    return final


def with_inductive(info: "GraphModelInfo", track_ids: np.ndarray, matrix: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The model's trained vectors with its inductive ones laid over them: a track in both
    takes the inductive vector (its audio changed since training), a new track is appended.
    An unusable inductive file is left out (logged) — the trained vectors stay usable."""
    try:
        found = read_inductive(info)
    except BadInductiveFile as exc:
        log.info("graph model %s: %s; its new tracks wait for the next embed", info.id, exc)
        return track_ids, matrix
    if found is None or len(found.track_ids) == 0:
        return track_ids, matrix
    if found.matrix.shape[1] != matrix.shape[1]:
        log.info("graph model %s: %s has %d-d vectors, the model %d-d; left out", info.id,
                 INDUCTIVE_FILE, found.matrix.shape[1], matrix.shape[1])
        return track_ids, matrix
    return merge_vectors(np.asarray(track_ids, np.int64), np.asarray(matrix, np.float32), found)


def library_graph_vectors(ctx: "AppContext", info: "GraphModelInfo"
                          ) -> tuple[np.ndarray, np.ndarray]:
    """The model's vectors as every reader of the graph space gets them: those of its
    training with the inductive ones laid over (:func:`with_inductive`), less the tracks
    that left the library since (their folder was removed, :mod:`musicsage.library.forget`;
    the model's files keep them, and their ids are never given to another track)."""
    from musicsage.graph.store import load_embeddings
    from musicsage.library.db import connect
    from musicsage.library.queries import library_track_ids

    track_ids, matrix = with_inductive(info, *load_embeddings(info))
    keep = np.isin(track_ids, library_track_ids(connect(ctx)))
    return (track_ids, matrix) if keep.all() else (track_ids[keep], matrix[keep])


def merge_vectors(ids, matrix, found: InductiveVectors | None):
    """``found``'s vectors laid over ``(ids, matrix)`` (by track id; ids ascending)."""
    if found is None or len(found.track_ids) == 0:
        return ids, matrix
    keep = ~np.isin(ids, found.track_ids)
    merged_ids = np.concatenate([ids[keep], found.track_ids])
    merged = np.concatenate([matrix[keep], found.matrix])
    order = np.argsort(merged_ids, kind="stable")
    return merged_ids[order], merged[order]


_WHY_LEFT_OUT = {"missing": "its file is missing", "undecodable": "its file cannot be decoded",
                 "non-finite": "its audio gives NaN or infinite values in {model}",
                 "no audio": "it was imported from a dataset dir without audio"}


def damaged_note(ctx: "AppContext", space: str, track_ids: Sequence[int],
                 what: str = "the query track") -> str | None:
    """Why ``what`` (``track_ids``: a query, a seed, a playlist's members) has no vector in
    ``space`` when every one of them holds a damaged vector of the audio model it needs
    (graph: the current model's, which training then left out; audio: the library's) that
    no embed can mend; None otherwise. The one sentence ``similar``, ``radio``, ``suggest``
    and the window say for both spaces: they sent the user to an ``embed`` that skips such
    a track, or fails on it again."""
    from musicsage.graph.store import current_model
    from musicsage.library.damaged_vectors import beyond_reanalysis, left_out_for_damage
    from musicsage.library.db import connect
    from musicsage.audio.selection import current_model_id
    from musicsage.search.suggest import ONLY_MEMBER

    conn = connect(ctx)
    info = current_model(conn, ctx) if space == "graph" else None
    model = info.audio_model if info is not None else (
        current_model_id(ctx) if space == "audio" else None)
    ids = sorted({int(t) for t in track_ids})
    if model is None or not ids:
        return None
    kinds = beyond_reanalysis(conn, model, ids)
    if len(left_out_for_damage(conn, model, ids, kinds)) < len(ids):
        return None
    whys = sorted({_WHY_LEFT_OUT.get(kind, "").format(model=model)
                   for kind in kinds.values()} - {""})
    why = f" ({'; '.join(whys)})" if whys else ""
    if what.startswith("no ") and len(ids) == 1:  # a playlist of one, named as its other
        what = ONLY_MEMBER  # notes name it: "no member … its only member's" said it twice
    has = f"has {'an' if space == 'audio' else 'a'}" if what.startswith("no ") else "has no"
    whose = "its stored" if not what.startswith("no ") else "each member's stored"
    return (f"{what} {has} {space} embedding: {whose} {model} vector is damaged and its "
            f"audio cannot be analysed again{why}"
            f"{', so training left it out' if space == 'graph' else ''}")
