"""Deep Graph Infomax on the PinSage encoder, trained on sampled blocks in minibatches.

Why it looks like this:

- **No positives, no N×N.** A step takes B seed tracks, samples their K-layer PinSAGE blocks
  (the same tables and :func:`~musicsage.graph.sampler.sample_blocks` the playlist objective
  uses), encodes them twice — once with the real inputs, once with the input nodes' features
  shuffled by a derangement (:mod:`musicsage.graph.corruption`) over the *same* blocks — and
  scores each output against the batch summary ``s = sigmoid(mean of the real outputs)`` with
  a bilinear discriminator. Every tensor is O(batch × fan-out × dim) (plus the d×d
  discriminator); the graph-wide state is the O(N × k) neighbour table.
- **Loss: BCE, which is GMI's JSD estimator.** BCE-with-logits on (real → 1, shuffled → 0) is
  ``softplus(−D(h, s)) + softplus(D(h̃, s))``, exactly the negated Jensen–Shannon MI bound GMI
  writes with softplus terms; the only real difference is GMI averaging several shuffles.
  ``shuffles`` does that here (each shuffle costs one more encoder pass); the default is one.
- **What the shuffle may not give away.** The fake input of node i is the real input of
  another node of the same batch, so a fake node's own projected features (the skip term) look
  like a real node's. Telling them apart needs the agreement between a node and its sampled
  neighbourhood — which is what the graph layers should learn. Learned *context vectors*
  (playlist/album/artist vectors added to a track's input) would spoil that: they are not
  shuffled with the features, so the encoder could learn to check "features agree with my own
  context vectors" — on Cora, where each paper is its own context, that is a per-node ID
  lookup. So DGI runs with the context vectors left out (``contexts='off'``: the encoder gets
  empty context bags). ``contexts='corrupt'`` moves each node's context bag with its
  features instead (the whole input of a node moves, only the neighbourhood stays).
- **Pre-training** (``--pretrain dgi``): :func:`fit_dgi` trains an existing encoder in place
  (context vectors untouched at their zero start), then the playlist objective fine-tunes it.
"""

from __future__ import annotations

import copy
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.graph.build import ContextGraph, build_context_graph
from musicsage.graph.corruption import derangement
from musicsage.graph.data import CONTEXT_TYPES, GraphData
from musicsage.graph.sampler import WalkParams, replace_with_walk
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

CONTEXT_MODES = ("off", "corrupt")
INPUT_SCALINGS = ("zscore", "global", "none")


@dataclass(frozen=True)
class DGIConfig:
    """Encoder shape (as :class:`~musicsage.graph.model.EncoderConfig`) plus DGI's loop.

    ``input_scaling``: 'zscore' (the encoder's own per-dimension standardisation), 'global'
    (no centring, every dimension divided by one scalar, the overall RMS of the features) or
    'none' (identity). Either way the statistics sit in the encoder's buffers, so a checkpoint
    carries them. Sparse bag-of-words features keep their relative weights under 'global'
    (a rare word's z-score is in the tens), at a magnitude the layers' initialisation
    expects (with 'none', entries of a row-normalised bag of words are ~0.05 and the
    MLP's random biases outweigh them).
    ``output_activation``: ReLU after the last layer too (the encoder's last layer is linear).
    With one layer that nonlinearity is what lets a node's features interact with its
    neighbourhood's (see the module doc); it is not part of ``EncoderConfig``, so an encoder
    trained with it is for in-process use (benchmarks), not for the saved product model.
    ``aggregator``: the graph layer, 'sage' (PinSage's, the product default) or 'mean'
    (GCN-style neighbourhood average, what DGI's own encoder does; the Cora bench uses it).
    ``select``: keep the state with the lowest training loss ('loss', self-supervised) or the
    best validation HR@10 on a split of the training memberships ('val_hr10').
    """

    dim: int = 64
    hidden: int = 128
    layers: int = 2
    dropout: float = 0.0
    skip: bool = True
    normalize: bool = True
    aggregator: str = "sage"
    output_activation: bool = False
    contexts: str = "off"
    input_scaling: str = "zscore"
    shuffles: int = 1
    lr: float = 1e-3
    weight_decay: float = 0.0
    warmup: int = 20
    batch_size: int = 256
    max_steps: int = 1000
    eval_every: int = 50
    patience: int = 6
    select: str = "loss"
    val_fraction: float = 0.05
    val_pairs: int = 2000
    walk: WalkParams = field(default_factory=WalkParams)
    refresh_every: int = 20
    seed: int = 0
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.contexts not in CONTEXT_MODES:
            raise MusicsageError(f"DGI contexts must be one of {CONTEXT_MODES}")
        if self.input_scaling not in INPUT_SCALINGS:
            raise MusicsageError(f"DGI input_scaling must be one of {INPUT_SCALINGS}")
        if self.select not in ("loss", "val_hr10"):
            raise MusicsageError("DGI select must be 'loss' or 'val_hr10'")
        if self.shuffles < 1 or self.batch_size < 2:
            raise MusicsageError("DGI needs shuffles ≥ 1 and batch_size ≥ 2")

    def to_dict(self) -> dict:
        return asdict(self)

    def with_(self, **changes) -> "DGIConfig":
        """A copy with ``changes`` (walk parameters such as ``num_walks`` included)."""
        return replace_with_walk(self, **changes)

    @classmethod
    def from_train_config(cls, train_config, **changes) -> "DGIConfig":
        """The DGI counterpart of a playlist-objective ``TrainConfig`` (shared fields)."""
        shared = {k: getattr(train_config, k) for k in
                  ("dim", "hidden", "layers", "skip", "normalize", "aggregator", "lr",
                   "weight_decay",
                   "batch_size", "max_steps", "eval_every", "patience", "val_fraction",
                   "val_pairs", "walk", "refresh_every", "seed", "threads")
                  if hasattr(train_config, k)}
        shared.update(changes)
        return cls(**shared)


