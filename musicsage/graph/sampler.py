"""PinSAGE neighbourhoods, training pairs and the blocks a training step runs on.

Why it looks like this:

- **Held-aside folds mimic the evaluation.** At test time the query q still has playlist p
  among its contexts while the held-out track t does not (that membership is hidden). Training
  pairs are made the same way: the training memberships are cut into folds; a step takes
  (t, p) from one fold, the head h is one random step p→h in that fold's graph (the training
  graph minus the fold), and both are encoded on that graph. So the positive's membership is
  absent from its input, its context vectors and every random walk — the model must predict
  it from the rest (album, artist, other playlists, audio), which is what HR@K measures.
- **Batch sampling.** ``PinSAGESampler`` for all tracks at once costs about as much as for the
  few thousand nodes of one step's 2-hop neighbourhood, so each fold keeps a sampled
  neighbourhood table per layer and resamples it every few visits; a step only gathers rows.
- **Pair edges removed.** Edges between a step's heads and tails (either direction) are cut
  from the step's blocks, as in the DGL PinSage example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from musicsage.errors import MusicsageError
from musicsage.graph.build import CONTEXT, TRACK, ContextGraph


@dataclass(frozen=True, eq=False)
class Neighbourhoods:
    """Top-k PinSAGE neighbours of every track: ``nbr[i]`` global ids, ``weight[i]`` visit
    counts (0 = padding)."""

    nbr: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True, eq=False)
class Block:
    """One layer's computation: ``src_ids`` (global, dst nodes first), per-dst neighbour
    table as local indices into ``src_ids``. With no layers, a batch carries one empty block
    (no neighbours) that only names its nodes."""

    src_ids: np.ndarray
    nbr: np.ndarray
    weight: np.ndarray

    @property
    def n_dst(self) -> int:
        return len(self.nbr)


NEGATIVE_POOLS = ("all", "cold")


@dataclass(frozen=True)
class WalkParams:
    num_walks: int = 30
    num_neighbors: int = 10
    num_traversals: int = 2
    termination_prob: float = 0.5

    def __post_init__(self) -> None:
        # num_walks=0 killed the process in DGL's sampler (a floating-point exception)
        if min(self.num_walks, self.num_neighbors, self.num_traversals) < 1 \
                or not 0.0 <= self.termination_prob <= 1.0:
            raise MusicsageError("num_walks, num_neighbors and num_traversals must be at "
                                 "least 1, termination_prob between 0 and 1")


def sample_neighbourhoods(graph: ContextGraph, params: WalkParams, dgl_graph=None
                          ) -> Neighbourhoods:
    """``dgl.sampling.PinSAGESampler`` over every track (random state: ``dgl.seed``)."""
    import dgl
    import torch

    g = dgl_graph if dgl_graph is not None else graph.dgl_graph()
    n, k = graph.n_tracks, params.num_neighbors
    sampler = dgl.sampling.PinSAGESampler(g, TRACK, CONTEXT, params.num_traversals,
                                          params.termination_prob, params.num_walks, k)
    frontier = sampler(torch.arange(n))
    src, dst = (t.numpy() for t in frontier.edges())
    w = frontier.edata["weights"].numpy().astype(np.float32)
    keep = src != dst  # a walk that returns to its start is no neighbour
    src, dst, w = src[keep], dst[keep], w[keep]
    order = np.lexsort((-w, dst))
    src, dst, w = src[order], dst[order], w[order]
    starts = np.searchsorted(dst, np.arange(n))
    slot = np.arange(len(dst)) - starts[dst]
    ok = slot < k
    nbr = np.repeat(np.arange(n, dtype=np.int64)[:, None], k, 1)
    weight = np.zeros((n, k), np.float32)
    nbr[dst[ok], slot[ok]] = src[ok]
    weight[dst[ok], slot[ok]] = w[ok]
    return Neighbourhoods(nbr, weight)


def expand(dst_ids: np.ndarray, table: Neighbourhoods, *, drop_keys: np.ndarray | None = None,
           n_tracks: int = 0) -> Block:
    """The block whose dst nodes are ``dst_ids`` (unique), neighbours from ``table``.

    ``drop_keys``: sorted ``dst * n_tracks + src`` keys of edges to cut.
    """
    nbr = table.nbr[dst_ids]
    weight = table.weight[dst_ids].copy()
    if drop_keys is not None and len(drop_keys):
        keys = dst_ids[:, None] * n_tracks + nbr
        weight[np.isin(keys, drop_keys)] = 0.0
    valid = weight > 0
    n_dst = len(dst_ids)
    ids = np.concatenate([dst_ids, nbr[valid]])
    uniq, inv = np.unique(ids, return_inverse=True)
    pos = np.full(len(uniq), -1, np.int64)
    pos[inv[:n_dst]] = np.arange(n_dst)
    new = pos < 0
    pos[new] = n_dst + np.arange(int(new.sum()))
    src_ids = np.empty(len(uniq), np.int64)
    src_ids[pos] = uniq
    local = np.zeros(nbr.shape, np.int64)
    local[valid] = pos[inv[n_dst:]]
    return Block(src_ids, local, weight)


def sample_blocks(seeds: np.ndarray, tables: list[Neighbourhoods], *,
                  drop_keys: np.ndarray | None = None, n_tracks: int = 0) -> list[Block]:
    """Blocks from input layer to output layer; the last block's dst nodes are ``seeds``."""
    blocks: list[Block] = []
    dst = np.asarray(seeds, np.int64)
    for table in reversed(tables):
        block = expand(dst, table, drop_keys=drop_keys, n_tracks=n_tracks)
        blocks.insert(0, block)
        dst = block.src_ids
    return blocks or [Block(dst, np.zeros((len(dst), 0), np.int64),
                            np.zeros((len(dst), 0), np.float32))]


