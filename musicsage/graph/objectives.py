"""Objectives: what one training step samples and what its loss is.

The :class:`~musicsage.graph.trainer.Trainer` owns the loop (optimiser, warm-up, validation,
patience, best state); an :class:`Objective` only answers "the loss of the next step". The
pair objectives (InfoNCE, hinge) sample (head, tail) pairs from held-aside folds of the
training memberships (:class:`~musicsage.graph.sampler.FoldSampler`); the self-supervised one
(DGI, :mod:`musicsage.graph.dgi`) samples seed tracks and corrupts their features.

Pair candidates for a head are every tail of the batch and every *other head*: heads keep all
their memberships, like the candidates of the evaluation. Candidates that share the head's
playlist are masked out (they are co-members, not negatives — the filtered protocol does the
same).

Everything a step samples is numpy on the CPU; its tensors are made on the model's device
(:func:`~musicsage.graph.device.to_device`): on a GPU, only a step's sampled arrays cross over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from musicsage.graph.build import ContextGraph
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.device import model_device, to_device
from musicsage.graph.sampler import FoldSampler


@dataclass(eq=False)
class StepSetup:
    """What an objective is given before its first step.

    ``graph``/``memberships``: the graph it trains on and its playlist memberships (the
    training memberships minus validation ones — never held-out ones).
    """

    model: torch.nn.Module
    data: GraphData
    graph: ContextGraph
    memberships: np.ndarray
    contexts: tuple[str, ...]
    config: TrainConfig
    rng: np.random.Generator

    @property
    def device(self) -> torch.device:
        """Where the step's tensors go: where the model's weights are."""
        return model_device(self.model)

    @property
    def features(self) -> torch.Tensor:
        """Every track's features on :attr:`device` (moved once, indexed per step)."""
        return to_device(np.ascontiguousarray(self.data.features, np.float32), self.device)


class Objective:
    """Base class: ``prepare`` once, then ``loss`` per step (None: nothing to learn from
    this step's sample). ``parameters``: trainable tensors of its own (a discriminator);
    ``trains_contexts``: whether the encoder's context vectors get gradients from it."""

    name = ""
    trains_contexts = True

    def prepare(self, setup: StepSetup) -> None:
        raise NotImplementedError

    def parameters(self) -> list[torch.nn.Parameter]:
        return []

    def loss(self) -> torch.Tensor | None:
        raise NotImplementedError


def bags_tensors(graph: ContextGraph, rows: np.ndarray, device: torch.device):
    """``graph.bags(rows)`` as tensors on ``device``, the encoder's context input."""
    flat, offsets, weights = graph.bags(rows)
    return to_device(flat, device), to_device(offsets, device), to_device(weights, device)


@dataclass(frozen=True, eq=False)
class PairEmbeddings:
    """heads/tails: [B, D]; ``not_negative_tails[i, j]``: tail j is no negative for head i
    (other than j == i, the positive); ``not_negative_heads[i, j]`` likewise for heads.
    ``negatives``: [M, D] extra catalogue candidates, ``not_negative_extra``: [B, M].
    ``log_q``: when set, the log-probability that each candidate column (tails ‖ heads ‖
    negatives) was drawn — subtracted from the logits (sampling-bias correction)."""

    heads: torch.Tensor
    tails: torch.Tensor
    not_negative_tails: torch.Tensor
    not_negative_heads: torch.Tensor
    negatives: torch.Tensor | None = None
    not_negative_extra: torch.Tensor | None = None
    log_q: torch.Tensor | None = None

    @classmethod
    def from_ids(cls, heads: torch.Tensor, tails: torch.Tensor, head_ids, tail_ids,
                 playlists, *, negatives: torch.Tensor | None = None, negative_ids=None,
                 negative_member=None, known=None) -> "PairEmbeddings":
        """Masks from ids: same playlist, same track, or the head itself are no negatives
        (``negative_member[i, j]``: extra j is a member of pair i's playlist); ``known``
        [B, B + B + M]: candidates that share another playlist with the head (filtered, as
        the evaluation filters a query's known co-members; the positive stays). The masks
        are made on the embeddings' device."""
        device = heads.device
        p = to_device(playlists, device)
        h = to_device(head_ids, device)
        t = to_device(tail_ids, device)
        same_p = p[:, None] == p[None, :]
        eye = torch.eye(len(p), dtype=torch.bool, device=device)
        not_tail = (same_p | (t[None, :] == t[:, None]) | (t[None, :] == h[:, None])) & ~eye
        not_head = same_p | (h[None, :] == h[:, None]) | (h[None, :] == t[:, None])
        not_extra = None
        if negatives is not None:
            e = to_device(negative_ids, device)
            not_extra = ((e[None, :] == h[:, None]) | (e[None, :] == t[:, None])
                         | to_device(negative_member, device))
        if known is not None:
            k, n = to_device(known, device), len(p)
            not_tail = not_tail | (k[:, :n] & ~eye)
            not_head = not_head | k[:, n:2 * n]
            if not_extra is not None:
                not_extra = not_extra | k[:, 2 * n:]
        return cls(heads, tails, not_tail, not_head, negatives, not_extra)


