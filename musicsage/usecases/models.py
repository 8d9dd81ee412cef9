"""A library's graph models: list them, go back to an earlier one, remove old ones.

Every Retrain registers a new model and makes it current (:mod:`musicsage.graph.store`); the
older ones stay on disk. A new model can score worse than the one it replaced, so the user
needs a way back (``models --use ID``, Analyse ▸ Graph model) and a way to clear out old
model folders (``models --remove ID``). Both front ends call these functions.

What hangs off the current model follows a switch by itself: the graph space's vectors,
neighbour index and map are keyed by the fingerprint of the vectors *and* the model's label
(:class:`~musicsage.usecases.spaces.SearchSpaces`, :mod:`musicsage.search.projection`), so a
switch never serves another model's index or map. The index is rebuilt on first use (seconds);
the map is kept per model (:mod:`musicsage.search.model_maps`), so going back to a model shows
the map it had, at once and of the same shape — only a model never mapped is laid out. The
inductive vectors live in each model's own folder; a model made
current again first embeds the tracks it never saw that it has no vector for yet
(:func:`~musicsage.usecases.inductive.embed_new_tracks`), so new music is in its lists too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from musicsage.errors import TRAIN_HINT, MusicsageError
from musicsage.graph.saved_numbers import graph_figure
from musicsage.text import counted
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.model_metrics import (  # noqa: F401  names kept here
    LEARNED, LEARNED_NOTHING, _pairs, _too_few, few_pairs, learned_nothing_saved, older_protocol)

if TYPE_CHECKING:
    from pathlib import Path

    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo
    from musicsage.usecases.inductive import InductiveReport

log = logging.getLogger(__name__)
UNREADABLE_START = "model.pt cannot be read"  # files_problem's start when no damage is the cause
DAMAGED_START = "model.pt is damaged"  # its start for model.pt's damage (said once, kept_model)
NEXT_MODEL = "; train another (`musicsage train`) or use another (`musicsage models --use ID`)"
READABLE = "; make {path} readable (or use another: `musicsage models --use ID`)"  # no retrain


@dataclass(frozen=True)
class GraphModelRow:
    """One model as ``models`` lists it (``to_dict()``: one element of ``models --json``)."""

    id: int
    created_at: str
    audio_model: str
    contexts: tuple[str, ...]
    hr10: float | None
    """The graph HR@10 its training measured on held-out pairs (None: not measured)."""
    mrr: float | None
    tracks: int | None
    """Tracks it was trained with (None: not recorded)."""
    is_current: bool
    problem: str | None  # why it cannot be used (files missing, damaged), or a removal's note
    dir: str
    removal: str | None = None
    """What a removal did with its folder ("removed", "kept" for another model, "missing":
    gone already): the ``status`` of ``models --remove --json``, where "damaged" was wrong
    for a whole model whose folder another model uses. None: a listed model."""
    kept_for: tuple[int, ...] = ()
    """The models whose rows name the folder a removal kept (``removal`` "kept"): what
    :func:`folder_fate` names, so no front end has to read them back out of ``problem``."""
    kept_by: str | None = None
    pairs: int | None = None
    """The held-out pairs ``hr10`` and ``mrr`` were measured on (None: not recorded)."""
    older_protocol: bool = False
    """Whether ``hr10`` and ``mrr`` were measured by an earlier evaluation protocol
    (:func:`older_protocol`): other figures than today's models get, not to be compared."""
    learned: bool = True
    """False for a model known to have learned nothing (:func:`learned_nothing_saved`: it
    kept its untrained weights): ``hr10`` and ``mrr`` were measured on those weights, and
    "1.000" shown for them read as a model that works, while ``stats`` said it learned
    nothing."""

    @property
    def usable(self) -> bool:
        return self.problem is None

    @property
    def few_pairs(self) -> bool:
        """Whether its figures rest on too few pairs to mean much (what ``eval`` notes)."""
        return self.hr10 is not None and _too_few(self.pairs)

    def label(self) -> str:
        """How a menu names it: "2026-12-02 12:08 · spectral · HR@10 0.123" ("HR@10 1.000
        on only 2 pairs" where too few pairs were held out to mean much, "HR@10 0.912 by an
        older evaluation" where :attr:`older_protocol`; "learned nothing" in place of the
        HR@10 of a model that did not learn, :attr:`learned`)."""
        return f"{self.created_at[:16].replace('T', ' ')} · {self.audio_model} · {self._hr()}"

    def _hr(self) -> str:
        """:meth:`label`'s last part: its HR@10, or that it learned nothing."""
        if not self.learned:
            return LEARNED_NOTHING
        hr = "HR@10 –" if self.hr10 is None else f"HR@10 {self.hr10:.3f}"
        if self.few_pairs:
            hr += f" on only {counted(int(self.pairs or 0), 'pair')}"
        if self.older_protocol and self.hr10 is not None:
            hr += " by an older evaluation"
        return hr

    def to_dict(self) -> dict:
        return {"id": self.id, "created_at": self.created_at, "audio_model": self.audio_model,
                "contexts": list(self.contexts), "hr@10": self.hr10, "mrr": self.mrr,
                "tracks": self.tracks, "is_current": self.is_current,
                "status": self.removal or ("ok" if self.problem is None else "damaged"),
                "problem": self.problem, "dir": self.dir, "pairs": self.pairs,
                "older_protocol": self.older_protocol, "learned": self.learned}


