"""Item-kNN's two hops beside the model: a fixed part of every vector, weighted per library.

Where a library's playlists, albums and artists say more than its audio and the model learns
from them (a small library with informative metadata, like the demo), plain item-kNN over
the track × context incidence beats the trained model by far; on the large benchmarks it is
the other way round (docs/model.md, probe 11). So the output vector may carry both::

    v = unit([ unit(model vector), √γ · unit(two-hop part) ])

whose cosine is, up to the norms, the model's cosine plus γ times the two-hop one (a track
with no context has no part, and its cosines are the model's alone). The part
is a track's sum of :func:`~musicsage.graph.context_init.cooccurrence_basis` rows over its
contexts — its row of ``U S²`` from the truncated SVD of the IDF-weighted incidence, so
cosines approximate item-kNN's two-hop scores. Summing fixed per-context rows is what lets a
track the SVD never saw (a new track, a membership added since training) get its part from
its contexts alone; a context the basis does not know (a new playlist) adds nothing.

γ comes from :data:`GAMMAS`, chosen after training on the trainer's own validation split
(the evaluation protocol on training memberships), ties to the smaller γ: the library
decides, not a constant tuned on someone else's data. γ = 0 leaves the model's vectors as
they are, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from musicsage.graph.build import ContextGraph, lined_up
from musicsage.graph.context_init import cooccurrence_basis, incidence
from musicsage.vectors import unit_rows

#: the weights validation chooses from (0 = the model's vectors alone)
GAMMAS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


@dataclass(eq=False)
class TwoHop:
    """The two-hop part's basis (one row per context, keyed) and its chosen weight."""

    context_keys: list[str]
    #: ``[len(context_keys), k]`` float32
    basis: np.ndarray
    gamma: float = 0.0

    @classmethod
    def fit(cls, graph: ContextGraph, rank: int, *, seed: int = 0, gamma: float = 0.0,
            basis: np.ndarray | None = None) -> "TwoHop":
        """The basis of ``graph``'s incidence (``basis``: one computed already)."""
        if basis is None:
            basis = cooccurrence_basis(graph, rank, seed=seed)
        keys = [str(k) for k in graph.context_keys]
        return cls(keys, np.asarray(basis[:len(keys)], np.float32), float(gamma))

    def part(self, graph: ContextGraph) -> np.ndarray:
        """``[graph.n_tracks, k]`` unit rows (zero for a track with no known context)."""
        if self.basis.shape[1] == 0:
            return np.zeros((graph.n_tracks, 0), np.float32)
        return unit_rows(incidence(graph) @ lined_up(self.basis, self.context_keys, graph))

    def apply(self, emb: np.ndarray, graph: ContextGraph) -> np.ndarray:
        """The vectors served: ``emb`` itself when γ is 0, else joined with the part."""
        return join(emb, self.part(graph), self.gamma) if self.gamma > 0 else emb


def join(emb: np.ndarray, part: np.ndarray, gamma: float) -> np.ndarray:
    """``[unit(emb), √γ · part]``, scaled to unit rows like every vector served (a cosine
    ranks the same either way); ``emb`` unchanged when γ is 0."""
    if gamma <= 0:
        return emb
    return unit_rows(np.hstack([unit_rows(emb), np.float32(np.sqrt(gamma)) * part]))


def choose_gamma(emb: np.ndarray, part: np.ndarray, score: Callable[[np.ndarray], float],
                 gammas=None) -> tuple[float, dict[float, float]]:
    """(the γ whose joined vectors ``score`` best, every γ's score; ``gammas`` default:
    :data:`GAMMAS`); ties go to the smaller γ, so a part that does not help stays off."""
    scores = {float(g): float(score(join(emb, part, g))) for g in (gammas or GAMMAS)}
    return best_weight(scores), scores


def best_weight(scores: dict[float, float]) -> float:
    """The weight with the best validation score, ties (to 9 places) to the smaller — the
    rule for γ here and for the co-member view's weight: a part that does not help stays
    off."""
    return max(scores, key=lambda w: (round(scores[w], 9), -w))