def _candidate_scores(b: PairEmbeddings) -> tuple[torch.Tensor, torch.Tensor]:
    """Head × (tails ‖ heads ‖ extra negatives) similarities and the mask of non-negatives
    (positive excluded)."""
    scores = [b.heads @ b.tails.T, b.heads @ b.heads.T]
    masked = [b.not_negative_tails, b.not_negative_heads]
    if b.negatives is not None:
        scores.append(b.heads @ b.negatives.T)
        masked.append(b.not_negative_extra)
    return torch.cat(scores, 1), torch.cat(masked, 1)


def infonce_loss(b: PairEmbeddings, tau: float, *, symmetric: bool = True,
                 head_negatives: bool = True) -> torch.Tensor:
    """Softmax over shared in-batch candidates with temperature ``tau`` (positive: column i),
    heads as queries — the evaluation's direction — and, when ``symmetric``, tails as
    queries over the heads too. ``head_negatives`` off: a head's candidates are the tails
    and extra negatives only."""
    scores, masked = _candidate_scores(b)
    logits = scores / tau
    n = len(b.heads)
    if not head_negatives:
        masked = masked.clone()
        masked[:, n:2 * n] = True
    if b.log_q is not None:
        logits = logits - b.log_q[None, :]
    logits = logits.masked_fill(masked, float("-inf"))
    target = torch.arange(n, device=logits.device)
    forward = F.cross_entropy(logits, target)
    if not symmetric:
        return forward
    back = b.tails @ b.heads.T / tau
    if b.log_q is not None:
        back = back - b.log_q[None, n:2 * n]
    back = back.masked_fill(b.not_negative_tails.T, float("-inf"))
    return (forward + F.cross_entropy(back, target)) / 2


def hinge_loss(b: PairEmbeddings, margin: float) -> torch.Tensor:
    """max(0, margin − cos(h, t) + cos(h, n)) averaged over the in-batch negatives n."""
    scores, masked = _candidate_scores(b)
    pos = (b.heads * b.tails).sum(1, keepdim=True)
    loss = F.relu(margin - pos + scores)
    valid = ~masked
    valid[:, : len(b.heads)].fill_diagonal_(False)
    return (loss * valid).sum() / valid.sum().clamp(min=1)


class PairObjective(Objective):
    """(head, tail) pairs from the fold sampler, scored by ``loss_fn(pairs, config)``."""

    def __init__(self, name: str, loss_fn: Callable[[PairEmbeddings, TrainConfig], torch.Tensor]
                 ) -> None:
        self.name = name
        self.loss_fn = loss_fn

    def prepare(self, setup: StepSetup) -> None:
        c = setup.config
        self.model, self.config, self.device = setup.model, c, setup.device
        self.features = setup.features
        # log-probability that a track is drawn as a head or a tail: both are drawn in
        # proportion to its memberships (the sampling-bias correction of the logits)
        degree = np.bincount(setup.memberships[:, 0], minlength=setup.data.n_tracks) + 1.0
        self.log_q = to_device(np.log(degree / degree.sum()).astype(np.float32), self.device)
        self.log_uniform = float(-np.log(setup.data.n_tracks))
        self.sampler = FoldSampler(setup.graph, setup.memberships, setup.data.n_playlists,
                                   folds=c.folds, layers=c.encoder.layers, walk=c.walk,
                                   refresh_every=c.refresh_every,
                                   playlist_contexts="playlist" in setup.contexts,
                                   rng=setup.rng, hide_positive=c.hide_positive,
                                   negative_pool=c.negative_pool)

    def loss(self) -> torch.Tensor | None:
        batch = self.sampler.sample(self.config.loop.batch_size,
                                    drop_pair_edges=self.config.drop_pair_edges,
                                    negatives=self.config.negatives,
                                    mask_known=self.config.mask_known)
        if len(batch.heads) < 2:
            return None
        src, device = batch.blocks[0].src_ids, self.device
        emb = self.model(batch.blocks, self.features[to_device(src, device)],
                         bags_tensors(batch.graph, src, device))
        extra = emb[to_device(batch.negative_pos, device)] if len(batch.negatives) else None
        pairs = PairEmbeddings.from_ids(emb[to_device(batch.head_pos, device)],
                                        emb[to_device(batch.tail_pos, device)],
                                        batch.heads, batch.tails, batch.playlists,
                                        negatives=extra, negative_ids=batch.negatives,
                                        negative_member=batch.negative_member,
                                        known=batch.known)
        if self.config.popularity_correction:
            parts = [self.log_q[to_device(batch.tails, device)],
                     self.log_q[to_device(batch.heads, device)]]
            if extra is not None:
                parts.append(torch.full((len(batch.negatives),), self.log_uniform,
                                        device=device))
            pairs = replace(pairs, log_q=torch.cat(parts))
        return self.loss_fn(pairs, self.config)


def infonce() -> PairObjective:
    return PairObjective("infonce",
                         lambda pairs, c: infonce_loss(pairs, c.tau, symmetric=c.symmetric,
                                                       head_negatives=c.head_negatives))


def hinge() -> PairObjective:
    return PairObjective("hinge", lambda pairs, c: hinge_loss(pairs, c.margin))