def _discriminator_class():
    import torch
    from torch import nn

    class BilinearDiscriminator(nn.Module):
        """D(h, s) = hᵀ W s + b: one d×d matrix, scores [B] for B nodes (never B×B)."""

        def __init__(self, dim: int) -> None:
            super().__init__()
            self.weight = nn.Parameter(torch.empty(dim, dim))
            self.bias = nn.Parameter(torch.zeros(()))
            nn.init.xavier_uniform_(self.weight)

        def forward(self, h: torch.Tensor, summary: torch.Tensor) -> torch.Tensor:
            return h @ (self.weight @ summary) + self.bias

    return BilinearDiscriminator


def dgi_loss(pos_logits, neg_logits_list):
    """BCE with logits = softplus(−pos) + mean over shuffles of softplus(neg) (module doc)."""
    import torch.nn.functional as F

    pos = F.softplus(-pos_logits).mean()
    neg = sum(F.softplus(n).mean() for n in neg_logits_list) / len(neg_logits_list)
    return pos + neg


@dataclass(eq=False)
class DGIResult:
    model: object
    discriminator: object
    graph: ContextGraph
    contexts: tuple[str, ...]
    config: DGIConfig
    history: list[dict]
    best_step: int
    steps: int
    seconds: float
    best_val_hr10: float = 0.0

    def embed(self, data: GraphData, graph: ContextGraph | None = None) -> np.ndarray:
        """Embeddings of every track on ``graph`` (default: the training graph)."""
        return embed_dgi(self.model, data, graph or self.graph, self.config)


def embed_dgi(model, data: GraphData, graph: ContextGraph, config: DGIConfig, *,
              seed: int | None = None) -> np.ndarray:
    """Inference for every track (the playlist objective's own inference: same encoder)."""
    from musicsage.graph.train import embed_tracks

    return embed_tracks(model, data, graph, config, seed=seed)


def _empty_bags(n: int):
    import torch

    return (torch.zeros(0, dtype=torch.int64), torch.zeros(n, dtype=torch.int64),
            torch.zeros(0, dtype=torch.float32))


def _bags(graph: ContextGraph, rows: np.ndarray):
    import torch

    flat, offsets, weights = graph.bags(rows)
    return torch.from_numpy(flat), torch.from_numpy(offsets), torch.from_numpy(weights)