def pair_keys(heads: np.ndarray, tails: np.ndarray, n_tracks: int) -> np.ndarray:
    """Sorted keys of both directions of every (head, tail) edge."""
    return np.unique(np.concatenate([heads * n_tracks + tails, tails * n_tracks + heads]))


@dataclass(frozen=True, eq=False)
class PairBatch:
    """One step's pairs: head h (a member of ``playlists`` in the fold graph) and tail t (whose
    membership in that playlist is hidden), encoded on ``graph`` through ``blocks``.
    ``negatives``: extra candidate tracks drawn from the catalogue (``negative_member[i, j]``:
    negative j is a training member of pair i's playlist, so no negative for it)."""

    heads: np.ndarray
    tails: np.ndarray
    playlists: np.ndarray
    seeds: np.ndarray
    head_pos: np.ndarray
    tail_pos: np.ndarray
    blocks: list[Block]
    graph: ContextGraph
    negatives: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    negative_pos: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    negative_member: np.ndarray | None = None
    #: [B, B + B + M]: candidate (tails ‖ heads ‖ negatives) shares a playlist of the fold
    #: graph with head i — a known co-member, which the evaluation filters out (None: off)
    known: np.ndarray | None = None


@dataclass(eq=False)
class _Fold:
    """One held-aside fold: its memberships, the graph without them, and that graph's
    playlist → members index (sorted members + per-playlist starts) for one-step walks."""

    aside: np.ndarray
    members: np.ndarray
    starts: np.ndarray
    graph: ContextGraph
    cold: np.ndarray
    matrix: object = None
    dgl_graph: object = None
    tables: list | None = None
    visits: int = 0


