"""Corruptions for self-supervised graph objectives: shuffles in which every node moves.

DGI's corruption keeps the graph and shuffles node features. A plain random permutation
leaves about one node in place (the expected number of fixed points is 1 for any n), and a
fixed node's "corrupted" input is its real input — a negative that is really a positive. With
small batches that is a steady stream of wrong labels, so the shuffle here is a
*derangement*: a permutation with no fixed points (GMI's shuffles guarantee the same).
"""

from __future__ import annotations

import numpy as np


def derangement(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random permutation of ``range(n)`` with ``perm[i] != i`` for every i (n ≥ 2).

    A random permutation, then each remaining fixed point i swaps its target with a random
    other position j: afterwards ``perm[i]`` is j's old target (≠ i, because only i mapped to
    i) and ``perm[j] = i`` (≠ j). A swap touches only i and j, so no fixed point comes back.
    Cost O(n); nearly uniform over derangements (the repair step is rarely needed more than
    once or twice: a permutation has one fixed point on average).
    """
    if n < 2:
        raise ValueError(f"a derangement needs at least 2 elements, got {n}")
    perm = rng.permutation(n)
    for i in np.flatnonzero(perm == np.arange(n)).tolist():
        if perm[i] != i:  # already moved by an earlier swap
            continue
        j = int(rng.integers(n - 1))
        j += j >= i  # uniform over the positions other than i
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def is_derangement(perm: np.ndarray) -> bool:
    """True when ``perm`` is a permutation of ``range(len(perm))`` with no fixed point."""
    perm = np.asarray(perm)
    n = len(perm)
    return bool(n >= 2 and np.array_equal(np.sort(perm), np.arange(n))
                and not np.any(perm == np.arange(n)))
