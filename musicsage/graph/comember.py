"""The co-member encoder: a second, plain view of the library, mixed into the model's vectors.

Why it is there. The graph model trains the way the evaluation asks: the positive's
membership is hidden from its input, so it learns to place a track that has lost its
playlist — a cold target whose artist is in the playlist — and it ranks those well. The
price is the *warm* targets, tracks already in another playlist: their vectors lean toward
that other playlist, and tracks with no playlist come between them and the query. A plain
encoder trained on co-member pairs with every membership in view (the "crude" baseline of
``bench/``: unit(MLP(features) + mean of learned context vectors), InfoNCE at τ 0.1, batch
512, a fixed 3,000 steps) is the other way round: better on warm targets, worse on cold
ones. Their mistakes differ, so the vectors served can join both::

    v = unit([ √(1−w) · unit(model vector) ;  √w · unit(co-member vector) ])

whose cosine is (1−w)·cos_model + w·cos_co-member. ``w`` comes from :data:`WEIGHTS`, chosen
after training on the trainer's own validation split (the protocol again, on training
memberships), ties to the smaller weight; w = 0 serves the model's vectors bit for bit. The
two-hop part (:mod:`~musicsage.graph.two_hop`) is joined afterwards, to the mixed vectors.
docs/model.md ("The co-member view") has what it is worth.

Inductive like the graph encoder: features are z-scored with statistics stored in the
weights, each context has one learned vector, looked up by key; a context the encoder never
saw (a new playlist) contributes a zero vector to the mean, as in the graph encoder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from musicsage.audio.threads import torch_threads
from musicsage.errors import MusicsageError
from musicsage.graph.build import ContextGraph, lined_up
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report
from musicsage.graph.two_hop import best_weight
from musicsage.text import loss_text
from musicsage.vectors import constant_columns, unit_rows

#: the weights validation chooses from (0 = the graph model's vectors alone)
WEIGHTS = (0.0, 0.25, 0.5, 0.75)
#: the crude baseline's recipe, as bench/graph_baselines.py runs it
HIDDEN, BATCH, TAU, LR = 128, 512, 0.1, 1e-3
REPORT_EVERY = 100
_CHUNK = 4096
#: passes over the training memberships the view trains for at most (each step draws
#: ``BATCH`` of them as heads): past that its loss is flat. The benchmarks get their full
#: 3,000 steps from 3,072 training memberships up (their fewest: CiteSeer's 4,676); a tiny
#: library stops after a few steps instead of 3,000 that learn nothing.
EPOCHS = 500


def comember_steps(n_memberships: int, cap: int) -> int:
    """The view's step count for ``n_memberships`` training memberships: :data:`EPOCHS`
    passes over them, at most ``cap`` (``comember_steps``, capped by ``max_steps``), at
    least 1."""
    return max(1, min(int(cap), math.ceil(EPOCHS * max(int(n_memberships), 0) / BATCH)))


class CoMemberEncoder(torch.nn.Module):
    """unit(MLP(z-scored features) + mean of the track's learned context vectors)."""

    def __init__(self, in_dim: int, n_contexts: int, dim: int = 64, hidden: int = HIDDEN
                 ) -> None:
        super().__init__()
        self.in_dim, self.dim, self.hidden = int(in_dim), int(dim), int(hidden)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(in_dim, hidden), torch.nn.ReLU(),
                                       torch.nn.Linear(hidden, dim))
        self.contexts = torch.nn.Parameter(torch.randn(max(n_contexts, 1), dim) * 0.1)
        self.register_buffer("mean", torch.zeros(in_dim))
        self.register_buffer("inv_scale", torch.ones(in_dim))

    def set_feature_statistics(self, features: np.ndarray) -> None:
        """Store the features' mean and 1/std (0 for a column constant exactly or up to
        rounding, which then carries nothing, as :func:`musicsage.vectors.zscore` does)."""
        x = np.asarray(features, np.float64)
        std = x.std(0)
        keep = ~constant_columns(x) & (std > 0)
        inv = np.where(keep, 1.0 / np.where(keep, std, 1.0), 0.0)
        self.mean.copy_(torch.from_numpy(x.mean(0).astype(np.float32)))
        self.inv_scale.copy_(torch.from_numpy(inv.astype(np.float32)))

    def forward(self, features: torch.Tensor, flat: torch.Tensor, offsets: torch.Tensor
                ) -> torch.Tensor:
        x = (features - self.mean) * self.inv_scale
        bag = F.embedding_bag(flat, self.contexts, offsets, mode="mean")  # empty bag: zeros
        return F.normalize(self.mlp(x) + bag, dim=1)

    def vectors(self, features: np.ndarray, graph: ContextGraph) -> np.ndarray:
        """Every track's vector on ``graph`` (whose contexts must be the encoder's rows:
        see :func:`aligned`)."""
        self.eval()
        out = []
        with torch.no_grad():
            for lo in range(0, graph.n_tracks, _CHUNK):
                rows = np.arange(lo, min(lo + _CHUNK, graph.n_tracks))
                out.append(self._encode(features, graph, rows))
        vectors = torch.cat(out).numpy() if out else np.zeros((0, self.dim), np.float32)
        if not np.isfinite(vectors).all():  # mixing would zero them silently (unit_rows)
            # the window shows this line too, and its Retrain trains the view again with the
            # same defaults: the way on is the command line's, said as train.diverged_text does
            raise MusicsageError("training diverged: the co-member view's vectors hold NaN or "
                                 "infinite values; train again without it (--set "
                                 "comember=false on the command line: the window's Retrain "
                                 "has no such setting)")
        return vectors

    def _encode(self, features: np.ndarray, graph: ContextGraph, rows: np.ndarray
                ) -> torch.Tensor:
        flat, offsets, _ = graph.bags(rows)
        x = torch.from_numpy(np.ascontiguousarray(features[rows], np.float32))
        return self(x, torch.from_numpy(flat), torch.from_numpy(offsets))


