"""Evaluation protocol 3, steps 4–6: filtered ranking, overall / warm / cold, audio-only.

For a pair (q, t): rank t by cosine to q among the candidates — every track except q and q's
*known* co-members (tracks sharing a training playlist with q); t always stays a candidate
with its own score. rank = 1 + the number of other candidates scoring **higher than or equal
to** t: ties count against the model, so a constant or collapsed embedding scores ≈ 0, never
1. HR@K = share of ranks ≤ K; MRR = mean of 1/rank (no cut-off). Non-finite vectors are an
error, not a score.

Besides the overall ranking, two splits no "has a playlist or not" signal can help: **warm**
targets (they keep a training membership) ranked only among tracks that have one, and
**cold** targets (left with none) ranked only among tracks that have none. And one subset of
the overall ranks: **new pairs**, whose target never shared a training playlist with its
query. The filtering removes every other such track, so a target that did is the one
candidate training ever put next to the query, and anything that counts co-occurrences ranks
it first; where playlists overlap much, that decides most pairs. Audio-only — the
input features z-scored per dimension, cosine (:func:`musicsage.vectors.zscore`) — is scored
on the same pairs. See docs/protocol.md.

Vectorised in chunks of queries: one (chunk × n_tracks) score block and one dense mask of
excluded tracks per chunk, so 3,000 pairs over 28k tracks take about a second.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import scipy.sparse as sp

from musicsage.errors import MusicsageError
from musicsage.graph.reports import FEW_PAIRS
from musicsage.graph.split import HELD_OUT, PROTOCOL_VERSION, UNPLAYLISTED, EvalPairs, Split
from musicsage.text import counted
from musicsage.vectors import require_finite, unit_rows, zscore

KS = (10, 50, 100)
METRIC_KEYS = tuple(f"hr@{k}" for k in KS) + ("mrr",)


def membership_matrix(train_memberships: np.ndarray, n_tracks: int, n_playlists: int):
    """Sparse (tracks × playlists) 0/1 matrix of the training memberships."""
    m = np.asarray(train_memberships, np.int64).reshape(-1, 2)
    return sp.csr_matrix((np.ones(len(m), np.float32), (m[:, 0], m[:, 1])),
                         shape=(n_tracks, max(n_playlists, 1)))


def checked_unit_rows(embeddings: np.ndarray, what: str = "embeddings") -> np.ndarray:
    """Unit rows of ``embeddings``; a NaN or infinity is a :class:`MusicsageError`."""
    try:
        require_finite(embeddings, what)
    except ValueError as exc:
        raise MusicsageError(f"cannot rank: {exc}") from None
    return unit_rows(embeddings)


def cosine_scorer(embeddings: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """``scorer(queries) -> [len(queries), n_tracks]`` cosine similarities of ``embeddings``."""
    emb = checked_unit_rows(embeddings)
    return lambda queries: emb[queries] @ emb.T


def filtered_ranks(embeddings, pairs: EvalPairs, membership, *,
                   allowed: np.ndarray | None = None, chunk: int = 256) -> np.ndarray:
    """1-based filtered rank of each pair's positive, ties against it (module doc).

    ``embeddings``: a [n_tracks, d] matrix (cosine), or a scorer ``f(queries) -> scores``
    (a baseline that is not an embedding, e.g. item-kNN). ``allowed``: bool mask over tracks;
    when given, only those tracks are candidates (the warm/cold splits).
    """
    score = embeddings if callable(embeddings) else cosine_scorer(embeddings)
    ranks = np.empty(len(pairs), dtype=np.int64)
    membership = membership.tocsr()
    if allowed is not None and len(pairs) and not allowed[pairs.positives].all():
        raise ValueError("a positive is outside the allowed candidates")
    for lo in range(0, len(pairs), chunk):
        q = pairs.queries[lo:lo + chunk]
        t = pairs.positives[lo:lo + chunk]
        rows = np.arange(len(q))
        scores = np.asarray(score(q))
        if not np.isfinite(scores).all():
            raise MusicsageError("cannot rank: the scores hold non-finite values")
        target = scores[rows, t]
        excluded = (membership[q] @ membership.T).toarray() > 0
        if allowed is not None:
            excluded |= ~allowed[None, :]
        excluded[rows, q] = True
        excluded[rows, t] = True  # t is not its own competitor
        level = target - tie_tolerance(scores.dtype, target)
        ranks[lo:lo + chunk] = 1 + ((scores >= level[:, None]) & ~excluded).sum(1)
    return ranks


TIE_ULPS = 4
"""How many units in the last place (of the score's own float type, at the target's size)
apart two scores may be and still count as a tie (against the model)."""


def tie_tolerance(dtype, target: np.ndarray) -> np.ndarray:
    """The gap below ``target`` that still ties with it. Scores compared exactly let a
    collapsed embedding win: vectors all in one direction, of different lengths, have
    cosines that differ by a rounding error only (float32: ~1e-7), so the target beat half
    of them and HR@100 read 0.17 instead of 0. The tolerance is that rounding's size: on
    random 64-d vectors of 28,000 tracks it moved 69 of 2,485 ranks by 1 or 2, all of them
    past rank 10,000 (where scores crowd near 0), none within the top 100."""
    kind = np.dtype(dtype) if np.issubdtype(np.dtype(dtype), np.floating) else np.float64
    return TIE_ULPS * np.finfo(kind).eps * np.maximum(1.0, np.abs(target))


def metrics_from_ranks(ranks: np.ndarray) -> dict[str, float | None]:
    """HR@K and MRR; ``None`` (JSON null) for every metric when there is no pair to score
    (e.g. a split without cold pairs) — never NaN, which is not JSON."""
    if len(ranks) == 0:
        return {key: None for key in METRIC_KEYS}
    out = {f"hr@{k}": float(np.mean(ranks <= k)) for k in KS}
    out["mrr"] = float(np.mean(1.0 / ranks))
    return out


def ratio(graph: dict, audio: dict) -> dict[str, float | None]:
    """graph / audio per metric; None where either is undefined or audio scores 0."""
    return {k: (graph[k] / audio[k] if graph[k] is not None and audio[k] else None)
            for k in METRIC_KEYS}


def warm_tracks(split: Split, n_tracks: int) -> np.ndarray:
    """Bool mask: tracks with at least one training membership."""
    warm = np.zeros(n_tracks, dtype=bool)
    warm[split.train_memberships[:, 0]] = True
    return warm


def known_targets(pairs: EvalPairs, membership) -> np.ndarray:
    """Per pair: does the target share a training playlist with its query (module doc)?"""
    return np.asarray(membership[pairs.queries].multiply(membership[pairs.positives])
                      .sum(1)).ravel() > 0


def rank_pairs(embeddings: np.ndarray, split: Split, n_tracks: int, n_playlists: int
               ) -> dict[str, np.ndarray]:
    """Ranks of every pair of ``split``: 'overall', and 'warm'/'cold' (each pair ranked among
    its own kind; ``pairs_warm`` says which pairs are warm, ``pairs_known`` which targets
    already shared a training playlist with their query)."""
    membership = membership_matrix(split.train_memberships, n_tracks, n_playlists)
    pairs, warm = split.pairs, warm_tracks(split, n_tracks)
    is_warm = warm[pairs.positives]
    return {"overall": filtered_ranks(embeddings, pairs, membership),
            "warm": filtered_ranks(embeddings, pairs.subset(is_warm), membership, allowed=warm),
            "cold": filtered_ranks(embeddings, pairs.subset(~is_warm), membership,
                                   allowed=~warm),
            "pairs_warm": is_warm, "pairs_known": known_targets(pairs, membership)}


def validation_metrics(embeddings: np.ndarray, split: Split, n_tracks: int,
                       n_playlists: int) -> dict[str, float]:
    """Overall HR@10 and MRR over a split's pairs (what early stopping and model selection
    use)."""
    membership = membership_matrix(split.train_memberships, n_tracks, n_playlists)
    return metrics_from_ranks(filtered_ranks(embeddings, split.pairs, membership))


def _block(g: np.ndarray, a: np.ndarray) -> dict:
    graph, audio = metrics_from_ranks(g), metrics_from_ranks(a)
    return {"graph": graph, "audio": audio, "ratio": ratio(graph, audio), "pairs": len(g)}


def evaluate(embeddings: np.ndarray, features: np.ndarray, split: Split, n_tracks: int,
             n_playlists: int) -> dict:
    """The ``eval`` JSON for one split: graph vs audio-only (z-scored features), overall,
    warm/cold and new pairs (the overall ranks of pairs whose target never shared a training
    playlist with its query). ``cold_start`` (kept from the contract): the cold targets'
    *overall* ranks."""
    g = rank_pairs(embeddings, split, n_tracks, n_playlists)  # a matrix or a scorer
    a = rank_pairs(zscore(features), split, n_tracks, n_playlists)
    cold = ~g["pairs_warm"]
    out = _block(g["overall"], a["overall"])
    out["cold_start"] = {"graph": metrics_from_ranks(g["overall"][cold]),
                         "audio": metrics_from_ranks(a["overall"][cold]),
                         "pairs": int(cold.sum())}
    out["warm"] = _block(g["warm"], a["warm"])
    out["cold"] = _block(g["cold"], a["cold"])
    new = ~g["pairs_known"]
    out["new_pairs"] = _block(g["overall"][new], a["overall"][new])
    out["protocol"] = {"version": PROTOCOL_VERSION, "seed": split.seed,
                       "holdout": split.fraction, "moved_to_unplaylisted": int(len(split.moved)),
                       "unplaylisted": int(n_tracks - warm_tracks(split, n_tracks).sum())}
    notes = small_split_notes(len(split.pairs), n_tracks, held=int((split.role == HELD_OUT).sum()),
                              eligible=int((split.role != UNPLAYLISTED).sum()),
                              fraction=split.fraction)
    if notes:
        out["notes"] = notes
    return out


def small_split_notes(pairs: int, n_tracks: int, *, held: int | None = None,
                      eligible: int = 0, fraction: float = 0.0) -> list[str]:
    """Plain sentences saying when a split is too small for its figures to mean anything
    (none on a data set of normal size): no pair at all (every metric null) — for want of a
    held-out membership (``held`` 0 of the ``eligible`` ones, at hold-out ``fraction``: it
    rounds to none; "no held-out track kept a playlist" named a cause that was not it) or of
    a playlist left to query from —, a handful of pairs, or a catalogue so small that HR@K
    is 1 whatever the model (a query has at most n_tracks - 1 candidates, so every rank is
    within K)."""
    if pairs == 0 and held == 0:
        return [f"no evaluation pair: a hold-out of {fraction:g} of the {eligible:,} "
                "memberships left in playlists holds out none, so every metric is null; use "
                "a larger --holdout"]
    if pairs == 0:
        return ["no evaluation pair: no held-out track kept a playlist with a training "
                "member, so every metric is null; use more tracks and playlists, or a larger "
                "--holdout"]
    notes = []
    if pairs < FEW_PAIRS:
        notes.append(f"only {counted(pairs, 'evaluation pair')}: too few for these figures "
                     "to mean much "
                     f"(one pair moves HR@K by {1 / pairs:.3f})")
    trivial = [f"hr@{k}" for k in KS if n_tracks - 1 <= k]
    if trivial:
        notes.append(f"{', '.join(trivial)}: 1 for any model, since with {n_tracks} tracks "
                     f"every rank is at most {n_tracks - 1}")
    return notes


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
        present = [x for x in items if x is not None]
        first = present[0] if present else None
        if isinstance(first, dict):  # a block some seeds lack (e.g. ``two_hop``): over the rest
            dicts = [x for x in present if isinstance(x, dict)]
            keys = dict.fromkeys(k for d in dicts for k in d)
            return {k: combine([d.get(k) for d in dicts], reducer) for k in keys}
        numbers = [x for x in items if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if numbers and len(numbers) + items.count(None) == len(items):
            if reducer is np.mean and _one_whole_number(numbers):
                return numbers[0]  # a version, a count: the same in every seed, kept whole
            # a seed whose split had no pair of a kind (None) is left out of that mean
            return float(reducer(np.asarray(numbers, dtype=np.float64)))
        return first

    mean = _ratios_of_means(combine(results, np.mean))
    std = combine(results, lambda a: a.std(ddof=0))
    mean["std"] = std
    mean["seeds"] = len(results)
    return mean


def _ratios_of_means(block: dict) -> dict:
    """Every ``ratio`` made again from its block's mean ``graph`` and ``audio``: the mean of
    the seeds' ratios could say graph 15 % better beside means that say it is worse (and it
    left out seeds where audio scored 0)."""
    for value in block.values():
        if isinstance(value, dict):
            _ratios_of_means(value)
    if isinstance(block.get("graph"), dict) and isinstance(block.get("audio"), dict) \
            and "ratio" in block:
        block["ratio"] = ratio(block["graph"], block["audio"])
    return block


def _one_whole_number(numbers: list) -> bool:
    """Whether ``numbers`` are one integer repeated: its mean is that integer, not a float
    (``protocol.version`` 3, not 3.0, for JSON readers that compare it)."""
    return all(type(x) is int for x in numbers) and len(set(numbers)) == 1