@dataclass(frozen=True)
class ModelSwitch:
    """What :func:`use_graph_model` did (``models --use ID --json``)."""

    model: GraphModelRow
    previous: int | None
    """The model that was current before (None: none)."""
    inductive: "InductiveReport | None"
    """The vectors it computed for tracks it never saw (None: it was current already)."""
    now: int | None = None
    """The model current after it: another one when ``model`` was removed meanwhile."""

    @property
    def changed(self) -> bool:
        return self.previous != self.model.id

    def removed_meanwhile(self) -> str | None:
        """The line that replaces "… is now current" when the model was removed (another
        terminal's ``models --use`` then ``--remove``) while it placed new tracks, else
        None: the switch was made and undone, and said the model was current."""
        if self.inductive is None or not self.inductive.removed:
            return None
        now = (f"graph model {self.now} is current" if self.now is not None
               else "no graph model is current")
        return f"graph model {self.model.id} was made current, then removed meanwhile; {now}"

    def to_dict(self) -> dict:
        return {"model": self.model.to_dict(), "previous": self.previous, "changed": self.changed,
                "now": self.now, "removed_meanwhile": self.removed_meanwhile() is not None,
                "graph": self.inductive.as_dict() if self.inductive is not None else None}


def files_problem(info: "GraphModelInfo", *, deep: bool = False) -> str | None:
    """Why the model's files cannot be used, or None: the vectors' headers, and every byte of
    model.pt against its checksums (read again only once it changed: archive_problem_once).
    ``deep``: the vectors are read and checked too (NaN/inf, duplicate ids), model.pt loaded."""
    from musicsage.errors import first_line
    from musicsage.graph.checkpoint_archive import (CheckpointDamaged, CheckpointUnreadable,
                                                    archive_problem_once)
    from musicsage.search.vector_files import BadVectorFile, npy_shape, vectors_problem

    if not info.dir.is_dir():
        return "its folder is missing"
    try:  # vectors first: damage_effect says a model.pt problem leaves them giving the lists
        rows = npy_shape(info.dir / "embeddings.npy", ndim=2, kind="f")[0]
        n_ids = npy_shape(info.dir / "track_ids.npy", ndim=1, kind="i")[0]
        if rows != n_ids:
            return f"embeddings.npy has {rows} vectors for {n_ids} track ids"
        if not info.checkpoint_path.is_file() or info.checkpoint_path.stat().st_size == 0:
            return f"model.pt is {'empty' if info.checkpoint_path.is_file() else 'missing'}"
        if not deep and (damage := archive_problem_once(info.checkpoint_path, info.fingerprint)):
            return _damaged(damage)  # deep loads it, below
        if deep:
            from musicsage.graph.checkpoint import load_checkpoint
            from musicsage.graph.store import load_embeddings
            problem = vectors_problem(*load_embeddings(info))
            if problem is None:  # a truncated model.pt failed later, embedding new tracks
                try:
                    load_checkpoint(info.checkpoint_path, fingerprint=info.fingerprint)
                except CheckpointDamaged as exc:  # its damage said, as the listing says it
                    return _damaged(exc.reason)
                except CheckpointUnreadable:
                    raise  # no damage: said below, as the listing says it
                except MusicsageError as exc:  # not whole for another reason (newer version…)
                    return first_line(exc)
            return problem
    except BadVectorFile as exc:
        return str(exc)
    except CheckpointUnreadable as exc:  # no damage: retraining would not mend it
        return f"{UNREADABLE_START}: {exc.reason}"
    except (MusicsageError, OSError, ValueError, EOFError) as exc:  # checked, yet unreadable
        return f"its files cannot be read ({type(exc).__name__})"
    return None


