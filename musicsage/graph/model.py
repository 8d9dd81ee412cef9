"""The PinSage encoder: input projection → K weighted SAGE layers → gated skip → unit vector.

    e = unit( unit(h0) + gate · h_K )       h0 = InputProjection(z-scored features, contexts)

``gate`` starts at 0 and h0 starts as P·x (see :class:`InputProjection`), so an untrained
encoder ranks tracks exactly like the z-scored features (when in_dim ≤ dim): training can only
add to audio-only. Standardisation statistics live in buffers, so the checkpoint carries them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from musicsage.graph.layers import AGGREGATORS, InputProjection, unit
from musicsage.graph.sampler import Block


@dataclass(frozen=True)
class EncoderConfig:
    in_dim: int
    n_contexts: int
    dim: int = 64
    hidden: int = 64
    layers: int = 2
    dropout: float = 0.1
    skip: bool = True
    normalize: bool = True
    context_vectors: bool = True
    #: 'sage' (PinSage's layer, the product default) or 'mean' (GCN-style, see layers.py);
    #: checkpoints written before this field existed load as 'sage'
    aggregator: str = "sage"

    def to_dict(self) -> dict:
        return asdict(self)


class PinSageEncoder(nn.Module):
    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.register_buffer("mean", torch.zeros(c.in_dim))
        self.register_buffer("std", torch.ones(c.in_dim))
        self.project = InputProjection(c.in_dim, c.dim, c.n_contexts, hidden=c.hidden,
                                       dropout=c.dropout, context_vectors=c.context_vectors)
        if c.aggregator not in AGGREGATORS:
            raise ValueError(f"unknown aggregator {c.aggregator!r}: choose from "
                             f"{', '.join(AGGREGATORS)}")
        conv = AGGREGATORS[c.aggregator]
        self.convs = nn.ModuleList(
            conv(c.dim, dropout=c.dropout, activation=(i < c.layers - 1),
                 normalize=c.normalize) for i in range(c.layers))
        self.gate = nn.Parameter(torch.zeros(()))

    def fit_inputs(self, features: np.ndarray) -> None:
        """Standardisation from ``features``; PCA init of P when features are wider than dim."""
        x = np.asarray(features, np.float64)
        std = x.std(0)
        std[std == 0] = 1.0
        with torch.no_grad():
            self.mean.copy_(torch.as_tensor(x.mean(0), dtype=torch.float32))
            self.std.copy_(torch.as_tensor(std, dtype=torch.float32))
        if self.config.in_dim > self.config.dim:
            z = (x - x.mean(0)) / std
            sample = z[np.random.default_rng(0).permutation(len(z))[:20000]]
            _, _, vt = np.linalg.svd(sample - sample.mean(0), full_matrices=False)
            self.project.init_projection(vt[: self.config.dim])

    def standardise(self, x: torch.Tensor) -> torch.Tensor:
        """z-scores scaled by 1/sqrt(in_dim) (expected norm 1, whatever the width), so
        zero-initialised context vectors reach the scale of the audio part within a few
        hundred Adam steps; a uniform scale leaves cosine ranking unchanged."""
        return (x - self.mean) / (self.std * self.config.in_dim ** 0.5)

    def forward(self, blocks: list[Block], features: torch.Tensor,
                bags: tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """Embeddings of the last block's dst nodes. ``features``/``bags``: rows of the
        first block's src nodes (raw features; standardised here)."""
        h0 = self.project(self.standardise(features), bags)
        h = unit(h0) if self.config.normalize else h0
        for conv, block in zip(self.convs, blocks):
            h = conv(h, torch.from_numpy(block.nbr), torch.from_numpy(block.weight))
        n_out = blocks[-1].n_dst
        if not self.config.skip:
            out = h[:n_out]
        else:
            skip = unit(h0[:n_out]) if self.config.normalize else h0[:n_out]
            out = skip + self.gate * h[:n_out] if self.convs else skip
        return unit(out) if self.config.normalize else out

    @torch.no_grad()
    def embed_all(self, features: torch.Tensor, bags, tables: list, *,
                  chunk: int = 8192) -> torch.Tensor:
        """Every track at once over precomputed neighbourhood tables (inference, eval mode),
        in chunks of dst rows so memory stays at O(chunk · k · dim)."""
        n = len(features)
        h0 = self.project(self.standardise(features), bags)
        h = unit(h0) if self.config.normalize else h0
        for conv, table in zip(self.convs, tables):
            msg = conv.message(h)
            parts = []
            for lo in range(0, n, chunk):
                nbr = torch.from_numpy(table.nbr[lo:lo + chunk])
                weight = torch.from_numpy(table.weight[lo:lo + chunk])
                parts.append(conv(h, nbr, weight, h_dst=h[lo:lo + chunk], msg=msg))
            h = torch.cat(parts)
        if not self.config.skip:
            out = h
        else:
            skip = unit(h0) if self.config.normalize else h0
            out = skip + self.gate * h if self.convs else skip
        return unit(out) if self.config.normalize else out
