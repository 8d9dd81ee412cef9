"""Training: fresh pairs every step, validation HR@10 for early stopping, best state restored.

``train(data, train_memberships, ...)`` never sees held-out memberships: the caller passes
only the training ones. Inside, a validation split of those (same protocol as the test)
drives early stopping and model selection; the rest feeds the fold sampler.
Progress: ``report(progress, "train", step, max_steps, extra: step, loss, val_hr10,
mean_cos)``; ``cancel`` is polled every step (raises :class:`~musicsage.errors.Cancelled`).
"""

from __future__ import annotations

import copy
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.graph.build import ContextGraph, build_context_graph
from musicsage.graph.data import CONTEXT_TYPES, GraphData
from musicsage.graph.sampler import WalkParams, replace_with_walk
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report


@dataclass(frozen=True)
class TrainConfig:
    """Every tunable of a run. Defaults are what bench/graph_bench.py measures; the ablation
    switches (skip, normalize, context_vectors, layers, hide_positive, drop_pair_edges) exist
    so bench/graph_ablations.py can show what each part is worth.

    ``context_lr``: context vectors start at zero and each is updated only when one of its
    tracks is in a batch, so they get a 10x step (time to fit 3x shorter on spotify_songs).
    ``folds``: the training memberships are cut into this many held-aside folds (see
    :mod:`musicsage.graph.sampler`). ``patience`` counts validations without a new best.
    """

    objective: str = "infonce"
    pretrain: str | None = None  # 'dgi': self-supervised steps first (musicsage.graph.dgi)
    tau: float = 0.1
    margin: float = 0.2
    dim: int = 64
    hidden: int = 64
    layers: int = 2
    dropout: float = 0.1
    skip: bool = True
    normalize: bool = True
    context_vectors: bool = True
    aggregator: str = "sage"  # graph layer: 'sage' (PinSage) or 'mean' (GCN-style)
    lr: float = 1e-3
    context_lr: float = 1e-2
    weight_decay: float = 0.0
    warmup: int = 100
    batch_size: int = 512
    max_steps: int = 3000
    eval_every: int = 100
    patience: int = 3
    folds: int = 10
    val_fraction: float = 0.05
    val_pairs: int = 2000
    walk: WalkParams = field(default_factory=WalkParams)
    refresh_every: int = 10
    drop_pair_edges: bool = True
    hide_positive: bool = True
    seed: int = 0
    threads: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        d = dict(d)
        if isinstance(d.get("walk"), dict):
            d["walk"] = WalkParams(**d["walk"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def with_(self, **changes) -> "TrainConfig":
        """A copy with ``changes`` (walk parameters such as ``num_walks`` included)."""
        return replace_with_walk(self, **changes)


@dataclass(eq=False)
class TrainResult:
    model: object
    graph: ContextGraph
    contexts: tuple[str, ...]
    config: TrainConfig
    history: list[dict]
    best_step: int
    best_val_hr10: float
    steps: int
    seconds: float
    #: with ``config.pretrain``: the self-supervised stage's history (its steps come before
    #: ``steps``, which counts the playlist objective's)
    pretrain_history: list[dict] = field(default_factory=list)

    def embed(self, data: GraphData, graph: ContextGraph | None = None) -> np.ndarray:
        """Embeddings of every track on ``graph`` (default: the training graph)."""
        return embed_tracks(self.model, data, graph or self.graph, self.config)


def inference_tables(graph: ContextGraph, config: TrainConfig, layers: int, *,
                     seed: int | None = None) -> list:
    """One seeded PinSAGE neighbourhood table per layer over every track."""
    import dgl

    from musicsage.graph.sampler import sample_neighbourhoods

    dgl.seed(config.seed + 1 if seed is None else seed)
    g = graph.dgl_graph()
    return [sample_neighbourhoods(graph, config.walk, g) for _ in range(layers)]


def embed_tracks(model, data: GraphData, graph: ContextGraph, config: TrainConfig, *,
                 seed: int | None = None, tables: list | None = None) -> np.ndarray:
    """Inference for every track: precomputed neighbourhood tables (seeded), then the
    encoder over all tracks in chunks (no per-node sampling)."""
    import torch

    if tables is None:
        tables = inference_tables(graph, config, model.config.layers, seed=seed)
    was_training = model.training
    model.eval()
    try:
        flat, offsets, weights = graph.bags(np.arange(graph.n_tracks))
        bags = (torch.from_numpy(flat), torch.from_numpy(offsets), torch.from_numpy(weights))
        out = model.embed_all(torch.from_numpy(data.features), bags, tables)
    finally:
        model.train(was_training)
    return out.numpy()


def train(data: GraphData, train_memberships: np.ndarray, *,
          contexts: tuple[str, ...] = CONTEXT_TYPES, config: TrainConfig = TrainConfig(),
          progress: ProgressFn | None = None, cancel: CancelToken | None = None) -> TrainResult:
    """Train the encoder on ``train_memberships`` (the caller's training part only).

    ``config.threads`` sets torch's CPU threads for this call only (restored afterwards).
    """
    import torch

    previous_threads = torch.get_num_threads()
    if config.threads:
        torch.set_num_threads(config.threads)
    try:
        return _train(data, train_memberships, contexts, config, progress, cancel)
    finally:
        torch.set_num_threads(previous_threads)


def _train(data, train_memberships, contexts, config, progress, cancel) -> TrainResult:
    import dgl
    import torch

    from musicsage.graph.evaluate import (filtered_ranks, mean_pairwise_cosine,
                                          membership_matrix, metrics_from_ranks)
    from musicsage.graph.model import EncoderConfig, PinSageEncoder
    from musicsage.graph.objectives import PairEmbeddings, make_objective
    from musicsage.graph.sampler import FoldSampler
    from musicsage.graph.split import holdout_split

    started = time.perf_counter()
    torch.manual_seed(config.seed)
    dgl.seed(config.seed)
    rng = np.random.default_rng(config.seed)
    train_memberships = np.asarray(train_memberships, np.int64).reshape(-1, 2)
    if len(train_memberships) < 10:
        raise MusicsageError("too few playlist memberships to train a graph model "
                             f"({len(train_memberships)}; at least 10 are needed)")
    objective = make_objective(config.objective, tau=config.tau, margin=config.margin)
    if getattr(objective, "self_supervised", False):  # dgi: its own loop, same encoder
        return objective.train(data, train_memberships, contexts=contexts, config=config,
                               progress=progress, cancel=cancel)

    val = holdout_split(train_memberships, fraction=config.val_fraction,
                        seed=config.seed + 7919, max_pairs=config.val_pairs)
    fit = val.train_memberships
    val_graph = build_context_graph(data, fit, contexts)
    full_graph = build_context_graph(data, train_memberships, contexts)
    val_membership = membership_matrix(fit, data.n_tracks, data.n_playlists)
    sampler = FoldSampler(val_graph, fit, data.n_playlists, folds=config.folds,
                          layers=config.layers, walk=config.walk,
                          refresh_every=config.refresh_every,
                          playlist_contexts="playlist" in contexts, rng=rng,
                          hide_positive=config.hide_positive)

    model = PinSageEncoder(EncoderConfig(
        in_dim=data.feature_dim, n_contexts=full_graph.n_contexts, dim=config.dim,
        hidden=config.hidden, layers=config.layers, dropout=config.dropout, skip=config.skip,
        normalize=config.normalize, context_vectors=config.context_vectors,
        aggregator=config.aggregator))
    model.fit_inputs(data.features)
    pretrain_history: list[dict] = []
    if config.pretrain:
        from musicsage.graph.dgi import pretrain

        pretrain_history = pretrain(config.pretrain, model, data, val_graph, config,
                                    progress=progress, cancel=cancel)
    features = torch.from_numpy(data.features)
    # Context vectors start at zero and each is touched only when one of its tracks is in a
    # batch: they get a larger step than the dense weights (the main lever on time-to-fit).
    context_params = [p for n, p in model.named_parameters() if n.startswith("project.contexts")]
    dense_params = [p for n, p in model.named_parameters() if not n.startswith("project.contexts")]
    opt = torch.optim.Adam([{"params": dense_params, "lr": config.lr},
                            {"params": context_params, "lr": config.context_lr}],
                           weight_decay=config.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, config.warmup)))

    val_tables = inference_tables(val_graph, config, config.layers, seed=config.seed + 1)

    def validate() -> tuple[float, float]:
        emb = embed_tracks(model, data, val_graph, config, tables=val_tables)
        ranks = filtered_ranks(emb, val.pairs, val_membership)
        return metrics_from_ranks(ranks)["hr@10"], mean_pairwise_cosine(emb, sample=1000)

    history: list[dict] = []
    best_val, best_step, best_state, bad = -1.0, 0, None, 0
    losses: list[float] = []
    step = 0
    report(progress, "train", 0, config.max_steps, "sampling", step=0)
    for step in range(1, config.max_steps + 1):
        check_cancel(cancel)
        batch = sampler.sample(config.batch_size, drop_pair_edges=config.drop_pair_edges)
        if len(batch.heads) < 2:
            continue
        src = batch.blocks[0].src_ids
        flat, offsets, weights = batch.graph.bags(src)
        emb = model(batch.blocks, features[torch.from_numpy(src)],
                    (torch.from_numpy(flat), torch.from_numpy(offsets), torch.from_numpy(weights)))
        pairs = PairEmbeddings.from_ids(emb[torch.from_numpy(batch.head_pos)],
                                        emb[torch.from_numpy(batch.tail_pos)],
                                        batch.heads, batch.tails, batch.playlists)
        loss = objective(pairs)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss))
        # a library too small to leave validation pairs trains to max_steps, keeping the end
        if len(val.pairs) and (step % config.eval_every == 0 or step == config.max_steps):
            val_hr10, mean_cos = validate()
            mean_loss = float(np.mean(losses[-config.eval_every:]))
            history.append({"step": step, "loss": mean_loss, "val_hr10": val_hr10,
                            "mean_cos": mean_cos, "gate": float(model.gate),
                            "seconds": time.perf_counter() - started})
            if val_hr10 > best_val:
                best_val, best_step, bad = val_hr10, step, 0
                best_state = copy.deepcopy(model.state_dict())
            else:
                bad += 1
            report(progress, "train", step, config.max_steps,
                   f"loss {mean_loss:.3f} val HR@10 {val_hr10:.3f}", step=step, loss=mean_loss,
                   val_hr10=val_hr10, mean_cos=mean_cos)
            if bad >= config.patience:
                break
        elif step % 10 == 0:
            report(progress, "train", step, config.max_steps, f"loss {losses[-1]:.3f}",
                   step=step, loss=losses[-1])
    if best_state is not None:
        model.load_state_dict(best_state)
    else:  # no validation pairs: the last state is the model (best_val_hr10 stays 0)
        best_step, best_val = step, 0.0
    model.eval()
    return TrainResult(model=model, graph=full_graph, contexts=tuple(contexts), config=config,
                       history=history, best_step=best_step, best_val_hr10=best_val,
                       steps=step, seconds=time.perf_counter() - started,
                       pretrain_history=pretrain_history)
