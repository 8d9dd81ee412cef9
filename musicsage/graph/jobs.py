"""Whole jobs over :class:`GraphData`: train + evaluate on a seeded split, N-seed evaluation,
the dataset-dir outputs. The use cases (library) and the CLI (dataset dir) both call these,
so the two paths cannot drift apart.
"""

from __future__ import annotations

import errno
import json
import math
import os
from contextlib import suppress
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.files import (OUTPUT_MARKER, claim_output_dir, marking_commands,
                             refuse_foreign_files, replace_atomically, replaced_together,
                             same_path, save_npy_atomically)
from musicsage.graph.build import build_context_graph, parse_contexts
from musicsage.graph.checkpoint import save_checkpoint
from musicsage.graph.config import MAX_SEED, TrainConfig
from musicsage.graph.data import CONTEXT_TYPES, GraphData, empty_contexts_text
from musicsage.graph.evaluate import aggregate, evaluate, mean_pairwise_cosine
from musicsage.graph.reports import TrainReport  # defined there: the window unpickles it
from musicsage.graph.reports import TRAIN_OUT_FILES  # there: read before a run, torch unloaded
from musicsage.graph.split import DEFAULT_HOLDOUT, check_fraction
from musicsage.graph.split_checks import (  # noqa: F401 (require_memberships: the benches')
    check_every_split, checked_split, require_memberships)
from musicsage.graph.train import TrainResult, objective_names, train
from musicsage.library.lock import output_lock
from musicsage.progress import CancelToken, ProgressFn, report


#: What ``objective='dgi'`` changes in the defaults when the caller gives no base config:
#: DGI's own encoder (one 512-d GCN-style layer with a ReLU, no skip — with the skip the
#: output is mostly the track's own features, which DGI's shuffle leaves intact), its step
#: count and a state kept by training loss (a self-supervised objective has no pairs to
#: validate on). Options the caller sets (``--set``) still win. The product defaults are
#: for the playlist objective; on Cora they probe at ≈ 0.72, these at ≈ 0.81 (bench/dgi_cora.py).
DGI_DEFAULTS = dict(dim=512, hidden=128, layers=1, aggregator="mean", output_activation=True,
                    skip=False, dropout=0.2, batch_size=256, max_steps=500, warmup=20,
                    eval_every=20, patience=1000, select="loss", val_fraction=0.0,
                    refresh_every=20, num_walks=100, num_neighbors=10)


def make_config(*, objective: str | None = None, seed: int = 0, max_steps: int | None = None,
                base: TrainConfig | None = None, options: dict | None = None,
                **overrides) -> TrainConfig:
    """The run's config: ``base`` (default: the defaults, or the defaults with
    :data:`DGI_DEFAULTS` when the objective is 'dgi') with ``options`` (any training option,
    e.g. from ``--set``), then the named arguments (``None`` = not given)."""
    options = dict(options or {})
    if base is None and (objective or options.get("objective")) == "dgi":
        base = TrainConfig().with_(**DGI_DEFAULTS)
    cfg = (base or TrainConfig()).with_(**options)
    changes = {k: v for k, v in overrides.items() if v is not None}
    if objective:
        if objective not in objective_names():
            raise MusicsageError(f"unknown objective {objective!r}: choose from "
                                 f"{', '.join(objective_names())}")
        changes["objective"] = objective
    if max_steps is not None:
        if max_steps < 1:
            raise MusicsageError("--max-steps must be at least 1")
        changes["max_steps"] = max_steps
    if not 0 <= seed <= MAX_SEED:
        raise MusicsageError(f"--seed must be between 0 and {MAX_SEED}, got {seed}")
    config = cfg.with_(seed=seed, **changes)
    config.check_new_run()  # the window's options too, before any data is read
    return config


