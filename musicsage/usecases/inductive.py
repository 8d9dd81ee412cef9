"""Graph vectors for tracks the current graph model never saw, computed by the saved model.

A model is trained on the library as it was; tracks scanned and embedded afterwards (or whose
file changed, so their audio vector was recomputed) would have no graph vector — or a stale
one — until the next Retrain. The encoder is inductive (:mod:`musicsage.graph.serve`): a
track's vector is a function of its audio features and its contexts (playlists, album,
artist). So after every audio embedding run, :func:`embed_new_tracks` loads the saved model
and embeds the *unseen* tracks on the graph of the library as it is now: seconds, no training.
They are embedded again when that graph changed since (a playlist or a tag: a new track that
joined a playlist after it was placed), not only when one of them is new or re-analysed.

The vectors are kept beside the model in ``inductive.npz`` and laid over the trained ones
wherever the graph space is read (:mod:`musicsage.usecases.graph_vectors`); the model's own
files are never touched, and a retrain (a new model directory) replaces them at once — that
stays the way to *learn* from new playlists (the model only places new tracks with what it
already knows).

The DB is told too (the setting :data:`SETTING`), so a window's cached search spaces, which are
re-read when the DB changes, pick the new vectors up.

**The map** is not recomputed: a new track is placed at the position of its nearest graph
neighbour among the tracks already on the map (with a small deterministic offset, so it
does not hide that neighbour; :mod:`musicsage.search.placement`, which every map change
uses) — a full re-layout would move every point the user knows. The next Retrain, or much
new music, lays the whole map out again.

A damaged, missing or old-format model, or features of another width, give a one-line
``note`` in the report; the audio vectors are already stored by then, and the graph space
simply goes on with the vectors it had. So do vectors of other analysis settings than the
model was trained on (their ``model_version``, recorded in its params as
``audio_model_version``; a model saved before that was recorded is not checked): such
features are not what it learned from, so those tracks wait for a Retrain.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from musicsage.errors import EMBED_HINT, MusicsageError
from musicsage.text import counted, noun
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.graph_vectors import (BadInductiveFile, InductiveVectors,
                                              contexts_stamp, graph_model_label,
                                              library_graph_vectors, map_directories,
                                              model_gone, read_inductive, trained_track_ids,
                                              unseen_tracks, write_inductive)

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo

log = logging.getLogger(__name__)

SETTING = "graph_inductive"
"""Settings key written with every inductive file: ``{"model_id", "tracks", "at"}``."""


@dataclass(frozen=True)
class InductiveReport:
    """One run of :func:`embed_new_tracks` (``embed --json``'s ``graph``)."""

    model_id: int | None
    unseen: int = 0
    """Tracks the model did not see in training (added or changed since)."""
    embedded: int = 0
    """Of those, how many got a vector in this run (0: they all had one already): all of them
    whenever one is due, since every vector is computed on the library's graph as it is now."""
    new_vectors: int = 0
    """Of ``embedded``, those that had no vector of their current audio before this run: the
    tracks it placed (the others it placed again; a watch line counts these only)."""
    placed: int = 0
    """New positions on the cached graph map (0 when no map was cached yet)."""
    seconds: float = 0.0
    note: str = ""
    """Why nothing (or not every unseen track) was embedded: a damaged model, vectors of
    other analysis settings …; else empty."""
    removed: bool = False
    """Whether the model was removed (``models --remove`` elsewhere) while it placed them:
    a switch to it (``models --use``) then left another model current."""

    def as_dict(self) -> dict:
        return {"model_id": self.model_id, "unseen": self.unseen, "embedded": self.embedded,
                "new_vectors": self.new_vectors, "placed": self.placed,
                "seconds": round(self.seconds, 3),
                "note": self.note or None, "removed": self.removed}


# --- the use case ----------------------------------------------------------------------------


STAGE = "graph: new tracks"
"""The progress stage of :func:`embed_new_tracks` (its reports spell it out: the window's
wording test finds stages by their literals)."""


class LibraryNotWritable(MusicsageError):
    """Graph vectors are due but the library cannot be written: a failure of the command
    (``embed`` exits non-zero, in one line), not a note, since nothing could be stored."""


@runs(Mode.PROCESS)
def embed_new_tracks(ctx: "AppContext", *, device: str | None = None, progress=None,
                     cancel=None) -> InductiveReport:
    """Graph vectors, from the saved model, for every track the current graph model did not
    see in training (see the module doc), computed on ``device`` (default: a CUDA GPU when
    torch sees one, else the CPU; as ``embed --device``). Nothing to do (no model, every
    unseen track already has its vector) costs a DB read and no torch import, and writes
    nothing (a read-only library too). A model that cannot be used is a ``note``, never an
    exception: callers run this after audio embedding, which it must not undo or hide.

    The work runs under the library's graph-vectors lock (library/lock.py), with the model
    and its unseen tracks read again once it is held: another such run (a training's, a
    terminal's ``embed``) or a ``forget`` never interleaves with it, so what it stores and
    reports is the library as it is then. Raises :class:`LibraryNotWritable` when vectors are
    due but the library cannot be written: the command fails, nothing is written."""
    from musicsage.library.db import connect
    from musicsage.library.lock import GRAPH_VECTORS, library_lock

    start = time.perf_counter()
    conn = connect(ctx)
    work = _work_to_do(ctx, conn)
    if isinstance(work, InductiveReport):
        return replace(work, seconds=time.perf_counter() - start)
    problem = ctx.writable_problem()
    if problem and not work.due:  # only vectors of forgotten tracks to drop: readers skip them
        return InductiveReport(work.info.id, unseen=work.unseen, note=work.note)
    if problem:
        raise LibraryNotWritable(
            f"{problem}, so the graph vectors of {counted(work.due, 'track')} the graph model "
            f"has not seen cannot be stored: make it writable, then embed again ({EMBED_HINT})")
    with library_lock(conn, GRAPH_VECTORS, progress=progress, cancel=cancel, stage=STAGE):
        work = _work_to_do(ctx, conn)  # again: what another run or a forget left meanwhile
        if isinstance(work, InductiveReport):
            return replace(work, seconds=time.perf_counter() - start)
        return _embed_and_store(ctx, conn, work, device, progress, cancel, start)


@dataclass(frozen=True)
class _Work:
    """The current model's unseen tracks it can place, when its inductive file does not
    hold exactly them; ``due``: how many of them have no vector of their current audio yet;
    ``unseen``: all its unseen tracks, those of other analysis settings (``note``) too;
    ``contexts``: the library's :func:`contexts_stamp` they are computed on."""

    info: "GraphModelInfo"
    ids: np.ndarray
    stamps: np.ndarray
    due: int
    unseen: int
    note: str = ""
    contexts: str = ""


def _work_to_do(ctx: "AppContext", conn) -> "_Work | InductiveReport":
    """What :func:`embed_new_tracks` has to do now, or its report when there is nothing."""
    from musicsage.graph.store import current_model

    info = current_model(conn, ctx)
    if info is None:
        return InductiveReport(None)  # nothing to do, nothing to say
    try:
        all_ids, all_stamps = unseen_tracks(conn, info)
        trained = trained_track_ids(info)
    except (ValueError, OSError) as exc:
        return InductiveReport(info.id, note=_unusable(info, exc))
    ids, stamps = _of_trained_version(conn, info, all_ids, all_stamps)
    left_out = np.setdiff1d(all_ids, ids)
    reanalysed = int(np.isin(left_out, trained).sum())  # seen in training, audio redone since
    note = _other_version_note(len(left_out) - reanalysed, reanalysed)
    unseen = len(all_ids)
    try:
        before = read_inductive(info)
    except BadInductiveFile as exc:
        log.info("graph model %s: %s; recomputing it", info.id, exc)
        before = None
    contexts = contexts_stamp(conn) if len(ids) else ""
    if _covers(before, ids, stamps, contexts):
        return InductiveReport(info.id, unseen=unseen, note=note)
    return _Work(info, ids, stamps, _due(before, ids, stamps), unseen, note, contexts)


def _of_trained_version(conn, info: "GraphModelInfo", ids: np.ndarray, stamps: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """The unseen tracks the model may place: those whose audio vector is of the version it
    was trained on (``audio_model_version``), and none while the library reads another
    version (the graph it would embed them on holds that version's features). A model saved
    before the version was recorded places them all, as it always did."""
    from musicsage.library.queries import embedding_versions, shown_version

    params = info.params if isinstance(info.params, dict) else {}
    trained = params.get("audio_model_version")
    if not isinstance(trained, str) or not len(ids):
        return ids, stamps
    if shown_version(conn, info.audio_model) != trained:
        keep = np.zeros(len(ids), dtype=bool)
    else:
        versions = embedding_versions(conn, info.audio_model)
        keep = np.array([versions.get(t) == trained for t in ids.tolist()], dtype=bool)
    return ids[keep], stamps[keep]


def _other_version_note(new: int, reanalysed: int) -> str:
    """The report's note for unseen tracks left out for their analysis settings: ``new``
    ones, which the model never saw (no graph vector until a Retrain), and ``reanalysed``
    ones it trained on, which keep the vectors training gave them from their old analysis
    (a re-analysis of the whole library is no news of new music)."""
    if not new and not reanalysed:
        return ""
    text = "the graph model was trained on other audio analysis settings: Retrain to "
    text += f"place {counted(new, 'new track')}" if new else ""
    if reanalysed:
        keeps = noun(reanalysed, "which keeps its graph vector", "which keep their graph vectors")
        text += (f"{' and ' if new else ''}update {counted(reanalysed, 're-analysed track')}, "
                 f"{keeps} from training until then")
    return text


def _embed_and_store(ctx: "AppContext", conn, work: _Work, device: str | None, progress,
                     cancel, start: float) -> InductiveReport:
    """Embed ``work``'s tracks with the saved model, store them and place them on the map."""
    from musicsage.progress import check_cancel, report

    info, ids = work.info, work.ids
    check_cancel(cancel)
    report(progress, "graph: new tracks", 0, len(ids), "loading the graph model")
    try:
        matrix = (_embed(conn, info, ids, device) if len(ids)
                  else np.zeros((0, 1), np.float32))
    except MusicsageError as exc:
        removed = _removed_note(ctx, conn, info)
        return InductiveReport(info.id, unseen=work.unseen, note=removed or _unusable(info, exc),
                               removed=removed is not None, seconds=time.perf_counter() - start)
    check_cancel(cancel)
    try:
        placed = _write_and_place(ctx, conn, info,
                                  InductiveVectors(ids, matrix, work.stamps, work.contexts))
    except FileNotFoundError:  # its folder went: `models --remove` meanwhile, or by hand
        if info.dir.is_dir():
            raise
        removed = _removed_note(ctx, conn, info)
        return InductiveReport(info.id, unseen=work.unseen, note=removed or _folder_gone(info),
                               removed=removed is not None, seconds=time.perf_counter() - start)
    report(progress, "graph: new tracks", len(ids), len(ids), "tracks placed")
    return InductiveReport(info.id, unseen=work.unseen, embedded=len(ids),
                           new_vectors=work.due, placed=placed, note=work.note,
                           seconds=time.perf_counter() - start)


def _removed_note(ctx: "AppContext", conn, info: "GraphModelInfo") -> str | None:
    """The note for a model removed while it placed new tracks, else None: a switch and a
    removal (``models --use`` then ``--remove`` in another terminal) wait for no run of this.
    Its folder went under it: the write failed with "No such file or directory" of a
    temporary file, and a model.pt gone before it was read said "retrain to rebuild it" of a
    model the user removed on purpose. Asked under the write lock, which waits for a removal
    that deleted the folder but has yet to commit the row's deletion."""
    import sqlite3

    from musicsage.errors import MusicsageError
    from musicsage.graph.store import current_model, still_registered

    try:
        if still_registered(conn, info.id):
            return None
        now = current_model(conn, ctx)
    except (sqlite3.Error, MusicsageError):  # cannot tell (a read-only library's write lock
        # is refused): the model's own failure is said
        return None
    note = (f"graph model {info.id} was removed while new tracks were being placed, so it "
            "placed none")
    if now is not None:
        note += f": graph model {now.id}, the current one, places them ({EMBED_HINT})"
    return note


def _folder_gone(info: "GraphModelInfo") -> str:
    """The note for a model whose folder went while its row stayed (deleted by hand)."""
    return (f"graph model {info.id}'s folder {info.dir} is gone, so nothing was stored for "
            "it; retrain to rebuild it")


def _unusable(info: "GraphModelInfo", exc: BaseException) -> str:
    """The note's one piece of advice is its ending: the loader's own ("…: retrain it (Retrain
    in the window, or musicsage train)") is left out of the bracket, which said it twice."""
    from musicsage.errors import TRAIN_HINT, first_line

    problem = first_line(exc)
    advice = f"retrain it ({TRAIN_HINT})"
    if problem.endswith(advice):
        problem = problem.removesuffix(advice).rstrip(" :;,")
    return (f"new tracks get no graph vectors: the graph model (model {info.id}) cannot be "
            f"used ({problem}); retrain to rebuild it")


def _due(found: InductiveVectors | None, ids: np.ndarray, stamps: np.ndarray) -> int:
    """How many of the unseen tracks ``found`` holds no vector of their current audio for."""
    if found is None:
        return len(ids)
    held = set(zip(found.track_ids.tolist(), found.stamps.astype(str).tolist()))
    return sum((t, s) not in held for t, s in zip(ids.tolist(), stamps.astype(str).tolist()))


def _covers(found: InductiveVectors | None, ids: np.ndarray, stamps: np.ndarray,
            contexts: str) -> bool:
    """Whether ``found`` holds exactly these unseen tracks, from these audio vectors, computed
    on the library's playlists and tags as they are now (``contexts``)."""
    if found is None:
        return len(ids) == 0
    if len(found.track_ids) != len(ids) or (len(ids) and found.contexts != contexts):
        return False
    order = np.argsort(found.track_ids)
    return (np.array_equal(found.track_ids[order], ids)
            and np.array_equal(found.stamps[order].astype(str), stamps.astype(str)))


def _embed(conn, info: "GraphModelInfo", ids: np.ndarray, device: str | None = None
           ) -> np.ndarray:
    """Unit vectors of ``ids`` from the saved model ``info`` on the library's graph as it is
    now. ``info``'s own checkpoint, not whichever model is current by now: a switch (``models
    --use``, a training saving its model) does not wait for the graph-vectors lock, and the
    vectors are checked against and written beside ``info``; another model's would stick
    there (:func:`_covers` keeps a file that holds the right tracks)."""
    from musicsage.graph.data import GraphData
    from musicsage.graph.serve import SavedModel
    from musicsage.graph.store import load_embeddings

    model = SavedModel.load(info.checkpoint_path, audio_model=info.audio_model, device=device,
                            fingerprint=info.fingerprint)
    data = GraphData.from_library(conn, info.audio_model)
    matrix = np.asarray(model.embed(data, ids.tolist()), np.float32)
    width = load_embeddings(info)[1].shape[1]
    if matrix.shape != (len(ids), width) or not np.isfinite(matrix).all():
        raise MusicsageError(f"it gave {matrix.shape} vectors with non-finite values or "
                             f"another width than its own {width}")
    return matrix


def _write_and_place(ctx: "AppContext", conn, info: "GraphModelInfo", after: InductiveVectors
                     ) -> int:
    """Store ``after``, tell the DB, and extend the saved graph map (if any); returns the
    number of tracks placed on it."""
    from musicsage.library.db import transaction
    from musicsage.library.queries import set_setting

    write_inductive(info, after)
    with transaction(conn):
        set_setting(conn, SETTING, {"model_id": info.id, "tracks": int(len(after.track_ids)),
                                    "at": time.time()})
    try:  # the vectors as the graph space reads them, so the map saved is the one it shows
        return place_on_map(ctx, info, library_graph_vectors(ctx, info))
    except (OSError, ValueError) as exc:  # a map cache that cannot be read or written
        log.info("graph map not extended (%s): it is recomputed when next shown", exc)
        return 0


# --- the map ---------------------------------------------------------------------------------


def place_on_map(ctx: "AppContext", info: "GraphModelInfo", vectors) -> int:
    """Save the graph map of these vectors made from the saved one: every track keeps its
    position; a track that is new, or whose vector changed, goes to its nearest graph
    neighbour's position, moved just far enough not to hide it
    (:mod:`musicsage.search.placement`). Returns how many were placed; 0 (nothing saved)
    when no map can be extended (none saved, or a full layout is due), and while a layout
    holds the map's lock (a ``map`` run, the window's map): nothing is placed then — the
    next load of the map places these tracks on the layout that run saves. Nothing either
    for a model removed meanwhile (its map folder is not made again)."""
    from musicsage.search.fingerprint import embedding_fingerprint
    from musicsage.search.projection import extend_saved_map

    label = graph_model_label(info)
    ids, matrix = vectors
    res = extend_saved_map(map_directories(ctx, "graph", label), track_ids=ids, matrix=matrix,
                           fingerprint=embedding_fingerprint(ids, matrix, label), model_id=label,
                           gone=model_gone(ctx, label))
    return 0 if res is None else res.placed