def aligned(encoder: CoMemberEncoder, trained_keys: list[str], graph: ContextGraph
            ) -> CoMemberEncoder:
    """A copy of ``encoder`` whose context rows follow ``graph``'s contexts (by key); a
    context it never saw gets a zero row."""
    table = torch.from_numpy(lined_up(encoder.contexts.detach().numpy(), trained_keys, graph,
                                      at_least=1))
    out = CoMemberEncoder(encoder.in_dim, graph.n_contexts, encoder.dim, encoder.hidden)
    state = {k: v for k, v in encoder.state_dict().items() if k != "contexts"}
    out.load_state_dict({**state, "contexts": table})
    return out.eval()


def fit_comember(features: np.ndarray, graph: ContextGraph, memberships: np.ndarray,
                 n_playlists: int, *, dim: int, steps: int, seed: int,
                 threads: int | None = None, progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None) -> CoMemberEncoder:
    """Train a co-member encoder on ``graph`` (the training memberships ``memberships``) for
    ``steps`` steps on the CPU (it is small: about a minute for 28k tracks), with ``threads``
    torch threads when given (restored after); progress as stage 'co-member', its loss in
    the message."""
    with torch_threads(threads or None):
        return _fit(features, graph, memberships, n_playlists, dim=dim, steps=steps, seed=seed,
                    progress=progress, cancel=cancel)


def _fit(features: np.ndarray, graph: ContextGraph, memberships: np.ndarray,
         n_playlists: int, *, dim: int, steps: int, seed: int, progress: ProgressFn | None,
         cancel: CancelToken | None) -> CoMemberEncoder:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = CoMemberEncoder(features.shape[1], graph.n_contexts, dim)
    model.set_feature_statistics(features)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    x = np.ascontiguousarray(features, np.float32)
    sampler = _PairSampler(memberships, n_playlists)
    losses: list[float] = []
    model.train()
    for step in range(1, steps + 1):
        check_cancel(cancel)
        heads, tails = sampler.sample(rng, BATCH)
        if len(heads) >= 2:
            loss = _symmetric_infonce(model._encode(x, graph, heads),
                                      model._encode(x, graph, tails))
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
        if step % REPORT_EVERY == 0 or step == steps:
            recent = float(np.mean(losses[-REPORT_EVERY:])) if losses else float("nan")
            # no step/loss extras: the window's loss curve is the graph model's
            report(progress, "co-member", step, steps,
                   f"co-member view: loss {loss_text(recent)}")
    return model.eval()


class _PairSampler:
    """Co-member pairs (heads, tails): a random membership (t, p), then a random other
    member of p — both memberships in view (nothing is hidden: that is the point of this
    view). The playlist index is built once."""

    def __init__(self, memberships: np.ndarray, n_playlists: int) -> None:
        self.m = np.asarray(memberships, np.int64).reshape(-1, 2)
        self.by_playlist = self.m[np.argsort(self.m[:, 1], kind="stable")]
        self.starts = np.searchsorted(self.by_playlist[:, 1], np.arange(n_playlists + 1))

    def sample(self, rng: np.random.Generator, batch: int) -> tuple[np.ndarray, np.ndarray]:
        i = rng.integers(len(self.m), size=batch)
        p = self.m[i, 1]
        size = self.starts[p + 1] - self.starts[p]
        j = self.starts[p] + (rng.random(batch) * size).astype(np.int64)
        ok = (size > 1) & (self.by_playlist[j, 0] != self.m[i, 0])
        return self.m[i[ok], 0], self.by_playlist[j[ok], 0]


def _symmetric_infonce(heads: torch.Tensor, tails: torch.Tensor) -> torch.Tensor:
    logits = heads @ tails.T / TAU
    target = torch.arange(len(heads))
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def mix(emb: np.ndarray, other: np.ndarray, weight: float) -> np.ndarray:
    """``[√(1−w)·unit(emb), √w·unit(other)]`` (unit rows); ``emb`` unchanged when w is 0."""
    if weight <= 0:
        return emb
    return unit_rows(np.hstack([np.float32(np.sqrt(1.0 - weight)) * unit_rows(emb),
                                np.float32(np.sqrt(weight)) * unit_rows(other)]))


def choose_weight(emb: np.ndarray, other: np.ndarray, score: Callable[[np.ndarray], float],
                  weights=WEIGHTS) -> tuple[float, dict[float, float]]:
    """(the weight whose mixed vectors ``score`` best, every weight's score); ties go to
    the smaller weight, so a view that does not help stays out."""
    scores = {float(w): float(score(mix(emb, other, w))) for w in weights}
    return best_weight(scores), scores


@dataclass(eq=False)
class CoMember:
    """A trained co-member encoder, the keys of its context rows and its chosen weight."""

    encoder: CoMemberEncoder
    context_keys: list[str]
    weight: float

    def apply(self, emb: np.ndarray, features: np.ndarray, graph: ContextGraph) -> np.ndarray:
        """``emb`` mixed with this view's vectors on ``graph`` (``emb`` itself at w = 0)."""
        if self.weight <= 0:
            return emb
        encoder = self.encoder
        if [str(k) for k in graph.context_keys] != self.context_keys:
            encoder = aligned(encoder, self.context_keys, graph)
        return mix(emb, encoder.vectors(features, graph), self.weight)