def train_and_evaluate(data: GraphData, *, contexts=None, config: TrainConfig | None = None,
                       holdout: float | None = DEFAULT_HOLDOUT, progress: ProgressFn | None = None,
                       cancel: CancelToken | None = None, device: str | None = None
                       ) -> tuple[TrainResult, dict | None, np.ndarray]:
    """Train on the seeded split's training memberships and evaluate on its held-out pairs
    (the model on ``device``, see :func:`~musicsage.graph.train.train`).

    Returns (result, metrics or None when ``holdout`` is 0/None, embeddings of every track on
    the training graph — the vectors the metrics were computed from).
    """
    config = config or TrainConfig()
    contexts = parse_contexts(contexts)
    split, train_memberships = checked_split(data, config, holdout)
    result = train(data, train_memberships, contexts=contexts, config=config,
                   progress=progress, cancel=cancel, device=device)
    report(progress, "embed", 0, data.n_tracks, "embedding every track")
    emb = result.embed(data)
    report(progress, "embed", data.n_tracks, data.n_tracks)
    metrics = None
    if split is not None:
        metrics = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
        metrics["mean_cos"] = mean_pairwise_cosine(emb)
        metrics.update(_run_info(result, holdout, data))
        notes = training_notes(result) + list(data.read_notes)
        if notes:  # first: a model that learned nothing makes every figure moot
            metrics["notes"] = notes + metrics.get("notes", [])
    return result, json_safe(metrics), emb


def json_safe(value):
    """``value`` with every non-finite number as None (JSON's null), for whatever writes
    metrics: json.dumps wrote an infinite loss as ``Infinity``, which no strict JSON reader
    accepts (metrics.json, the library's stored metrics, ``--json``)."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(json_safe(v) for v in value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


NOTHING_LEARNED = (
    "the playlists are too few, or one holds nearly every track, for the graph model to learn "
    "from: in every training step each track shared a playlist with all the others drawn, so "
    "none was left to tell it apart from (loss 0 at every step) and the model kept its "
    "untrained weights; add playlists, and tracks to them")
"""Said of a tiny library and of a dataset dir whose one playlist holds every track alike
(it said "the library is too small" of 3,000 tracks in one playlist)."""


def learned_nothing(result: TrainResult) -> bool:
    """Whether no step moved the weights: the loss, never below 0, was 0 at every step, so
    every gradient was 0 — with InfoNCE, each batch's candidates all masked as the heads'
    known co-members (objectives.py), which a tiny library gives at every step. A DGI
    pre-training did move them, so a run with one is never counted."""
    losses = [h["loss"] for h in result.history if h.get("loss") is not None]
    return bool(losses) and all(loss == 0 for loss in losses) and not result.config.pretrain


def training_notes(result: TrainResult) -> list[str]:
    """What a user must know about a finished run, in plain words (none for a normal one)."""
    return [NOTHING_LEARNED] if learned_nothing(result) else []


def used_contexts(result: TrainResult, data: GraphData) -> list[str]:
    """The context types the model was trained on: those asked for less any no track has (a
    library without albums or artists listed 'playlist,album,artist' in ``models``)."""
    return contexts_used(result.contexts, data.empty_context_types(tuple(result.contexts)))


def contexts_used(contexts, empty) -> list[str]:
    """``contexts`` less those in ``empty``, or all of them when every one is (the model
    trained on them all the same): :func:`used_contexts`, and ``train``'s from its report."""
    return [c for c in contexts if c not in empty] or list(contexts)


def _run_info(result: TrainResult, holdout: float | None, data: GraphData) -> dict:
    """The run's facts in its metrics; ``contexts`` those it trained on, less the types no
    track has, as ``train --json`` names them (``eval``'s per seed come from here too)."""
    info = {"seed": result.config.seed, "holdout": holdout,
            "contexts": used_contexts(result, data),
            "objective": result.config.objective, "steps": result.steps,
            "best_step": result.best_step, "best_val_hr10": result.best_val_hr10,
            "train_seconds": result.seconds, "device": result.device}
    if result.two_hop_scores:
        info["two_hop"] = {"gamma": result.two_hop_gamma,
                           "val": {f"{g:g}": s for g, s in result.two_hop_scores.items()}}
    if result.comember_scores:
        info["comember"] = {"weight": result.comember_weight,
                            "val": {f"{w:g}": s for w, s in result.comember_scores.items()}}
    if result.context_scores:  # validation chose the contexts: ``contexts`` holds those kept
        info["context_choice"] = {"given": list(result.given_contexts),
                                  "metric": result.config.loop.val_metric,
                                  "val": dict(result.context_scores)}
    if result.config.pretrain:
        last = result.pretrain_history[-1] if result.pretrain_history else {}
        info["pretrain"] = {"objective": result.config.pretrain, "steps": last.get("step", 0),
                            "final_loss": last.get("loss")}
    return info