def _damaged(damage: str) -> str:
    """``files_problem``'s line for model.pt's damage (:func:`archive_problem_once`)."""
    from musicsage.graph.checkpoint_archive import CUT_SHORT
    return (f"{DAMAGED_START} (cut short?)" if damage == CUT_SHORT
            else f"{DAMAGED_START}: {damage.removeprefix('it ')}")


def _row(info: "GraphModelInfo", problem: str | None, removal: str | None = None,
         kept_for: tuple[int, ...] = ()) -> GraphModelRow:
    tracks = info.params.get("tracks") if isinstance(info.params, dict) else None
    contexts = info.params.get("contexts") if isinstance(info.params, dict) else None
    return GraphModelRow(
        id=info.id, created_at=info.created_at, audio_model=info.audio_model,
        contexts=tuple(str(c) for c in contexts) if isinstance(contexts, list) else (),
        hr10=graph_figure(info.metrics, "hr@10"), mrr=graph_figure(info.metrics, "mrr"),
        tracks=int(tracks) if isinstance(tracks, int) else None,
        is_current=info.is_current, problem=problem, dir=str(info.dir), removal=removal,
        kept_for=kept_for, pairs=_pairs(info.metrics),
        older_protocol=older_protocol(info.metrics), learned=not learned_nothing_saved(info))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def list_graph_models(ctx: "AppContext") -> list[GraphModelRow]:
    """Every graph model of the library, oldest first, each with whether its files are whole
    (:func:`files_problem`: the vectors' headers, every byte of model.pt once per change)."""
    from musicsage.graph.store import list_models
    from musicsage.library.db import connect

    return [_row(info, files_problem(info)) for info in list_models(connect(ctx), ctx)]


def current_model_problem(ctx: "AppContext") -> str | None:
    """Why the current graph model's files cannot be used — ``models``' check, DAMAGED or
    UNREADABLE there — or None (no model, or its files are fine). For ``stats``, which showed
    a damaged model with its HR@10 as if it were in use while every search fell to audio."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    info = current_model(connect(ctx), ctx)
    return None if info is None else files_problem(info)


def current_model_learned(ctx: "AppContext") -> bool | None:
    """Whether the current graph model learned anything — False: it kept its untrained
    weights (:func:`learned_nothing_saved`) — or None without a model: ``stats --json``'s
    ``learned``, beside the metrics measured on those weights ("hr@10": 1.0), which read as
    a model that works while ``stats`` says it learned nothing."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    info = current_model(connect(ctx), ctx)
    return None if info is None else not learned_nothing_saved(info)