def build_encoder(data: GraphData, graph: ContextGraph, config: DGIConfig):
    """A fresh PinSage encoder for DGI, inputs fitted to ``data`` (see ``input_scaling``)."""
    import torch

    from musicsage.graph.model import EncoderConfig, PinSageEncoder

    model = PinSageEncoder(EncoderConfig(
        in_dim=data.feature_dim, n_contexts=graph.n_contexts, dim=config.dim,
        hidden=config.hidden, layers=config.layers, dropout=config.dropout, skip=config.skip,
        normalize=config.normalize, context_vectors=config.contexts == "corrupt",
        aggregator=config.aggregator))
    if config.output_activation and len(model.convs):
        model.convs[-1].activation = True
    model.fit_inputs(data.features)
    if config.input_scaling != "zscore":
        x = np.asarray(data.features, np.float64)
        scale = float(np.sqrt(np.mean(x ** 2))) if config.input_scaling == "global" else 1.0
        with torch.no_grad():
            model.mean.zero_()
            model.std.fill_(scale if scale > 0 else 1.0)
        if data.feature_dim > config.dim:  # principal directions of the inputs as scaled
            sample = x[np.random.default_rng(0).permutation(len(x))[:20000]]
            _, _, vt = np.linalg.svd(sample - sample.mean(0), full_matrices=False)
            model.project.init_projection(vt[: config.dim])
    return model


class DGIStep:
    """One minibatch DGI step's tensors (kept small for tests to inspect shapes)."""

    def __init__(self, model, discriminator, features, *, contexts: str, shuffles: int,
                 rng: np.random.Generator) -> None:
        self.model = model
        self.discriminator = discriminator
        self.features = features
        self.contexts = contexts
        self.shuffles = shuffles
        self.rng = rng
        self.last_shapes: dict[str, tuple] = {}
        self.last_perm: np.ndarray | None = None
        self.last_loss = float("nan")

    def loss(self, blocks, graph: ContextGraph):
        import torch

        src = blocks[0].src_ids
        x = self.features[torch.from_numpy(src)]
        real_bags = _bags(graph, src) if self.contexts == "corrupt" else _empty_bags(len(src))
        h = self.model(blocks, x, real_bags)
        summary = torch.sigmoid(h.mean(0))
        pos = self.discriminator(h, summary)
        negs = []
        for _ in range(self.shuffles):
            perm = derangement(len(src), self.rng)
            self.last_perm = perm
            fake_bags = (_bags(graph, src[perm]) if self.contexts == "corrupt"
                         else real_bags)
            h_fake = self.model(blocks, x[torch.from_numpy(perm)], fake_bags)
            negs.append(self.discriminator(h_fake, summary))
        self.last_shapes = {"input": tuple(x.shape), "output": tuple(h.shape),
                            "logits": tuple(pos.shape), "summary": tuple(summary.shape)}
        loss = dgi_loss(pos, negs)
        self.last_loss = float(loss)
        return loss


def fit_dgi(model, data: GraphData, graph: ContextGraph, *, config: DGIConfig,
            val_graph: ContextGraph | None = None, val_split=None, stage: str = "train",
            progress: ProgressFn | None = None, cancel: CancelToken | None = None,
            on_step=None) -> DGIResult:
    """Train ``model`` (a :class:`PinSageEncoder`) in place with DGI on ``graph``.

    ``val_split`` (a :class:`~musicsage.graph.split.Split` of the training memberships, with
    ``val_graph`` built from its training part: DGI then trains on ``val_graph``) adds
    validation HR@10 to the history and, with ``config.select='val_hr10'``, picks the state
    kept. ``on_step(step, DGIStep, blocks)`` is a hook for tests. Progress: ``report(progress,
    stage, step, max_steps, extra: step, loss[, val_hr10, mean_cos])``; ``cancel`` is polled
    every step. ``config.threads`` applies to this call only.
    """
    import torch

    previous_threads = torch.get_num_threads()
    if config.threads:
        torch.set_num_threads(config.threads)
    try:
        return _fit_dgi(model, data, graph, config, val_graph, val_split, stage, progress,
                        cancel, on_step)
    finally:
        torch.set_num_threads(previous_threads)