def embed_on_all_memberships(result: TrainResult, data: GraphData) -> np.ndarray:
    """Embeddings on the graph of ALL memberships (held-out ones back in): what a library
    model serves once its honest metrics are taken. Same context index space, so the learned
    vectors apply as they are."""
    graph = build_context_graph(data, data.memberships, result.contexts)
    return result.embed(data, graph)


def evaluate_seeds(data: GraphData, *, seeds: int = 3, contexts=None,
                   config: TrainConfig | None = None, holdout: float = DEFAULT_HOLDOUT,
                   progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                   device: str | None = None) -> dict:
    """The eval JSON (docs/protocol.md) as the mean over seeds config.seed .. config.seed +
    N - 1, with ``std`` and ``per_seed``."""
    if seeds < 1:
        raise MusicsageError("--seeds must be at least 1")
    if not holdout:
        raise MusicsageError("evaluation needs a hold-out fraction above 0")
    check_fraction(holdout)  # no seed's doing: "seed 0's split: hold-out …" read as one's
    config = config or TrainConfig()
    contexts = parse_contexts(contexts)
    check_every_split(data, config, seeds, holdout)
    runs = []
    for i in range(seeds):
        report(progress, "eval", i, seeds, f"seed {config.seed + i}")
        _, metrics, _ = train_and_evaluate(data, contexts=contexts,
                                           config=config.with_(seed=config.seed + i),
                                           holdout=holdout, progress=progress, cancel=cancel,
                                           device=device)
        runs.append(metrics)
    report(progress, "eval", seeds, seeds)
    out = aggregate([{k: v for k, v in r.items() if k not in ("contexts", "objective", "notes")}
                     for r in runs])
    # validation chooses the contexts seed by seed: those kept by any seed (per_seed: each's),
    # less the types no track has (:func:`_run_info`), as ``train`` names them
    out["contexts"] = [kind for kind in CONTEXT_TYPES
                       if any(kind in r["contexts"] for r in runs)]
    out["objective"] = runs[0]["objective"]
    out["seed"] = out["protocol"]["seed"] = runs[0]["seed"]  # the first: a mean seed is none
    out["per_seed"] = [{"seed": r["seed"], "graph": r["graph"], "audio": r["audio"],
                        "two_hop_gamma": r.get("two_hop", {}).get("gamma", 0.0),
                        "comember_weight": r.get("comember", {}).get("weight", 0.0),
                        "contexts": r["contexts"]}
                       for r in runs]
    notes = list(data.read_notes)  # once: the files are the same for every seed
    notes += [f"seed {r['seed']}: {note}" for r in runs for note in r.get("notes", ())
              if note not in data.read_notes]
    out["empty_contexts"] = list(data.empty_context_types(contexts))
    if out["empty_contexts"]:  # as `train` says it; "contexts" leaves them out, as train's
        notes.insert(0, empty_contexts_text(tuple(out["empty_contexts"])))
    if notes:  # a split too small to mean anything, seed by seed (evaluate.small_split_notes)
        out["notes"] = notes
    return json_safe(out)


def train_dataset(dataset: str | Path, out: str | Path, *, contexts=None,
                  config: TrainConfig | None = None, holdout: float | None = DEFAULT_HOLDOUT,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                  device: str | None = None) -> TrainReport:
    """``train --dataset DIR --out OUT``: OUT/embeddings.npy (tracks.csv order), model.pt,
    metrics.json. With a hold-out, the model trains on the split's training memberships and
    metrics.json scores it on the held-out pairs; the embeddings written use EVERY membership
    given (the held-out and unplaylisted ones back in the graph), as a library model serves
    them. ``holdout=0`` trains on every membership and writes no metrics."""
    data = GraphData.from_dataset_dir(dataset)  # says what is wrong with a file before reading
    out = Path(out)
    _check_out_dir(out)
    _refuse_a_dataset_dir_as_out(Path(dataset), out)
    refuse_foreign_files(out, TRAIN_OUT_FILES, "--out", command="train")  # before training
    # one run at a time into one folder: two wrote the same files, the first run's lost
    with output_lock(out, progress=progress, cancel=cancel):
        result, metrics, emb = train_and_evaluate(data, contexts=contexts, config=config,
                                                  holdout=holdout, progress=progress,
                                                  cancel=cancel, device=device)
        if holdout:
            emb = embed_on_all_memberships(result, data)
        _refuse_a_dataset_dir_as_out(Path(dataset), out)  # checked again: it trained a while
        body = metrics if metrics is not None else {"note": "trained on every membership "
                                                    "(--holdout 0): no evaluation",
                                                    **_run_info(result, holdout, data)}
        body = dict(body, history=result.history, fingerprint=data.fingerprint(),
                    embeddings="every membership given (held-out ones included)")
        _write_out(out, emb, result, data, body)
    return train_report(result, metrics, data, out_dir=str(out), audio_model=data.audio_model)


