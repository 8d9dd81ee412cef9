"""Filtered ranking (DESIGN.md step 3–4): HR@10/50/100 and MRR of any embedding matrix.

For a pair (q, t): rank t by cosine to q among all tracks except q and q's *known* co-members
(tracks sharing a training playlist with q); t always stays a candidate. rank = 1 + number of
remaining candidates scoring strictly higher. MRR is the mean of the true 1/rank (no cut-off).

Vectorised in chunks of queries: one (chunk × n_tracks) score block and one dense mask of
excluded tracks per chunk, so 3,000 pairs over 28k tracks take well under a second.
"""

from __future__ import annotations

import numpy as np

from musicsage.graph.split import EvalPairs, Split
from musicsage.vectors import unit_rows, zscore

KS = (10, 50, 100)
METRIC_KEYS = tuple(f"hr@{k}" for k in KS) + ("mrr",)


def membership_matrix(train_memberships: np.ndarray, n_tracks: int, n_playlists: int):
    """Sparse (tracks × playlists) 0/1 matrix of the training memberships."""
    import scipy.sparse as sp

    m = np.asarray(train_memberships, np.int64).reshape(-1, 2)
    return sp.csr_matrix((np.ones(len(m), np.float32), (m[:, 0], m[:, 1])),
                         shape=(n_tracks, max(n_playlists, 1)))


def filtered_ranks(embeddings: np.ndarray, pairs: EvalPairs, membership, *,
                   chunk: int = 256) -> np.ndarray:
    """1-based filtered rank of each pair's positive (see module doc)."""
    emb = unit_rows(embeddings)
    n = len(emb)
    ranks = np.empty(len(pairs), dtype=np.int64)
    membership = membership.tocsr()
    for lo in range(0, len(pairs), chunk):
        q = pairs.queries[lo:lo + chunk]
        t = pairs.positives[lo:lo + chunk]
        rows = np.arange(len(q))
        scores = emb[q] @ emb.T
        target = scores[rows, t]
        excluded = (membership[q] @ membership.T).toarray() > 0
        excluded[rows, q] = True
        excluded[rows, t] = False
        higher = (scores > target[:, None]) & ~excluded
        ranks[lo:lo + chunk] = 1 + higher.sum(1)
    assert n >= 1
    return ranks


def metrics_from_ranks(ranks: np.ndarray) -> dict[str, float | None]:
    """HR@K and MRR; ``None`` (JSON null) for every metric when there is no pair to score
    (e.g. a split without cold-start pairs) — never NaN, which is not JSON."""
    if len(ranks) == 0:
        return {key: None for key in METRIC_KEYS}
    out = {f"hr@{k}": float(np.mean(ranks <= k)) for k in KS}
    out["mrr"] = float(np.mean(1.0 / ranks))
    return out


def ratio(graph: dict, audio: dict) -> dict[str, float | None]:
    """graph / audio per metric; None where either is undefined or audio scores 0."""
    return {k: (graph[k] / audio[k] if graph[k] is not None and audio[k] else None)
            for k in METRIC_KEYS}


def evaluate(embeddings: np.ndarray, features: np.ndarray, split: Split, n_tracks: int,
             n_playlists: int) -> dict:
    """DESIGN.md's ``eval`` JSON for one split: graph vs audio-only, ratio, cold start."""
    membership = membership_matrix(split.train_memberships, n_tracks, n_playlists)
    pairs = split.pairs
    g_ranks = filtered_ranks(embeddings, pairs, membership)
    a_ranks = filtered_ranks(zscore(features), pairs, membership)
    cold = np.asarray(membership[pairs.positives].sum(1)).ravel() == 0
    graph, audio = metrics_from_ranks(g_ranks), metrics_from_ranks(a_ranks)
    return {
        "graph": graph,
        "audio": audio,
        "ratio": ratio(graph, audio),
        "cold_start": {"graph": metrics_from_ranks(g_ranks[cold]),
                       "audio": metrics_from_ranks(a_ranks[cold]),
                       "pairs": int(cold.sum())},
        "pairs": len(pairs),
    }


def validation_hr10(embeddings: np.ndarray, split: Split, n_tracks: int,
                    n_playlists: int) -> float:
    """HR@10 over a split's pairs (the score early stopping and model selection use)."""
    membership = membership_matrix(split.train_memberships, n_tracks, n_playlists)
    return metrics_from_ranks(filtered_ranks(embeddings, split.pairs, membership))["hr@10"]


def mean_pairwise_cosine(embeddings: np.ndarray, *, sample: int = 2000, seed: int = 0) -> float:
    """Mean cosine between distinct tracks of a random sample (near 1 = collapse)."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(embeddings), size=min(sample, len(embeddings)), replace=False)
    e = unit_rows(embeddings[idx])
    s = e @ e.T
    k = len(e)
    return float((s.sum() - np.trace(s)) / max(k * (k - 1), 1))


def aggregate(results: list[dict]) -> dict:
    """Mean over seeds of every number in the eval JSON, plus ``std`` of the same shape."""

    def combine(items, reducer):
        first = items[0]
        if isinstance(first, dict):
            return {k: combine([it[k] for it in items], reducer) for k in first}
        numbers = [x for x in items if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if numbers and len(numbers) + items.count(None) == len(items):
            # a seed whose split had no pair of a kind (None) is left out of that mean
            return float(reducer(np.asarray(numbers, dtype=np.float64)))
        return first

    mean = combine(results, np.mean)
    std = combine(results, lambda a: a.std(ddof=0))
    mean["std"] = std
    mean["seeds"] = len(results)
    return mean