def _fit_dgi(model, data, graph, config, val_graph, val_split, stage, progress, cancel,
             on_step) -> DGIResult:
    import dgl
    import torch

    from musicsage.graph.sampler import sample_blocks, sample_neighbourhoods

    started = time.perf_counter()
    torch.manual_seed(config.seed)
    dgl.seed(config.seed)
    rng = np.random.default_rng(config.seed)
    train_graph = val_graph if val_graph is not None else graph
    if train_graph.n_tracks < 2:
        raise MusicsageError("DGI needs at least 2 tracks")
    # Seeds: tracks with at least one context (an isolated track's real and shuffled
    # encodings differ only by which real features it got: nothing to learn there).
    candidates = np.flatnonzero(train_graph.degree() > 0)
    if len(candidates) < 2:
        candidates = np.arange(train_graph.n_tracks)
    batch_size = min(config.batch_size, len(candidates))
    model.train()
    disc = _discriminator_class()(model.config.dim)
    features = torch.from_numpy(np.ascontiguousarray(data.features, np.float32))
    step_fn = DGIStep(model, disc, features, contexts=config.contexts,
                      shuffles=config.shuffles, rng=rng)
    params = [p for name, p in model.named_parameters()
              if config.contexts == "corrupt" or not name.startswith("project.contexts")]
    opt = torch.optim.Adam(params + list(disc.parameters()), lr=config.lr,
                           weight_decay=config.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, config.warmup)))
    dgl_graph = train_graph.dgl_graph()
    tables = None
    order, cursor = rng.permutation(candidates), 0

    has_val = val_split is not None and len(val_split.pairs) > 0
    if has_val:
        from musicsage.graph.evaluate import (filtered_ranks, mean_pairwise_cosine,
                                              membership_matrix, metrics_from_ranks)

        val_membership = membership_matrix(val_split.train_memberships, data.n_tracks,
                                           data.n_playlists)

    def validate() -> dict:
        if not has_val:
            return {}
        emb = embed_dgi(model, data, train_graph, config, seed=config.seed + 1)
        ranks = filtered_ranks(emb, val_split.pairs, val_membership)
        return {"val_hr10": metrics_from_ranks(ranks)["hr@10"],
                "mean_cos": mean_pairwise_cosine(emb, sample=1000)}

    select_val = config.select == "val_hr10" and has_val
    history: list[dict] = []
    losses: list[float] = []
    best, best_step, best_state, bad = None, 0, None, 0
    step = 0
    report(progress, stage, 0, config.max_steps, "DGI: sampling", step=0)
    for step in range(1, config.max_steps + 1):
        check_cancel(cancel)
        if tables is None or (step - 1) % config.refresh_every == 0:
            tables = [sample_neighbourhoods(train_graph, config.walk, dgl_graph)
                      for _ in range(model.config.layers)]
        if cursor + batch_size > len(order):
            order, cursor = rng.permutation(candidates), 0
        seeds = np.sort(order[cursor:cursor + batch_size])
        cursor += batch_size
        blocks = sample_blocks(seeds, tables, n_tracks=train_graph.n_tracks)
        loss = step_fn.loss(blocks, train_graph)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss))
        if on_step is not None:
            on_step(step, step_fn, blocks)
        if step % config.eval_every == 0 or step == config.max_steps:
            mean_loss = float(np.mean(losses[-config.eval_every:]))
            val = validate()
            history.append({"step": step, "loss": mean_loss, **val, "gate": float(model.gate),
                            "seconds": time.perf_counter() - started})
            score = val["val_hr10"] if select_val else -mean_loss
            if best is None or score > best:
                best, best_step, bad = score, step, 0
                best_state = copy.deepcopy(model.state_dict())
            else:
                bad += 1
            text = f"DGI loss {mean_loss:.3f}" + (f" val HR@10 {val['val_hr10']:.3f}"
                                                   if val else "")
            report(progress, stage, step, config.max_steps, text, step=step, loss=mean_loss,
                   **val)
            if bad >= config.patience:
                break
        elif step % 10 == 0:
            report(progress, stage, step, config.max_steps, f"DGI loss {losses[-1]:.3f}",
                   step=step, loss=losses[-1])
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    best_val = max((h["val_hr10"] for h in history if "val_hr10" in h), default=0.0)
    return DGIResult(model=model, discriminator=disc, graph=graph, contexts=(),
                     config=config, history=history, best_step=best_step, steps=step,
                     seconds=time.perf_counter() - started, best_val_hr10=best_val)


