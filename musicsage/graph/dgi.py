"""Deep Graph Infomax on the PinSage encoder, trained on sampled blocks in minibatches.

Why it looks like this:

- **No positives, no N×N.** A step takes B seed tracks, samples their K-layer PinSAGE blocks
  (the same tables and :func:`~musicsage.graph.sampler.sample_blocks` the pair objectives
  use), encodes them twice — once with the real inputs, once with the input nodes' features
  shuffled by a derangement (:mod:`musicsage.graph.corruption`) over the *same* blocks — and
  scores each output against the batch summary ``s = sigmoid(mean of the real outputs)`` with
  a bilinear discriminator. Every tensor is O(batch × fan-out × dim) (plus the d×d
  discriminator); the graph-wide state is the O(N × k) neighbour table.
- **Loss: BCE, which is GMI's JSD estimator.** BCE-with-logits on (real → 1, shuffled → 0) is
  ``softplus(−D(h, s)) + softplus(D(h̃, s))``, exactly the negated Jensen–Shannon MI bound GMI
  writes with softplus terms; ``dgi_shuffles`` > 1 averages several shuffles as GMI does
  (each costs one more encoder pass).
- **What the shuffle may not give away.** The fake input of node i is the real input of
  another node of the same batch, so a fake node's own projected features (the skip term) look
  like a real node's. Telling them apart needs the agreement between a node and its sampled
  neighbourhood — which is what the graph layers should learn. Learned *context vectors* would
  spoil that: they are not shuffled with the features, so the encoder could learn to check
  "features agree with my own context vectors" — on Cora, where each paper is its own context,
  that is a per-node ID lookup. So DGI runs with the context vectors left out
  (``dgi_contexts='off'``: empty context bags, the vectors get no gradient and stay at their
  zero start). ``'corrupt'`` moves each node's context bag with its features instead.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from musicsage.errors import MusicsageError
from musicsage.graph.corruption import derangement
from musicsage.graph.device import to_device
from musicsage.graph.objectives import Objective, StepSetup, bags_tensors
from musicsage.graph.sampler import sample_blocks, sample_neighbourhoods

CONTEXT_MODES = ("off", "corrupt")


class BilinearDiscriminator(nn.Module):
    """D(h, s) = hᵀ W s + b: one d×d matrix, scores [B] for B nodes (never B×B)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(dim, dim))
        self.bias = nn.Parameter(torch.zeros(()))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, h: torch.Tensor, summary: torch.Tensor) -> torch.Tensor:
        return h @ (self.weight @ summary) + self.bias


def dgi_loss(pos_logits: torch.Tensor, neg_logits_list: list[torch.Tensor]) -> torch.Tensor:
    """BCE with logits = softplus(−pos) + mean over shuffles of softplus(neg) (module doc)."""
    pos = F.softplus(-pos_logits).mean()
    neg = sum(F.softplus(n).mean() for n in neg_logits_list) / len(neg_logits_list)
    return pos + neg


def _empty_bags(n: int, device: torch.device):
    return (torch.zeros(0, dtype=torch.int64, device=device),
            torch.zeros(n, dtype=torch.int64, device=device),
            torch.zeros(0, dtype=torch.float32, device=device))


class DGIObjective(Objective):
    """One minibatch DGI step per :meth:`loss`. ``last_perm``/``last_shapes`` let tests see
    what a step did."""

    name = "dgi"

    def __init__(self, *, contexts: str = "off", shuffles: int = 1) -> None:
        if contexts not in CONTEXT_MODES:
            raise MusicsageError(f"DGI contexts must be one of {', '.join(CONTEXT_MODES)}")
        if shuffles < 1:
            raise MusicsageError("DGI needs at least one shuffle")
        self.contexts, self.shuffles = contexts, shuffles
        self.trains_contexts = contexts == "corrupt"
        self.last_shapes: dict[str, tuple] = {}
        self.last_perm: np.ndarray | None = None

    def prepare(self, setup: StepSetup) -> None:
        graph = setup.graph
        if graph.n_tracks < 2:
            raise MusicsageError("DGI needs at least 2 tracks")
        self.model, self.graph, self.rng = setup.model, graph, setup.rng
        self.device, self.features = setup.device, setup.features
        self.walk, self.refresh_every = setup.config.walk, max(1, setup.config.refresh_every)
        # initialised on the CPU (its random stream), then moved: same start on any device
        self.discriminator = BilinearDiscriminator(setup.model.config.dim).to(self.device)
        # Seeds: tracks with at least one context (an isolated track's real and shuffled
        # encodings differ only by which real features it got: nothing to learn there).
        candidates = np.flatnonzero(graph.degree() > 0)
        self.candidates = candidates if len(candidates) >= 2 else np.arange(graph.n_tracks)
        self.batch_size = min(setup.config.loop.batch_size, len(self.candidates))
        self.order, self.cursor = self.rng.permutation(self.candidates), 0
        self.dgl_graph, self.tables, self.steps = None, None, 0

    def parameters(self) -> list[nn.Parameter]:
        return list(self.discriminator.parameters())

    def _next_tables(self):
        if self.tables is None or self.steps % self.refresh_every == 0:
            if self.dgl_graph is None:
                self.dgl_graph = self.graph.dgl_graph()
            self.tables = [sample_neighbourhoods(self.graph, self.walk, self.dgl_graph)
                           for _ in range(self.model.config.layers)]
        self.steps += 1
        return self.tables

    def _next_seeds(self) -> np.ndarray:
        if self.cursor + self.batch_size > len(self.order):
            self.order, self.cursor = self.rng.permutation(self.candidates), 0
        seeds = np.sort(self.order[self.cursor:self.cursor + self.batch_size])
        self.cursor += self.batch_size
        return seeds

    def loss(self) -> torch.Tensor:
        tables = self._next_tables()
        blocks = sample_blocks(self._next_seeds(), tables, n_tracks=self.graph.n_tracks)
        src, device = blocks[0].src_ids, self.device
        x = self.features[to_device(src, device)]
        corrupt = self.contexts == "corrupt"
        real_bags = (bags_tensors(self.graph, src, device) if corrupt
                     else _empty_bags(len(src), device))
        h = self.model(blocks, x, real_bags)
        summary = torch.sigmoid(h.mean(0))
        pos = self.discriminator(h, summary)
        negs = []
        for _ in range(self.shuffles):
            perm = derangement(len(src), self.rng)
            self.last_perm = perm
            fake_bags = bags_tensors(self.graph, src[perm], device) if corrupt else real_bags
            h_fake = self.model(blocks, x[to_device(perm, device)], fake_bags)
            negs.append(self.discriminator(h_fake, summary))
        self.last_shapes = {"input": tuple(x.shape), "output": tuple(h.shape),
                            "logits": tuple(pos.shape), "summary": tuple(summary.shape),
                            "src": tuple(len(b.src_ids) for b in blocks),
                            "nbr": tuple(b.nbr.shape for b in blocks)}
        return dgi_loss(pos, negs)