def _write_out(out: Path, emb: np.ndarray, result: TrainResult, data: GraphData,
               body: dict) -> None:
    """OUT's files, all or none (:func:`replaced_together`). A save that fails (a full disk)
    or is stopped in a folder this run marked first takes its marker back when none of the
    files is there: a new OUT was left holding the hidden marker alone, for good (the lock
    removes only an empty folder it made)."""
    marked_before = marking_commands(out) is not None
    try:
        claim_output_dir(out, TRAIN_OUT_FILES, "train", "--out")
        with replaced_together(out, TRAIN_OUT_FILES) as stage:  # killed: never a mix
            save_npy_atomically(stage / "embeddings.npy", emb.astype(np.float32))
            save_checkpoint(stage / "model.pt", result, data)
            replace_atomically(stage / "metrics.json",
                               json.dumps(json_safe(body), indent=2, default=float,
                                          allow_nan=False).encode("utf-8"))
    except BaseException as exc:
        if not marked_before and not any(os.path.lexists(out / n) for n in TRAIN_OUT_FILES):
            with suppress(OSError):
                os.unlink(out / OUTPUT_MARKER)  # this run's, alone: nothing else it wrote
        if not isinstance(exc, OSError) or exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        why = exc.strerror or os.strerror(exc.errno)  # the OS line named a hidden temporary
        raise MusicsageError(f"the disk holding {out.resolve()} is full ({why}): make room "
                             "and train again") from exc


def train_report(result: TrainResult, metrics: dict | None, data: GraphData,
                 **where) -> TrainReport:
    """The report of a finished run (``where``: ``model_id``, ``out_dir``, ``audio_model``),
    the same for a library's model and a dataset dir's."""
    notes = tuple(training_notes(result)) + data.read_notes  # ``learned``: what they say
    return TrainReport(metrics=metrics, steps=result.steps, best_step=result.best_step,
                       best_val_hr10=result.best_val_hr10, seconds=result.seconds,
                       contexts=result.contexts, objective=result.config.objective,
                       history=result.history, device=result.device,
                       two_hop_gamma=result.two_hop_gamma,
                       comember_weight=result.comember_weight,
                       empty_contexts=data.empty_context_types(result.given_contexts),
                       learned=NOTHING_LEARNED not in notes, notes=notes,
                       context_scores=dict(result.context_scores),
                       dropped_contexts=result.dropped_contexts,
                       val_metric=result.config.loop.val_metric, **where)


def _refuse_a_dataset_dir_as_out(dataset: Path, out: Path) -> None:
    """Refuse an OUT that is the dataset dir, or holds a tracks.csv no export of this app
    wrote (someone's own dataset dir). Trained into, it was marked as this app's output,
    and a later ``export`` into it replaced the user's tracks.csv and features.npy."""
    if out.is_dir() and same_path(out, dataset):
        raise MusicsageError(f"--out {out} is the dataset dir itself; choose another folder "
                             "for what train writes — nothing was written")
    if (out / "tracks.csv").exists() and "export" not in (marking_commands(out) or ()):
        raise MusicsageError(f"--out {out} holds a dataset dir (tracks.csv) that musicsage did "
                             "not write; choose another folder for what train writes — "
                             "nothing was written")


def _check_out_dir(out: Path) -> None:
    """Refuse an OUT that cannot be written before training, not after it (a folder under
    a file, or in one this process may not write): without this the run trained, then
    ended on the OS's message. Nothing is created here."""
    if out.exists() and not out.is_dir():
        raise MusicsageError(f"--out {out} exists and is not a directory: choose a folder for "
                             "what train writes (nothing was written)")
    base = out.absolute()
    while not base.exists():
        base = base.parent
    if not base.is_dir():
        raise MusicsageError(f"--out {out}: {base} is a file, not a directory; choose another "
                             "folder (nothing was written)")
    if not os.access(base, os.W_OK | os.X_OK):
        raise MusicsageError(f"--out {out}: {base} is not writable; choose another folder")
