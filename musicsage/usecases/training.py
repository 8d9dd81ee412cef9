"""Graph-model use cases (audio vectors + contexts → graph model): train, evaluate, read.

Only calls into :mod:`musicsage.graph` (``jobs`` orchestrates a run, ``store`` keeps the
models of a library): the training loop, objectives and the evaluation protocol live there
(docs/model.md, docs/protocol.md). What is added here is the library side: which audio
model to train on, and saving a trained model so that it becomes the current one.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Iterator

from musicsage.errors import MusicsageError
from musicsage.graph.reports import TrainReport
from musicsage.usecases.embedding import LIBRARY_HAS_NO_TRACKS, TrackVectors, current_audio_model_id
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.training_reach import require_trainable

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.data import GraphData
    from musicsage.graph.store import GraphModelInfo
    from musicsage.graph.train import TrainResult
    from musicsage.usecases.kept_model import CurrentAfterRun


@dataclass
class LibraryTrainReport(TrainReport):
    """:func:`train_graph`'s report: the run's, and what of the library it could not use
    (a light class, as :class:`TrainReport`: the window unpickles it)."""

    no_audio_vector: int = 0
    """Present tracks with a file but no vector of the audio model (and version) trained on:
    left out of the graph. A training run while ``embed`` had done only part of the library
    trained on the few tracks done, and said nothing of the rest."""
    kept_current: int | None = None
    """The id of the model that stayed current because this run learned nothing (None: this
    run's model is current): a tiny library's untrained model replaced one that had learned."""
    replaced_damaged: tuple[int, str] | None = None
    """Of a run that learned nothing and is current all the same: the model it replaced, whose
    files are damaged, and why (:class:`~musicsage.usecases.kept_model.CurrentAfterRun`)."""


@runs(Mode.PROCESS)
def train_graph(ctx: "AppContext", *, objective=None, contexts=None, audio_model=None,
                holdout=None, seed=0, max_steps=None, pretrain=None, options=None,
                device=None, progress=None, cancel=None) -> "TrainReport":
    """Train the graph model on the library; the new model becomes the current one — unless
    it learned nothing (``report.learned`` False) and another model is current: that one
    stays current (``kept_current``), the new one is stored all the same (``models --use``).

    Trains on a seeded split (``holdout``, default 10% of memberships) so the report carries
    honest metrics (graph vs audio-only), then embeds every track on the graph of ALL
    memberships and saves model + embeddings; tracks embedded while it trained then get
    vectors from the saved model. Cancelled or failed: nothing is saved and the
    previous model stays current. Another training of the library that is running is
    waited for first (one progress report says so). Progress extra: step, loss, val_hr10,
    mean_cos. The report counts the tracks left out for want of an audio vector.
    ``options``: any other training option ({name: value}, see ``--set``). ``device``: where
    the model trains (None/'auto': a CUDA GPU when torch sees one, else the CPU; 'cuda' when
    there is none is refused before anything is read); the report and the stored model's
    parameters say which.
    """
    device, audio_model, conn = _start_up(ctx, device, audio_model, cancel)
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import make_config, train_and_evaluate, train_report
    from musicsage.graph.split import DEFAULT_HOLDOUT
    from musicsage.graph.store import check_models_dir, remove_orphan_dirs
    from musicsage.library.queries import (count_tracks_needing_embedding, database_now,
                                           shown_version)
    from musicsage.processes import killable
    from musicsage.progress import check_cancel

    with _training_locks(conn, progress, cancel) as saved:
        check_models_dir(ctx)
        remove_orphan_dirs(conn, ctx)  # left by a training that was killed, not cancelled
        with killable(cancel):  # reads and training (the locks: flocks, dropped with it)
            read_at = database_now(conn)  # vectors (re)computed from now on: not trained on
            audio_version = shown_version(conn, audio_model)  # the one version trained on
            data = GraphData.from_library(conn, audio_model, audio_version=audio_version)
            left_out = count_tracks_needing_embedding(conn, audio_model,
                                                      str(audio_version))[0]
            holdout = DEFAULT_HOLDOUT if holdout is None else holdout
            config = make_config(objective=objective, seed=seed, max_steps=max_steps,
                                 pretrain=pretrain, options=options)
            require_trainable(ctx, conn, data, config)  # what the library lacks, said so
            result, metrics, _ = train_and_evaluate(data, contexts=contexts, config=config,
                                                    holdout=holdout, progress=progress,
                                                    cancel=cancel, device=device)
        check_cancel(cancel)
        after = _kept_current(conn, ctx, result)
        kept = after.kept
        model_id, model_dir = _save_current_model(ctx, result, data, audio_model, metrics,
                                                  holdout, cancel, read_at=read_at,
                                                  audio_version=audio_version, kept=kept)
        saved.append(SavedModel(model_id, kept))
    _vectors_for_tracks_embedded_meanwhile(ctx, device, progress, saved[0])
    report = train_report(result, metrics, data, model_id=model_id, out_dir=str(model_dir),
                          audio_model=audio_model)
    return LibraryTrainReport(**{f.name: getattr(report, f.name) for f in fields(report)},
                              no_audio_vector=left_out, kept_current=kept,
                              replaced_damaged=after.replaced_damaged)


def kept_current_text(kept: int, model_id: int | None, why: str | None = None) -> str:
    """What the train line and the window say of a run that learned nothing and so left the
    model before it current. ``why``: the reason, said in the line where no note of the run
    is shown (the window's table and notes are then the kept model's); else "see the note"."""
    said = "(see the note);" if why is None else f"— {why}."
    return (f"kept model {kept} current: this run learned nothing {said} "
            f"`musicsage models --use {model_id}` makes it current anyway")


def current_model_id(ctx: "AppContext") -> int | None:
    """The current graph model's id (a DB read: no files checked), None before the first."""
    from musicsage.library.db import connect
    from musicsage.library.queries import current_graph_model_row

    row = current_graph_model_row(connect(ctx))
    return None if row is None else int(row["id"])


@dataclass(frozen=True)
class SavedModel:
    """What a training stopped after its saving had saved (on the ``KeyboardInterrupt`` that
    stopped it, as ``saved_model``): the stop's message is built from it, not guessed from
    which model is current before and after — another training that ended meanwhile made its
    model current, and a run that learned nothing is saved without becoming current."""

    model_id: int
    kept_current: int | None
    """The model that stayed current because this one learned nothing (None: it is current)."""


@contextmanager
def _training_locks(conn, progress, cancel) -> Iterator[list[SavedModel]]:
    """The training's locks, held for the block; it yields a list the run puts its model in
    once saved: a stop after that — while the locks are released — carries it as
    ``saved_model``. The stop said "nothing of this run was saved" of a model saved, and
    current."""
    from musicsage.library.lock import library_lock, training_lock

    saved: list[SavedModel] = []
    try:
        # one training of a library at a time: a second one waits for the first (saying so,
        # cancellable) instead of halving its speed and replacing its model when it ends
        with library_lock(conn, "training", progress=progress, cancel=cancel, stage="train"), \
                training_lock(conn):  # `models --use` refuses while it is held
            yield saved
    except KeyboardInterrupt as stop:
        if saved and getattr(stop, "saved_model", None) is None:
            stop.saved_model = saved[-1]
        raise


def stopped_training_text(saved: SavedModel | None, now: int | None) -> str:
    """What a training stopped part way leaves current (``saved``: what it had saved before
    the stop, from the stop's ``saved_model``; ``now``: the current model's id after it
    stopped). It saves its model only at the end, so a stop almost always saves nothing."""
    if saved is not None and saved.kept_current is None:
        return f"the new model {saved.model_id} was saved before the stop and is current"
    if saved is not None:
        return (f"the new model {saved.model_id} was saved before the stop, but model {now} "
                f"stays current (this run learned nothing; `musicsage models --use "
                f"{saved.model_id}` makes it current anyway)")
    if now is None:
        return "no graph model was saved (the library has none yet)"
    return f"model {now} stays current (nothing of this run was saved)"


def _kept_current(conn, ctx: "AppContext", result: "TrainResult") -> "CurrentAfterRun":
    """Whether the current model stays current because this run learned nothing (its list
    would equal the audio one's), or which damaged one the new model replaces all the same
    (:func:`~musicsage.usecases.kept_model.model_kept_current`)."""
    from musicsage.usecases.kept_model import model_kept_current

    return model_kept_current(conn, ctx, result)


def _start_up(ctx: "AppContext", device: str | None, audio_model: str | None, cancel):
    """The device, the audio model to train on and a connection, after torch and dgl are
    imported (seconds): all but the saving writes nothing, so a Cancel ends the training's
    process at once (:func:`~musicsage.processes.killable`) — it waited for the first
    training step, ~10 s after Retrain on two cores."""
    from musicsage.processes import killable

    with killable(cancel):
        import musicsage.graph.jobs  # noqa: F401 - torch and dgl
        from musicsage.audio.device import resolve_device
        from musicsage.library.db import connect

        device = resolve_device(device)
        return device, _graph_audio_model(ctx, audio_model), connect(ctx)


def _new_model_dir(ctx: "AppContext", audio_model: str):
    """The new model's folder. One that cannot be made (a full disk) fails the training in
    one line naming the folder and the model that stays current: after a whole training, a
    bare "No space left on device" left the user unsure what the library now uses."""
    from musicsage.graph.store import new_model_dir

    try:
        return new_model_dir(ctx, audio_model)
    except MusicsageError as exc:
        raise _with_current(ctx, exc) from None


def _with_current(ctx: "AppContext", exc: Exception, cls: type = MusicsageError) -> Exception:
    """``exc``'s line and which model stays current, for a new model that could not be saved:
    the bare reason left the user unsure what the library now uses."""
    return cls(f"{exc}; {stopped_training_text(None, current_model_id(ctx))}")


def _save_current_model(ctx: "AppContext", result: "TrainResult", data: "GraphData",
                        audio_model: str, metrics: dict | None, holdout: float, cancel,
                        *, read_at: str, audio_version: str | None,
                        kept: int | None = None):
    """Embed every track with all memberships, write the model's files and register it as
    current (not when ``kept``, the model :func:`_kept_current` keeps current); a cancel or
    failure on the way removes the half-written directory, unless its row was committed
    (a Ctrl-C then carries what was saved as ``saved_model``, as below). ``read_at``
    (the DB's clock before training read the library) goes in its params as
    ``library_read_at``: a track re-analysed after it is one the model did not see
    (:func:`~musicsage.usecases.graph_vectors.unseen_tracks`). ``audio_version`` (the
    ``model_version`` of the audio vectors it trained on) goes in as ``audio_model_version``:
    vectors of other analysis settings are not what it learned from, so new tracks are
    placed with it only from vectors of that version (:mod:`musicsage.usecases.inductive`)."""
    from musicsage.graph.checkpoint import save_checkpoint
    from musicsage.graph.curves import TrainingCurves
    from musicsage.graph.jobs import embed_on_all_memberships, learned_nothing, used_contexts
    from musicsage.graph.models_dir import NotSaved, model_writes
    from musicsage.graph.store import discard_dir, register_model, write_embeddings
    from musicsage.library.db import connect
    from musicsage.progress import check_cancel
    from musicsage.usecases.models import LEARNED

    model_dir = _new_model_dir(ctx, audio_model)
    conn = None  # until register_model is called: no row can name model_dir
    try:
        vectors = embed_on_all_memberships(result, data)
        with model_writes(model_dir, ctx.db_path):  # a full disk here: NotSaved
            write_embeddings(model_dir, data.track_ids, vectors)
            save_checkpoint(model_dir / "model.pt", result, data)
        check_cancel(cancel)
        params = {"contexts": used_contexts(result, data), "holdout": holdout,
                  "config": result.config.to_dict(), "tracks": data.n_tracks,
                  "memberships": int(len(data.memberships)), "device": result.device,
                  "library_read_at": read_at, "audio_model_version": audio_version,
                  LEARNED: not learned_nothing(result),  # what _kept_current reads later
                  "curves": TrainingCurves.from_run(result.curve, result.history,
                                                    result.best_step).to_params()}
        conn = connect(ctx)
        with model_writes(model_dir, ctx.db_path):
            model_id = register_model(conn, ctx, model_dir, name=f"pinsage-{audio_model}",
                                      audio_model=audio_model, params=params,
                                      metrics=metrics or {}, fingerprint=data.fingerprint(),
                                      make_current=kept is None)
    except BaseException as stop:
        saved = discard_dir(model_dir, conn, ctx)  # kept once its row is committed
        if saved is not None and isinstance(stop, KeyboardInterrupt):
            stop.saved_model = SavedModel(saved, kept)
        if isinstance(stop, NotSaved) and not model_dir.exists():  # else: some of it is kept
            raise _with_current(ctx, stop, NotSaved) from None
        raise
    return model_id, model_dir


def _vectors_for_tracks_embedded_meanwhile(ctx: "AppContext", device: str, progress,
                                           saved: SavedModel) -> None:
    """Graph vectors, from the model just saved, for the tracks embedded while it trained
    (after it read the library): an ``embed`` that ran meanwhile gave them vectors of the
    model current then, and nothing else would give them this one's until the next
    ``embed``. Usually nothing to do (a DB read). Not cancellable and never a failure of the
    training, whose model is saved: a problem is logged in one line, and the next ``embed``
    tries again (:func:`~musicsage.usecases.inductive.embed_new_tracks`). A Ctrl-C here
    carries ``saved`` (what was saved) as ``saved_model``, for the stop's message."""
    import logging

    from musicsage.errors import first_line
    from musicsage.usecases.embedding import graph_vectors_for_new_tracks

    try:
        note = graph_vectors_for_new_tracks(ctx, progress, device=device).note
    except MusicsageError as exc:  # the library cannot be written any more
        note = first_line(exc)
    except KeyboardInterrupt as stop:  # the model is saved: the stop's message must say so
        stop.saved_model = saved
        raise
    if note:
        logging.getLogger(__name__).warning("the new graph model is saved; %s", note)


@runs(Mode.PROCESS)
def evaluate_graph(ctx: "AppContext", *, seeds=3, objective=None, contexts=None,
                   audio_model=None, holdout=None, max_steps=None, pretrain=None, seed=0,
                   options=None, device=None, progress=None, cancel=None) -> dict:
    """The evaluation (the ``eval`` JSON, docs/cli.md) of a fresh model per seed on the
    library, mean and ``std``, trained on ``device`` (as :func:`train_graph`). Leaves the
    current model alone."""
    from musicsage.audio.device import resolve_device
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import evaluate_seeds, make_config
    from musicsage.graph.split import DEFAULT_HOLDOUT
    from musicsage.library.db import connect

    device = resolve_device(device)
    config = make_config(objective=objective, max_steps=max_steps, pretrain=pretrain,
                         seed=seed, options=options)  # refused before anything is read
    audio_model = _graph_audio_model(ctx, audio_model)
    conn = connect(ctx)
    data = GraphData.from_library(conn, audio_model)
    require_trainable(ctx, conn, data, config)  # as train: not "0 playlist memberships"
    out = evaluate_seeds(data, seeds=seeds, contexts=contexts, config=config,
                         holdout=DEFAULT_HOLDOUT if holdout is None else holdout,
                         progress=progress, cancel=cancel, device=device)
    out["audio_model"] = audio_model
    return out


@runs(Mode.PROCESS)
def train_graph_dataset(dataset, out, *, objective=None, contexts=None, holdout=None, seed=0,
                        max_steps=None, pretrain=None, options=None, device=None,
                        progress=None, cancel=None) -> "TrainReport":
    """``train --dataset DIR --out OUT`` (no library involved; docs/dataset-dir.md), on
    ``device`` as :func:`train_graph`. OUT is made when missing, but not the folder it is
    in: that is refused as ``export DIR`` refuses it (a typo made a tree of stray folders)."""
    from pathlib import Path

    from musicsage.audio.device import resolve_device
    from musicsage.graph.jobs import make_config, train_dataset
    from musicsage.graph.split import DEFAULT_HOLDOUT
    from musicsage.search.m3u import check_folder_of

    device = resolve_device(device)  # refused before the dataset is read
    if not Path(out).is_dir():
        check_folder_of(out, "--out folder")
    return train_dataset(dataset, out, contexts=contexts,
                         config=make_config(objective=objective, seed=seed, max_steps=max_steps,
                                            pretrain=pretrain, options=options),
                         holdout=DEFAULT_HOLDOUT if holdout is None else holdout,
                         progress=progress, cancel=cancel, device=device)


@runs(Mode.PROCESS)
def evaluate_graph_dataset(dataset, *, seeds=3, objective=None, contexts=None, holdout=None,
                           max_steps=None, pretrain=None, seed=0, options=None, device=None,
                           progress=None, cancel=None) -> dict:
    """``eval --dataset DIR``: the eval JSON, mean over seeds with ``std``."""
    from musicsage.audio.device import resolve_device
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import evaluate_seeds, make_config
    from musicsage.graph.split import DEFAULT_HOLDOUT

    device = resolve_device(device)
    return evaluate_seeds(GraphData.from_dataset_dir(dataset), seeds=seeds, contexts=contexts,
                          config=make_config(objective=objective, max_steps=max_steps,
                                             pretrain=pretrain, seed=seed, options=options),
                          holdout=DEFAULT_HOLDOUT if holdout is None else holdout,
                          progress=progress, cancel=cancel, device=device)


def current_graph_model(ctx: "AppContext") -> "GraphModelInfo | None":
    """The graph model the app uses, or None before the first training."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    return current_model(connect(ctx), ctx)


def graph_embeddings(ctx: "AppContext") -> TrackVectors | None:
    """The current graph model's track vectors (unit length), or None without a model: those
    of its training, with those it computed since for tracks it never saw
    (:mod:`musicsage.usecases.inductive`)."""
    from musicsage.usecases.graph_vectors import library_graph_vectors

    info = current_graph_model(ctx)
    return TrackVectors(*library_graph_vectors(ctx, info)) if info is not None else None


def _graph_audio_model(ctx: "AppContext", audio_model: str | None) -> str:
    """The audio model to train on: the one asked for, else the app's current one."""
    if audio_model is not None and not audio_model.strip():  # "" was the default, silently
        raise MusicsageError("--audio-model is empty: name an audio model, or leave it out "
                             "for the library's")
    model = audio_model or current_audio_model_id(ctx)
    if not model:
        _require_tracks(ctx)
        raise _no_embeddings(ctx)
    if audio_model is not None:
        _require_known_audio_model(ctx, audio_model)
    return model


def _require_tracks(ctx: "AppContext") -> None:
    """Refuse a library with no track at all (never scanned, or its only folder forgotten)
    in words that say so: "compute embeddings first" sent the user to an ``embed`` that had
    nothing to embed."""
    from musicsage.library.db import connect
    from musicsage.library.queries import any_tracks

    if not any_tracks(connect(ctx)):
        raise MusicsageError(LIBRARY_HAS_NO_TRACKS)


def _require_known_audio_model(ctx: "AppContext", audio_model: str) -> None:
    """Refuse an audio model the library has no vectors of, naming those it has ("compute
    them first" was said of a mistyped id too)."""
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_counts

    known = sorted(embedding_counts(connect(ctx)))
    if not known:
        raise _no_embeddings(ctx)
    if audio_model not in known:
        raise MusicsageError(f"unknown audio model {audio_model!r}: the library has vectors "
                             f"of {', '.join(known)}")


def _no_embeddings(ctx: "AppContext") -> Exception:
    """The refusal of a library without audio vectors: compute them — unless its tracks came
    from a dataset dir without a features.npy, which no ``embed`` can help (each command sent
    the user to the other): then import the dir again with one."""
    from musicsage.errors import EMBED_HINT
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import featureless_dataset_hint

    hint = featureless_dataset_hint(connect(ctx)) or f"compute them first ({EMBED_HINT})"
    return MusicsageError(f"no audio embeddings yet: {hint}")
