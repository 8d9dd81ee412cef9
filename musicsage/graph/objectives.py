"""Training objectives: small callables from one step's embeddings to a loss.

An objective sees only embeddings (and which in-batch candidates are not negatives), never
the sampler or the encoder, so new objectives (e.g. a self-supervised one) plug in through
:func:`register_objective` and ``train(..., config.objective=name)``.

Candidates for a head are every tail of the batch and every *other head*: heads keep all their
memberships, like the candidates of the evaluation. Candidates that share the head's playlist
are masked out (they are co-members, not negatives — the filtered protocol does the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

from musicsage.errors import MusicsageError


@dataclass(frozen=True, eq=False)
class PairEmbeddings:
    """heads/tails: [B, D]; ``not_negative_tails[i, j]``: tail j is no negative for head i
    (other than j == i, the positive); ``not_negative_heads[i, j]`` likewise for heads."""

    heads: torch.Tensor
    tails: torch.Tensor
    not_negative_tails: torch.Tensor
    not_negative_heads: torch.Tensor

    @classmethod
    def from_ids(cls, heads: torch.Tensor, tails: torch.Tensor, head_ids, tail_ids,
                 playlists) -> "PairEmbeddings":
        """Masks from ids: same playlist, same track, or the head itself are no negatives."""
        p = torch.as_tensor(playlists)
        h = torch.as_tensor(head_ids)
        t = torch.as_tensor(tail_ids)
        same_p = p[:, None] == p[None, :]
        eye = torch.eye(len(p), dtype=torch.bool)
        not_tail = (same_p | (t[None, :] == t[:, None]) | (t[None, :] == h[:, None])) & ~eye
        not_head = same_p | (h[None, :] == h[:, None]) | (h[None, :] == t[:, None])
        return cls(heads, tails, not_tail, not_head)


Objective = Callable[[PairEmbeddings], torch.Tensor]
_REGISTRY: dict[str, Callable[..., Objective]] = {}


def register_objective(name: str):
    """Class decorator: make an objective constructible by name."""

    def deco(factory):
        _REGISTRY[name] = factory
        return factory

    return deco


def objective_names() -> list[str]:
    return sorted(_REGISTRY)


def make_objective(name: str, **params) -> Objective:
    """The objective ``name`` built with the params its constructor accepts."""
    import inspect

    if name not in _REGISTRY:
        raise MusicsageError(f"unknown objective {name!r}: choose from "
                             f"{', '.join(objective_names())}")
    factory = _REGISTRY[name]
    accepted = inspect.signature(factory).parameters
    return factory(**{k: v for k, v in params.items() if k in accepted})


def _candidate_scores(b: PairEmbeddings) -> tuple[torch.Tensor, torch.Tensor]:
    """Head × (tails ‖ heads) similarities and the mask of non-negatives (positive excluded)."""
    scores = torch.cat([b.heads @ b.tails.T, b.heads @ b.heads.T], 1)
    masked = torch.cat([b.not_negative_tails, b.not_negative_heads], 1)
    return scores, masked


@register_objective("infonce")
class InfoNCE:
    """Softmax over shared in-batch candidates with temperature ``tau`` (positive: column i)."""

    def __init__(self, tau: float = 0.1) -> None:
        self.tau = tau

    def __call__(self, b: PairEmbeddings) -> torch.Tensor:
        scores, masked = _candidate_scores(b)
        logits = (scores / self.tau).masked_fill(masked, float("-inf"))
        target = torch.arange(len(b.heads))
        forward = F.cross_entropy(logits, target)
        # the other direction: which head does tail j belong to (tails as queries)
        back = (b.tails @ b.heads.T / self.tau).masked_fill(b.not_negative_tails.T, float("-inf"))
        return (forward + F.cross_entropy(back, target)) / 2


@register_objective("hinge")
class Hinge:
    """max(0, margin − cos(h, t) + cos(h, n)) averaged over the in-batch negatives n."""

    def __init__(self, margin: float = 0.2) -> None:
        self.margin = margin

    def __call__(self, b: PairEmbeddings) -> torch.Tensor:
        scores, masked = _candidate_scores(b)
        pos = (b.heads * b.tails).sum(1, keepdim=True)
        loss = F.relu(self.margin - pos + scores)
        valid = ~masked
        valid[:, : len(b.heads)].fill_diagonal_(False)
        return (loss * valid).sum() / valid.sum().clamp(min=1)


@register_objective("dgi")
def _dgi_objective():
    """Deep Graph Infomax (self-supervised, no pairs): an object whose ``train`` replaces the
    pair loop (see :mod:`musicsage.graph.dgi`)."""
    from musicsage.graph.dgi import DGIObjective

    return DGIObjective()