def _refusal(conn, info: "GraphModelInfo") -> str | None:
    """Why ``info`` cannot be made current, with what to do instead, or None: a model.pt the
    user may not read, made readable; else another model, trained or used (the load's "retrain
    it" is cut: model N cannot be retrained, a run makes a new one; a damage alone said none)."""
    from musicsage.library.queries import embedding_counts

    problem = files_problem(info, deep=True)
    if problem is not None:
        way_out = (READABLE.format(path=info.checkpoint_path)
                   if problem.startswith(UNREADABLE_START) else NEXT_MODEL)
        problem = problem.split(f" retrain it ({TRAIN_HINT})", 1)[0].rstrip(":;")
        return f"graph model {info.id} is unusable: {problem}{way_out}"
    if not embedding_counts(conn).get(info.audio_model):
        return (f"graph model {info.id} was trained on {info.audio_model} audio vectors, and "
                "the library has none any more (embed them again with `musicsage embed "
                f"--model {info.audio_model}`)")
    return None


@runs(Mode.PROCESS)
def use_graph_model(ctx: "AppContext", model_id: int, *, progress=None,
                    cancel=None) -> ModelSwitch:
    """Make graph model ``model_id`` the current one (one transaction), then give it vectors
    for the tracks it never saw (see the module doc). Refused, with one line and nothing
    changed: an unknown id, a model whose files are missing or damaged, one whose audio model
    has no vectors in the library any more, and any switch while a training of the library
    runs (its end would make its own model current)."""
    from musicsage.graph.store import current_model, set_current
    from musicsage.library.db import connect
    from musicsage.library.lock import no_training_running
    from musicsage.usecases.inductive import embed_new_tracks

    conn = connect(ctx)

    def check(info: "GraphModelInfo") -> None:
        if (why := _refusal(conn, info)) is not None:
            raise MusicsageError(why)

    before = current_model(conn, ctx)
    with no_training_running(conn, "switch models"):
        info = set_current(conn, ctx, model_id, check)
    inductive = (embed_new_tracks(ctx, progress=progress, cancel=cancel)
                 if before is None or before.id != info.id else None)
    now = current_model(conn, ctx) if inductive is not None and inductive.removed else info
    return ModelSwitch(_row(info, None), before.id if before is not None else None, inductive,
                       now.id if now is not None else None)


def stopped_switch_text(before: int | None, now: int | None) -> str:
    """What a switch of models stopped part way leaves current (``before``: the current
    model's id when it began, ``now``: after the stop). The switch is one transaction, made
    before the new tracks are placed: once made, the tracks the model never saw wait for an
    ``embed``, which places them in seconds."""
    if now is None:
        return "no graph model is current (the library has none yet)"
    if now == before:
        return f"model {now} stays current"
    return (f"model {now} is now current; run `musicsage embed` to place the tracks it "
            "never saw")


@runs(Mode.THREAD, progress=False, cancel=False)
def remove_graph_model(ctx: "AppContext", model_id: int) -> GraphModelRow:
    """Delete a graph model that is not the current one: its row and its folder — only a
    folder this app made, holding only the files it writes there
    (:func:`musicsage.graph.store.foreign_content`); anything else is refused, nothing
    deleted. A folder another model's row names too (a hand-edited or restored database) is
    kept for it: only the row goes. Its saved map goes too, with any of a model no longer in
    the library: maps are kept only for models that exist
    (:func:`~musicsage.search.model_maps.prune_model_maps`); refused while its map is laid
    out (the window's map, a ``map`` run). Returns the model as it was (``problem``: folder
    gone already, kept for another, or left part-deleted; ``removal``: "removed", "kept", …)."""
    from musicsage.graph.store import list_models, remove_model
    from musicsage.library.db import connect
    from musicsage.search.model_maps import model_maps_unused, prune_model_maps
    from musicsage.usecases.graph_vectors import (INDUCTIVE_FILE, graph_model_label,
                                                  space_directory, spare_space_directory)

    conn = connect(ctx)
    had_folder = any(m.id == model_id and m.dir.is_dir() for m in list_models(conn, ctx))
    space, spare = space_directory(ctx, "graph"), spare_space_directory(ctx, "graph")
    with model_maps_unused(space, spare, int(model_id)) as maps:  # else refused
        info, sharing, maker, left = remove_model(conn, ctx, model_id,
                                                  also=frozenset({INDUCTIVE_FILE}))
        keep = {graph_model_label(m) for m in list_models(conn, ctx)}
        try:  # its map too, its lock held: a layout waiting on it is told the model went
            prune_model_maps(space, spare, keep, locked=maps)
        except (OSError, MusicsageError) as exc:  # the model is gone (another user's map lock)
            log.warning("could not delete the map of graph model %s: %s", model_id, exc)
    if maker is not None:
        row = replace(_row(info, None, "kept"), kept_by=maker)
        return replace(row, problem=folder_fate(row))
    if had_folder and not sharing:
        return _row(info, left, "removed")  # left: a note on its folder, part-deleted
    row = _row(info, None, "kept", tuple(sharing)) if sharing else _row(info, None, "missing")
    return replace(row, problem=folder_fate(row))