class FoldSampler:
    """Training pairs and blocks from K held-aside folds of the training memberships."""

    def __init__(self, graph: ContextGraph, memberships: np.ndarray, n_playlists: int, *,
                 folds: int, layers: int, walk: WalkParams, refresh_every: int,
                 playlist_contexts: bool, rng: np.random.Generator,
                 hide_positive: bool = True, negative_pool: str = "all") -> None:
        """``hide_positive=False`` (ablation only): one fold, the positive's membership stays
        in the graph — the shortcut the evaluation never offers. ``negative_pool``: where
        extra negatives come from, 'all' tracks or the fold's 'cold' ones (no playlist in the
        fold graph: what unplaylisted tracks and cold targets look like)."""
        if negative_pool not in NEGATIVE_POOLS:
            raise ValueError(f"negative_pool must be one of {NEGATIVE_POOLS}")
        self.n_tracks = graph.n_tracks
        self.negative_pool = negative_pool
        self.layers = layers
        self.walk = walk
        self.refresh_every = max(1, refresh_every)
        self.rng = rng
        m = np.asarray(memberships, np.int64).reshape(-1, 2)
        self.n_playlists = max(n_playlists, 1)
        self.member_keys = np.unique(m[:, 0] * self.n_playlists + m[:, 1])
        # never more folds than memberships: an empty fold crashed its step (folds=50 on 20)
        n_folds = max(1, min(folds, len(m))) if hide_positive else 1
        chunks = np.array_split(rng.permutation(len(m)), n_folds)
        self.folds = []
        for chunk in chunks:
            aside = m[chunk]
            rest = np.delete(m, chunk, axis=0) if hide_positive else m
            fold_graph = graph.without(aside) if playlist_contexts and hide_positive else graph
            rest = rest[np.argsort(rest[:, 1], kind="stable")]
            starts = np.searchsorted(rest[:, 1], np.arange(n_playlists + 1))
            cold = np.setdiff1d(np.arange(self.n_tracks), rest[:, 0])
            matrix = sp.csr_matrix((np.ones(len(rest), np.float32), (rest[:, 0], rest[:, 1])),
                                   shape=(self.n_tracks, self.n_playlists))
            self.folds.append(_Fold(aside, rest[:, 0], starts, fold_graph, cold, matrix))
        self._next = 0

    def _tables(self, fold: _Fold) -> list[Neighbourhoods]:
        """The fold's neighbourhood tables, resampled every ``refresh_every`` visits."""
        if self.layers == 0:
            return []
        if fold.tables is None or fold.visits % self.refresh_every == 0:
            if fold.dgl_graph is None:
                fold.dgl_graph = fold.graph.dgl_graph()
            fold.tables = [sample_neighbourhoods(fold.graph, self.walk, fold.dgl_graph)
                           for _ in range(self.layers)]
        fold.visits += 1
        return fold.tables

    def _negatives(self, fold: _Fold, n: int) -> np.ndarray:
        pool = fold.cold if self.negative_pool == "cold" and len(fold.cold) else None
        if n <= 0:
            return np.zeros(0, np.int64)
        if pool is None:
            return self.rng.integers(self.n_tracks, size=n)
        return pool[self.rng.integers(len(pool), size=n)]

    def sample(self, batch_size: int, *, drop_pair_edges: bool = True,
               negatives: int = 0, mask_known: bool = False) -> PairBatch:
        """A fresh batch: fold after fold, (t, p) from the fold, h one step p→h; plus
        ``negatives`` tracks from the negative pool; ``mask_known``: compute which
        candidates share a fold-graph playlist with each head."""
        fold = self.folds[self._next]
        self._next = (self._next + 1) % len(self.folds)
        aside, starts, members = fold.aside, fold.starts, fold.members
        i = self.rng.integers(len(aside), size=batch_size)
        tails, playlists = aside[i, 0], aside[i, 1]
        size = starts[playlists + 1] - starts[playlists]
        ok = size > 0
        tails, playlists, size = tails[ok], playlists[ok], size[ok]
        heads = members[starts[playlists] + (self.rng.random(len(tails)) * size).astype(np.int64)]
        distinct = heads != tails
        heads, tails, playlists = heads[distinct], tails[distinct], playlists[distinct]
        extra = self._negatives(fold, negatives)
        seeds, inv = np.unique(np.concatenate([heads, tails, extra]), return_inverse=True)
        tables = self._tables(fold)
        drop = pair_keys(heads, tails, self.n_tracks) if drop_pair_edges else None
        blocks = sample_blocks(seeds, tables, drop_keys=drop, n_tracks=self.n_tracks)
        b = len(heads)
        member = None
        if len(extra):
            keys = extra[None, :] * self.n_playlists + playlists[:, None]
            member = np.isin(keys, self.member_keys)
        known = None
        if mask_known:
            candidates = fold.matrix[np.concatenate([tails, heads, extra])]
            known = (fold.matrix[heads] @ candidates.T).toarray() > 0
        return PairBatch(heads, tails, playlists, seeds, inv[:b], inv[b:2 * b], blocks,
                         fold.graph, extra, inv[2 * b:], member, known)
