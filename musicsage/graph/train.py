"""``train``: an encoder fitted on training memberships, by name of objective.

``train(data, train_memberships, ...)`` never sees held-out memberships: the caller passes
only the training ones. Inside, a validation split of those (the evaluation protocol again,
:func:`~musicsage.graph.split.protocol_split`) is left out of the graph the objective trains
on and drives early stopping and the state kept; the returned ``graph`` has every training
membership (the graph to embed on). ``pretrain='dgi'`` runs self-supervised steps on the same
graph first, then the objective fine-tunes the same encoder. ``device`` says where the
encoder computes (:mod:`~musicsage.graph.device`: sampling stays on the CPU; default: a CUDA
GPU when torch sees one, else the CPU). When the contexts given hold album or artist beside
the playlists, a second run on the playlists alone follows and validation keeps the better
(``choose_contexts``; docs/model.md, "Which contexts: chosen on validation").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable

import dgl
import numpy as np
import torch

from musicsage.audio.device import resolve_device
from musicsage.audio.threads import torch_threads
from musicsage.errors import MusicsageError
from musicsage.graph.build import ContextGraph, build_context_graph
from musicsage.graph.comember import (CoMember, choose_weight, comember_steps, fit_comember,
                                      mix)
from musicsage.graph.config import TrainConfig
from musicsage.graph.context_init import cooccurrence_basis, cooccurrence_context_vectors
from musicsage.graph.data import CONTEXT_TYPES, METADATA_TYPES, GraphData
from musicsage.graph.device import reproducible_kernels
from musicsage.graph.dgi import DGIObjective
from musicsage.graph.inference import embed_tracks
from musicsage.graph.model import PinSageEncoder, build_encoder
from musicsage.graph.objectives import Objective, StepSetup, hinge, infonce
from musicsage.graph.reports import FEW_PAIRS
from musicsage.graph.split import Split, protocol_split
from musicsage.graph.trainer import Trainer, Validation
from musicsage.graph.two_hop import TwoHop, choose_gamma
from musicsage.progress import CancelToken, ProgressFn, check_cancel

#: name -> factory(config) of every objective ``--objective`` accepts
OBJECTIVES: dict[str, Callable[[TrainConfig], Objective]] = {
    "infonce": lambda c: infonce(),
    "hinge": lambda c: hinge(),
    "dgi": lambda c: DGIObjective(contexts=c.dgi_contexts, shuffles=c.dgi_shuffles),
}
#: DGI steps before the objective takes over (``--pretrain dgi``), at most ``max_steps``.
PRETRAIN_STEPS = 1000
MIN_MEMBERSHIPS = 10
#: the progress stage of the run on the playlists alone that the context choice adds: its
#: loss curve starts at step 0 again and is not the first run's
PLAYLISTS_STAGE = "train-playlists"


def objective_names() -> list[str]:
    return sorted(OBJECTIVES)


def make_objective(config: TrainConfig) -> Objective:
    if config.objective not in OBJECTIVES:
        raise MusicsageError(f"unknown objective {config.objective!r}: choose from "
                             f"{', '.join(objective_names())}")
    return OBJECTIVES[config.objective](config)


@dataclass(eq=False)
class TrainResult:
    model: PinSageEncoder
    graph: ContextGraph
    contexts: tuple[str, ...]
    config: TrainConfig
    history: list[dict]
    best_step: int
    best_val_hr10: float | None
    steps: int
    seconds: float
    #: (step, loss) as the progress reports gave them (:class:`~musicsage.graph.trainer.FitResult`)
    curve: list[tuple[int, float]] = field(default_factory=list)
    #: with ``config.pretrain``: the self-supervised stage's history (its steps come before
    #: ``steps``, which counts the objective's)
    pretrain_history: list[dict] = field(default_factory=list)
    #: where the encoder trained ('cpu', 'cuda', 'cuda:N'); ``model`` is still there
    device: str = "cpu"
    #: the two-hop part joined to the vectors (:mod:`~musicsage.graph.two_hop`); None when
    #: validation chose γ = 0 or did not run
    two_hop: TwoHop | None = None
    #: validation score of each γ tried (empty when none was)
    two_hop_scores: dict = field(default_factory=dict)
    #: the co-member view mixed into the vectors (:mod:`~musicsage.graph.comember`); None
    #: when validation chose weight 0 or it was not asked for
    comember: CoMember | None = None
    #: validation score of each co-member weight tried (empty when none was)
    comember_scores: dict = field(default_factory=dict)
    #: the validation score (``config.loop.val_metric``) of the vectors served — the
    #: co-member view mixed in and the two-hop part joined as chosen; None when no
    #: validation ran or the objective is 'dgi'
    val_score: float | None = None
    #: how many validation pairs ``val_score`` is measured on
    val_pairs: int = 0
    #: the contexts tried -> ``val_score`` of each run ("playlist,album,artist",
    #: "playlist"); empty when validation chose none (:func:`train`)
    context_scores: dict = field(default_factory=dict)
    #: context types given that validation left out (``contexts`` holds those kept)
    dropped_contexts: tuple[str, ...] = ()

    @property
    def given_contexts(self) -> tuple[str, ...]:
        """The context types the caller asked for: those kept and those validation left out."""
        given = set(self.contexts) | set(self.dropped_contexts)
        return tuple(kind for kind in CONTEXT_TYPES if kind in given)

    @property
    def two_hop_gamma(self) -> float:
        return self.two_hop.gamma if self.two_hop is not None else 0.0

    @property
    def comember_weight(self) -> float:
        return self.comember.weight if self.comember is not None else 0.0

    def embed(self, data: GraphData, graph: ContextGraph | None = None) -> np.ndarray:
        """The vectors of every track on ``graph`` (default: the training graph), the
        co-member view mixed in and the two-hop part joined when validation chose them; a
        NaN or an infinity (a run that diverged) is refused here, before any file is
        written."""
        graph = graph or self.graph
        with torch_threads(self.config.loop.torch_threads):  # as in training (train)
            emb = embed_tracks(self.model, data, graph, self.config.walk,
                               seed=self.config.seed + 1)
            if not np.isfinite(emb).all():
                raise MusicsageError(diverged_text(self.config.loop.lr))
            if self.comember is not None:
                emb = self.comember.apply(emb, data.features, graph)
        return self.two_hop.apply(emb, graph) if self.two_hop is not None else emb


def diverged_text(lr: float) -> str:
    """The line for a run whose vectors are not finite, for both front ends: the command
    line's way on (a smaller ``lr``, a tenth of the one that diverged) and, since the window
    shows the same line (the Training dock, its notification) and its Retrain trains with the
    default lr, that this is a command-line setting — "(--set lr=...)" alone sent a window
    user to a flag the window has not."""
    smaller = f"{lr / 10:g}" if lr > 0 else "..."
    than = f" than {lr:g}" if lr > 0 else ""
    return ("training diverged: the model's vectors hold NaN or infinite values; train again "
            f"with a smaller lr{than} (--set lr={smaller} on the command line: the window's "
            "Retrain has no such setting)")


def validation_split(train_memberships: np.ndarray, n_tracks: int, config: TrainConfig
                     ) -> Split | None:
    """The validation split carved from the training memberships (None when switched off or
    too few memberships to spare)."""
    loop = config.loop
    if loop.val_fraction <= 0 or len(train_memberships) < 20:
        return None
    return protocol_split(train_memberships, n_tracks, fraction=loop.val_fraction,
                          seed=loop.seed + 7919, max_pairs=loop.val_pairs)


def train(data: GraphData, train_memberships: np.ndarray, *,
          contexts: tuple[str, ...] = CONTEXT_TYPES, config: TrainConfig = TrainConfig(),
          progress: ProgressFn | None = None, cancel: CancelToken | None = None,
          on_step=None, device: str | None = None) -> TrainResult:
    """Train an encoder on ``train_memberships`` (the caller's training part only), on
    ``device`` (``auto``/None, ``cpu``, ``cuda``, ``cuda:N``; refused when absent).

    ``config.loop.torch_threads`` (by default half the cores, see ``default_training_threads``
    in :mod:`musicsage.graph.config`) is torch's thread count for the whole run, restored after: the random walks of validation and the views chosen after the steps too, not only
    the steps — DGL samples on torch's threads, and other threads draw other walks, so
    ``threads=1`` elsewhere gave figures other than the benchmarks' (one thread).
    ``on_step(step, objective)`` is a hook for tests.

    Contexts chosen on validation (``config.choose_contexts``): when ``contexts`` holds the
    playlists and an album or artist some track has, and validation ran, a second run on the
    playlists alone follows (progress stage :data:`PLAYLISTS_STAGE`), and the run whose
    served vectors score higher on the validation split is returned, ties to every type.
    A coarse context that query and positive share (an artist spanning many playlists'
    taste) can beat the in-batch negatives on its own, and the model then stops learning
    the playlists' finer structure (docs/model.md). The first run is the run without the
    choice, bit for bit (each run seeds itself); ``seconds`` counts both.
    """
    device = resolve_device(device)
    with torch_threads(config.loop.torch_threads), reproducible_kernels(device):
        run = dict(config=config, progress=progress, cancel=cancel, on_step=on_step,
                   device=device)
        result = _train(data, train_memberships, contexts=tuple(contexts), **run)
        if not _chooses_contexts(data, result):
            return result
        check_cancel(cancel)
        playlists = _train(data, train_memberships, contexts=("playlist",),
                           stage=PLAYLISTS_STAGE, **run)
        return _kept(result, playlists)


def _chooses_contexts(data: GraphData, result: TrainResult) -> bool:
    """Whether validation is to choose between ``result``'s contexts and the playlists
    alone: asked for, a validation score to compare on :data:`FEW_PAIRS` pairs or more (on
    fewer, the two runs' scores differ by chance: 17 pairs of a 300-track library said 0.59
    against 0.82, so a small library keeps its one run), the playlists among the contexts
    and an album or artist some track has (an empty type changes nothing)."""
    contexts = result.contexts
    present = set(contexts) - set(data.empty_context_types(contexts))
    return (result.config.choose_contexts and result.val_score is not None
            and result.val_pairs >= FEW_PAIRS
            and "playlist" in contexts and bool(present & set(METADATA_TYPES)))


def _kept(every_type: TrainResult, playlists: TrainResult) -> TrainResult:
    """The run whose served vectors scored higher on validation, ties (to 9 places, as for
    the views' weights) to ``every_type``; both scores recorded, both runs' time counted."""
    scores = {",".join(every_type.contexts): every_type.val_score,
              ",".join(playlists.contexts): playlists.val_score}
    seconds = every_type.seconds + playlists.seconds
    if playlists.val_score is not None \
            and round(playlists.val_score, 9) > round(every_type.val_score, 9):
        dropped = tuple(k for k in every_type.contexts if k not in playlists.contexts)
        return replace(playlists, context_scores=scores, dropped_contexts=dropped,
                       seconds=seconds)
    return replace(every_type, context_scores=scores, seconds=seconds)


def _train(data: GraphData, train_memberships: np.ndarray, *, contexts: tuple[str, ...],
           config: TrainConfig, progress: ProgressFn | None, cancel: CancelToken | None,
           on_step, device: str | None, stage: str = "train") -> TrainResult:
    """One run of :func:`train` on ``contexts``, on the thread count it set, its steps
    reported as ``stage``."""
    device = resolve_device(device)
    if config.pretrain not in (None, "dgi"):
        raise MusicsageError(f"unknown pre-training {config.pretrain!r}: choose from dgi")
    objective = make_objective(config)
    train_memberships = np.asarray(train_memberships, np.int64).reshape(-1, 2)
    if len(train_memberships) < MIN_MEMBERSHIPS:
        raise MusicsageError("too few playlist memberships to train a graph model "
                             f"({len(train_memberships)} training memberships given; at least "
                             f"{MIN_MEMBERSHIPS} are needed)")
    started = time.perf_counter()
    torch.manual_seed(config.seed)
    dgl.seed(config.seed)
    rng = np.random.default_rng(config.seed)
    val = validation_split(train_memberships, data.n_tracks, config)
    fit_memberships = val.train_memberships if val is not None else train_memberships
    fit_graph = build_context_graph(data, fit_memberships, contexts)
    full_graph = build_context_graph(data, train_memberships, contexts)
    basis = None  # the fit graph's co-membership SVD, for the context vectors and the part
    if config.context_init == "svd" or config.two_hop:
        basis = cooccurrence_basis(fit_graph, config.encoder.dim, seed=config.seed)
    model = _initial_encoder(data, fit_graph, full_graph, basis, config,
                             objective.trains_contexts).to(device)
    setup = StepSetup(model, data, fit_graph, fit_memberships, tuple(contexts), config, rng)

    pretrain_history: list[dict] = []
    if config.pretrain:
        pre = DGIObjective(contexts=config.dgi_contexts, shuffles=config.dgi_shuffles)
        pre.prepare(setup)
        loop = replace(config.loop, max_steps=max(1, min(PRETRAIN_STEPS, config.loop.max_steps)),
                       select="loss", patience=10**9, min_steps=0)
        pretrain_history = Trainer(loop, stage="pretrain", progress=progress,
                                   cancel=cancel).fit(model, pre).history
        model.train()

    validation = None
    if val is not None and len(val.pairs):
        validation = Validation(data, fit_graph, val, config.walk, config.encoder.layers,
                                seed=config.seed + 1)
    objective.prepare(setup)
    fit = Trainer(config.loop, stage=stage, progress=progress, cancel=cancel,
                  on_step=on_step).fit(model, objective, validation)
    _require_a_step_that_learned(fit.loss_steps, len(fit_memberships))
    views = _AfterTraining()
    if validation is not None and config.objective != "dgi":
        views = _choose_views(model, validation, fit_memberships, basis, full_graph, config,
                              progress, cancel)
    return TrainResult(model=model, graph=full_graph, contexts=tuple(contexts), config=config,
                       history=fit.history, best_step=fit.best_step,
                       best_val_hr10=fit.best_val_hr10, steps=fit.steps, curve=fit.curve,
                       seconds=time.perf_counter() - started,
                       pretrain_history=pretrain_history, device=device, **vars(views))


def _initial_encoder(data: GraphData, fit_graph: ContextGraph, full_graph: ContextGraph,
                     basis: np.ndarray | None, config: TrainConfig, trains_contexts: bool
                     ) -> PinSageEncoder:
    """A fresh encoder, its context vectors started from ``basis`` (the fit graph's
    co-membership geometry) with ``context_init='svd'``."""
    encoder = config.encoder
    if not trains_contexts and config.pretrain is None:
        encoder = replace(encoder, context_vectors=False)  # nothing would train them
    model = build_encoder(data.features, full_graph.n_contexts, encoder)
    if config.context_init == "svd" and model.project.contexts is not None:
        model.project.init_contexts(
            cooccurrence_context_vectors(fit_graph, encoder.dim, basis=basis))
    return model


@dataclass
class _AfterTraining:
    """What validation joins to the trained encoder's vectors (nothing by default)."""

    comember: CoMember | None = None
    comember_scores: dict = field(default_factory=dict)
    two_hop: TwoHop | None = None
    two_hop_scores: dict = field(default_factory=dict)
    #: the served vectors' validation score (TrainResult.val_score) and its pair count
    val_score: float | None = None
    val_pairs: int = 0


def _choose_views(model, validation: Validation, fit_memberships: np.ndarray,
                  basis: np.ndarray | None, full_graph: ContextGraph, config: TrainConfig,
                  progress: ProgressFn | None, cancel: CancelToken | None) -> _AfterTraining:
    """The co-member view's weight, then the two-hop part's γ on the vectors so mixed, both
    chosen on the validation split (what the model was fitted on), and the validation score
    of the vectors so served (the chosen weight's score: no vectors are scored twice)."""
    out = _AfterTraining(val_pairs=len(validation.split.pairs))
    emb = validation.embed(model)

    def score(vectors: np.ndarray) -> float:
        return validation.metrics(vectors)[config.loop.val_metric]

    if config.comember:
        encoder, vectors = _comember_view(validation, fit_memberships, config, progress,
                                          cancel)
        weight, out.comember_scores = choose_weight(emb, vectors, score)
        out.val_score = out.comember_scores[weight]
        if weight > 0:
            out.comember = CoMember(encoder, [str(k) for k in validation.graph.context_keys],
                                    weight)
            emb = mix(emb, vectors, weight)
    if config.two_hop:
        on_fit = TwoHop.fit(validation.graph, config.encoder.dim, basis=basis)
        gamma, out.two_hop_scores = choose_gamma(emb, on_fit.part(validation.graph), score)
        out.val_score = out.two_hop_scores[gamma]
        if gamma > 0:  # the basis of every training membership for the vectors served
            out.two_hop = TwoHop.fit(full_graph, config.encoder.dim, seed=config.seed,
                                     gamma=gamma)
    if out.val_score is None:  # neither view asked for: the encoder's vectors as they are
        out.val_score = score(emb)
    return out


def _comember_view(validation: Validation, fit_memberships: np.ndarray, config: TrainConfig,
                   progress: ProgressFn | None, cancel: CancelToken | None):
    """(the co-member encoder, its vectors on the validation graph): fitted on the same
    memberships as the model, for ``comember_steps`` capped by ``max_steps`` as the
    pre-training is — a short run stays short — and by
    :data:`~musicsage.graph.comember.EPOCHS` passes over those memberships (a tiny
    library's view stops early)."""
    graph = validation.graph
    encoder = fit_comember(validation.data.features, graph, fit_memberships,
                           validation.data.n_playlists, dim=config.encoder.dim,
                           steps=comember_steps(len(fit_memberships),
                                                min(config.comember_steps,
                                                    config.loop.max_steps)),
                           seed=config.seed, threads=config.loop.torch_threads,
                           progress=progress, cancel=cancel)
    return encoder, encoder.vectors(validation.data.features, graph)


def _require_a_step_that_learned(loss_steps: int, n_memberships: int) -> None:
    """Refuse a run in which not one step had two tracks of a playlist to learn from: its
    "model" would be the untrained encoder, reported as trained. ``checked_split``
    (graph/jobs.py) refuses most such runs before any step, in :func:`nothing_to_train_on`'s
    words; this stays for the rest (a sampler's folds that part every pair)."""
    if loss_steps == 0:
        raise MusicsageError(nothing_to_train_on(n_memberships))


def nothing_to_train_on(n_memberships: int) -> str:
    """The line for memberships of which no two tracks share a playlist, counting the
    ``n_memberships`` the run fits on: said before training and after it alike."""
    return (f"nothing to train on: no two tracks share a playlist among the {n_memberships} "
            "training memberships (the evaluation moves up to half of the tracks out of all "
            "their playlists, and holds out some memberships); give more tracks, and "
            "playlists of at least two tracks")
