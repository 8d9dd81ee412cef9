"""Evaluation protocol 3, steps 1–3: unplaylisted tracks, the seeded hold-out, the pairs.

1. **Unplaylisted tracks.** A real library has many tracks in no playlist, all of them
   candidates. When fewer than half of the tracks are in no playlist, random tracks (seeded)
   are moved out of *all* their playlists until half are: their memberships are neither
   trained on nor held out, they stay candidates and are never targets. Without this, a track
   the split leaves with no training playlist is almost surely a held-out target — a
   giveaway a model can learn ("playlist-less tracks are answers").
2. **Hold-out.** 10% of the remaining memberships, uniformly at random (seeded).
3. **Pairs.** For each held-out (t, p), in random order, whose playlist keeps a training
   member: the query is a random training member of p (seeded), the positive is t; at most
   ``max_pairs`` pairs.

The same function makes the test split (held out from everything) and the validation split
(carved from the training memberships, for early stopping and every tuning choice), so
validation measures exactly what the test measures. See docs/protocol.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from musicsage.errors import MusicsageError

DEFAULT_HOLDOUT = 0.1
DEFAULT_MAX_PAIRS = 3000
#: share of tracks that must be in no playlist (step 1)
UNPLAYLISTED_SHARE = 0.5
PROTOCOL_VERSION = 3

TRAIN, HELD_OUT, UNPLAYLISTED = 0, 1, 2


@dataclass(frozen=True, eq=False)
class EvalPairs:
    """Query q (a remaining member of playlist p), positive t (the held-out member of p)."""

    queries: np.ndarray
    positives: np.ndarray
    playlists: np.ndarray

    def __len__(self) -> int:
        return len(self.queries)

    def subset(self, mask: np.ndarray) -> "EvalPairs":
        return EvalPairs(self.queries[mask], self.positives[mask], self.playlists[mask])


@dataclass(frozen=True, eq=False)
class Split:
    """``role[i]`` says what membership i became: :data:`TRAIN`, :data:`HELD_OUT`, or
    :data:`UNPLAYLISTED` (its track was moved out of every playlist: never seen, never a
    target). ``moved``: those tracks."""

    memberships: np.ndarray
    role: np.ndarray
    pairs: EvalPairs
    moved: np.ndarray
    seed: int
    fraction: float

    @property
    def train(self) -> np.ndarray:
        """Bool mask of the training memberships."""
        return self.role == TRAIN

    @property
    def train_memberships(self) -> np.ndarray:
        return self.memberships[self.role == TRAIN]

    @property
    def heldout_memberships(self) -> np.ndarray:
        return self.memberships[self.role == HELD_OUT]


def moved_tracks(memberships: np.ndarray, n_tracks: int, rng: np.random.Generator, *,
                 share: float = UNPLAYLISTED_SHARE) -> np.ndarray:
    """Step 1: the playlisted tracks to move out of every playlist (sorted, maybe none) so
    that at least ``share`` of the ``n_tracks`` tracks are in no playlist."""
    playlisted = np.unique(memberships[:, 0])
    need = int(np.ceil(share * n_tracks)) - (n_tracks - len(playlisted))
    if need <= 0:
        return np.zeros(0, np.int64)
    return np.sort(rng.choice(playlisted, size=min(need, len(playlisted)), replace=False))


class TooFewLeftByTheHoldOut(MusicsageError):
    """A split whose hold-out leaves too few memberships to train on: where the user gave
    the fraction (``--holdout``), a smaller one is a way out that the line adds
    (:mod:`musicsage.commands.graph`); the window's Retrain has no such setting."""


def check_fraction(fraction: float) -> None:
    """Refuse a hold-out ``fraction`` outside (0, 1): the split's own check, which ``eval``
    makes once before every seed's (there it is no seed's doing)."""
    if not 0.0 < fraction < 1.0:
        raise MusicsageError(f"hold-out fraction must be between 0 and 1, got {fraction}")


def protocol_split(memberships: np.ndarray, n_tracks: int, *,
                   fraction: float = DEFAULT_HOLDOUT, seed: int = 0,
                   max_pairs: int | None = DEFAULT_MAX_PAIRS,
                   unplaylisted_share: float = UNPLAYLISTED_SHARE) -> Split:
    """Steps 1–3 of the protocol (module doc) on de-duplicated (track, playlist) rows."""
    check_fraction(fraction)
    memberships = np.unique(np.asarray(memberships, dtype=np.int64).reshape(-1, 2), axis=0)
    if len(memberships) and memberships[:, 0].max() >= n_tracks:
        raise MusicsageError("memberships name tracks beyond the track count")
    rng = np.random.default_rng(seed)
    moved = moved_tracks(memberships, n_tracks, rng, share=unplaylisted_share)
    role = np.where(np.isin(memberships[:, 0], moved), UNPLAYLISTED, TRAIN).astype(np.int8)
    remaining = np.flatnonzero(role == TRAIN)
    held = remaining[rng.permutation(len(remaining))[: int(round(fraction * len(remaining)))]]
    role[held] = HELD_OUT
    pairs = _pairs(memberships, role, held, rng, max_pairs)
    return Split(memberships=memberships, role=role, pairs=pairs, moved=moved, seed=seed,
                 fraction=fraction)


def _pairs(memberships: np.ndarray, role: np.ndarray, held: np.ndarray,
           rng: np.random.Generator, max_pairs: int | None) -> EvalPairs:
    """Step 3: a random training member of p as the query of each held-out (t, p)."""
    kept = memberships[role == TRAIN]
    order = np.argsort(kept[:, 1], kind="stable")
    members_sorted = kept[order, 0]
    n_playlists = int(memberships[:, 1].max()) + 1 if len(memberships) else 0
    starts = np.searchsorted(kept[order, 1], np.arange(n_playlists + 1))
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
    return EvalPairs(np.asarray(queries, np.int64), np.asarray(positives, np.int64),
                     np.asarray(playlists, np.int64))
