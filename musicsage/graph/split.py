"""Seeded hold-out of playlist memberships and the evaluation pairs (DESIGN.md steps 1–2).

The same function makes the test split (held out from everything) and the validation split
(held out from the training memberships, for early stopping), so validation measures exactly
what the test measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from musicsage.errors import MusicsageError

DEFAULT_HOLDOUT = 0.1
DEFAULT_MAX_PAIRS = 3000


@dataclass(frozen=True, eq=False)
class EvalPairs:
    """Query q (a remaining member of playlist p), positive t (the held-out member of p)."""

    queries: np.ndarray
    positives: np.ndarray
    playlists: np.ndarray

    def __len__(self) -> int:
        return len(self.queries)


@dataclass(frozen=True, eq=False)
class Split:
    """``train``: bool mask over the memberships it was made from; ``pairs``: evaluation pairs."""

    memberships: np.ndarray
    train: np.ndarray
    pairs: EvalPairs
    seed: int
    fraction: float

    @property
    def train_memberships(self) -> np.ndarray:
        return self.memberships[self.train]

    @property
    def heldout_memberships(self) -> np.ndarray:
        return self.memberships[~self.train]


def holdout_split(memberships: np.ndarray, *, fraction: float = DEFAULT_HOLDOUT, seed: int = 0,
                  max_pairs: int | None = DEFAULT_MAX_PAIRS) -> Split:
    """Hold out ``fraction`` of the (track, playlist) rows uniformly at random (seeded).

    For each held-out (t, p), in random order, whose playlist keeps a training member, the
    query is a random training member of p (seeded); at most ``max_pairs`` pairs.
    """
    if not 0.0 < fraction < 1.0:
        raise MusicsageError(f"hold-out fraction must be between 0 and 1, got {fraction}")
    memberships = np.asarray(memberships, dtype=np.int64).reshape(-1, 2)
    m = len(memberships)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(m)
    n_held = int(round(fraction * m))
    held = perm[:n_held]
    train = np.ones(m, dtype=bool)
    train[held] = False

    kept = memberships[train]
    order = np.argsort(kept[:, 1], kind="stable")
    members_sorted = kept[order, 0]
    starts = np.searchsorted(kept[order, 1], np.arange(_n_playlists(memberships) + 1))

    queries, positives, playlists = [], [], []
    for i in held.tolist():
        t, p = memberships[i]
        lo, hi = starts[p], starts[p + 1]
        if hi == lo:
            continue
        queries.append(members_sorted[lo + rng.integers(hi - lo)])
        positives.append(t)
        playlists.append(p)
        if max_pairs is not None and len(queries) >= max_pairs:
            break
    pairs = EvalPairs(np.asarray(queries, np.int64), np.asarray(positives, np.int64),
                      np.asarray(playlists, np.int64))
    return Split(memberships=memberships, train=train, pairs=pairs, seed=seed, fraction=fraction)


def _n_playlists(memberships: np.ndarray) -> int:
    return int(memberships[:, 1].max()) + 1 if len(memberships) else 0