def train_dgi(data: GraphData, train_memberships: np.ndarray, *,
              contexts: tuple[str, ...] = CONTEXT_TYPES, config: DGIConfig = DGIConfig(),
              progress: ProgressFn | None = None, cancel: CancelToken | None = None,
              on_step=None) -> DGIResult:
    """A fresh encoder trained with DGI on the graph of ``train_memberships`` (+ metadata
    contexts). With ``config.val_fraction > 0`` a validation split of those memberships is
    left out of the graph DGI trains on and measured (as the playlist objective does); the
    result's ``graph`` has all of ``train_memberships``."""
    from musicsage.graph.split import holdout_split

    train_memberships = np.asarray(train_memberships, np.int64).reshape(-1, 2)
    full_graph = build_context_graph(data, train_memberships, contexts)
    val_split = val_graph = None
    if config.val_fraction > 0 and len(train_memberships) >= 20:
        val_split = holdout_split(train_memberships, fraction=config.val_fraction,
                                  seed=config.seed + 7919, max_pairs=config.val_pairs)
        val_graph = build_context_graph(data, val_split.train_memberships, contexts)
    model = build_encoder(data, full_graph, config)
    result = fit_dgi(model, data, full_graph, config=config, val_graph=val_graph,
                     val_split=val_split, progress=progress, cancel=cancel, on_step=on_step)
    result.contexts = tuple(contexts)
    return result


# --- the playlist-objective side: registry entry and pre-training ------------------------------

#: DGI steps before the playlist objective takes over (``--pretrain dgi``).
PRETRAIN_STEPS = 1000


class DGIObjective:
    """What ``make_objective('dgi')`` returns: no pair loss; :meth:`train` replaces the pair
    loop with DGI on the same encoder shape, returning the playlist loop's ``TrainResult``
    (so checkpoints, inference and evaluation are shared)."""

    self_supervised = True

    def __call__(self, pairs):
        raise MusicsageError("dgi is self-supervised: it scores no (query, positive) pairs")

    def train(self, data: GraphData, train_memberships: np.ndarray, *, contexts, config,
              progress: ProgressFn | None = None, cancel: CancelToken | None = None):
        """``config``: a ``TrainConfig``. Validation HR@10 (the playlist loop's split) picks
        the state kept, as for the playlist objectives."""
        from musicsage.graph.train import TrainResult

        dgi_config = DGIConfig.from_train_config(config, select="val_hr10")
        r = train_dgi(data, train_memberships, contexts=tuple(contexts), config=dgi_config,
                      progress=progress, cancel=cancel)
        return TrainResult(model=r.model, graph=r.graph, contexts=tuple(contexts),
                           config=config, history=r.history, best_step=r.best_step,
                           best_val_hr10=r.best_val_hr10, steps=r.steps, seconds=r.seconds)


def pretrain(name: str, model, data: GraphData, graph: ContextGraph, train_config, *,
             steps: int = PRETRAIN_STEPS, progress: ProgressFn | None = None,
             cancel: CancelToken | None = None) -> list[dict]:
    """Self-supervised pre-training of ``model`` in place on ``graph`` (the playlist loop's
    training graph, validation memberships already out), before the playlist objective.

    Context vectors stay out (and at zero) — the playlist objective trains them. At most
    ``steps`` steps (and no more than the playlist loop's ``max_steps``); the state kept is
    the lowest-loss one; progress goes to stage 'pretrain'. Returns the history.
    """
    if name != "dgi":
        raise MusicsageError(f"unknown pre-training {name!r}: choose from dgi")
    config = DGIConfig.from_train_config(
        train_config, max_steps=max(1, min(steps, train_config.max_steps)), select="loss",
        val_fraction=0.0, patience=10**9)
    result = fit_dgi(model, data, graph, config=config, stage="pretrain", progress=progress,
                     cancel=cancel)
    model.train()
    return result.history


def probe_accuracy(embeddings: np.ndarray, labels: np.ndarray, train_idx: np.ndarray,
                   test_idx: np.ndarray, *, C: float = 1.0, standardize: bool = False,
                   seed: int = 0) -> float:
    """Linear probe: logistic regression on ``train_idx`` rows, accuracy on ``test_idx``.

    By default the embeddings go in as they are, as in DGI's evaluation; pick ``C`` on a
    validation split (their scale sets which C fits). ``standardize=True`` z-scores every
    dimension first (statistics of every row: no labels used). On Cora that probe is 0.5–2
    points worse for DGI embeddings: it blows the near-constant ReLU dimensions up to the
    scale of the informative ones.
    """
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(embeddings, np.float64)
    if standardize:
        std = x.std(0)
        std[std == 0] = 1.0
        x = (x - x.mean(0)) / std
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(x[train_idx], labels[train_idx])
    return float(clf.score(x[test_idx], labels[test_idx]))