def folder_fate(row: GraphModelRow, whose: str = "its") -> str | None:
    """What a removal did with a model's folder when that is not simply "deleted", in the
    words ``models --remove`` and the window both print: "its folder is kept: graph model 4
    uses it too", "its folder was already gone" (``whose``: "model 3's" in the window's list
    of several). None for a folder deleted, or a model not removed."""
    if row.removal == "kept" and row.kept_by:
        return f"{whose} folder is kept: another library made it ({row.kept_by})"
    if row.removal == "kept":
        return f"{whose} folder is kept: {_users(list(row.kept_for))} it too"
    if row.removal == "missing":
        return f"{whose} folder was already gone"
    return None


def _users(ids: list[int]) -> str:
    """Who uses a kept folder: "graph model 4 uses", "graph models 4, 5 use"."""
    return (f"graph model {ids[0]} uses" if len(ids) == 1
            else "graph models " + ", ".join(str(i) for i in ids) + " use")


@dataclass(frozen=True)
class ModelRemoval:
    """What :func:`remove_graph_models` did: the models deleted, and those refused, with why
    (a model made current meanwhile, a folder holding files the app did not write)."""

    removed: tuple[GraphModelRow, ...]
    refused: tuple[tuple[int, str], ...]
    freed: int  # bytes the deleted folders held (measured just before each was deleted)


def folder_bytes(path: str) -> int:
    """What a model's folder holds on disk (a handful of files: cheap enough to measure when
    a confirmation names it); 0 for a folder that is gone or unreadable."""
    from pathlib import Path

    total = 0
    try:
        for entry in Path(path).rglob("*"):
            if entry.is_file() and not entry.is_symlink():
                total += entry.stat().st_size
    except OSError:
        pass
    return total


@runs(Mode.THREAD, progress=False, cancel=False)
def remove_graph_models(ctx: "AppContext", model_ids: list[int]) -> ModelRemoval:
    """:func:`remove_graph_model` for each of ``model_ids`` (the window's "Remove older
    models…", which names them in its confirmation). Each is refused on its own, as
    ``models --remove`` refuses it, without keeping the others from going: the current model
    is never deleted, even one made current after the user confirmed."""
    removed: list[GraphModelRow] = []
    refused: list[tuple[int, str]] = []
    freed = 0
    dirs = {m.id: m.dir for m in list_graph_models(ctx)}
    for model_id in model_ids:
        size = folder_bytes(dirs[model_id]) if model_id in dirs else 0
        try:
            removed.append(remove_graph_model(ctx, int(model_id)))
        except (MusicsageError, OSError) as exc:  # an OSError: the row stays (damaged)
            refused.append((int(model_id), str(exc)))
            continue
        if model_id in dirs and removed[-1].problem is None:
            freed += size  # a folder kept for another model, or left part-deleted: not freed
    return ModelRemoval(tuple(removed), tuple(refused), freed)
