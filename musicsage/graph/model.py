"""The PinSage encoder: input projection → K weighted SAGE layers → gated skip → unit vector.

    e = unit( unit(h0) + gate · h_K )       h0 = InputProjection(z-scored features, contexts)

``gate`` starts at 0 and h0 starts as P·x (see :class:`InputProjection`), so a freshly built
encoder ranks tracks exactly like the z-scored features (when in_dim ≤ dim). Training
(:func:`~musicsage.graph.train.train`) by default first sets the context vectors to the
co-membership geometry (:mod:`~musicsage.graph.context_init`), so it starts from audio plus
what the playlists, albums and artists already say. Standardisation statistics live in
buffers, so the checkpoint carries them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from musicsage.errors import MusicsageError
from musicsage.graph.device import to_device
from musicsage.graph.layers import AGGREGATORS, InputProjection, unit
from musicsage.graph.sampler import Block
from musicsage.vectors import constant_columns


INPUT_SCALINGS = ("zscore", "global", "none")


@dataclass(frozen=True)
class EncoderConfig:
    """The encoder's shape. ``in_dim`` and ``n_contexts`` come from the data
    (:func:`build_encoder` fills them); the rest are choices.

    ``input_scaling``: 'zscore' (per dimension, the default: audio descriptors come on any
    scale), 'global' (no centring, every dimension divided by one scalar, the overall RMS:
    sparse bag-of-words features keep their relative weights — a rare word's z-score is in
    the tens) or 'none'. The statistics live in buffers, so a checkpoint carries them.
    ``output_activation``: a ReLU after the last graph layer too (with one layer, the only
    non-linearity that lets a node's features interact with its neighbourhood's).
    ``context_dropout``: while training, each (track, context) entry of the input's context
    bags is dropped with this probability (0: off, the default; it did not pay on validation).
    """

    in_dim: int = 0
    n_contexts: int = 0
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
    input_scaling: str = "zscore"
    output_activation: bool = False
    context_dropout: float = 0.0

    def __post_init__(self) -> None:
        if self.aggregator not in AGGREGATORS:
            raise MusicsageError(f"unknown aggregator {self.aggregator!r}: choose from "
                                 f"{', '.join(AGGREGATORS)}")
        if self.input_scaling not in INPUT_SCALINGS:
            raise MusicsageError(f"unknown input scaling {self.input_scaling!r}: choose from "
                                 f"{', '.join(INPUT_SCALINGS)}")
        # "the encoder needs layers >= 0, dim >= 1 and hidden >= 1" did not say which value
        # was wrong, nor what it was
        for name, least in (("layers", 0), ("dim", 1), ("hidden", 1)):
            value = getattr(self, name)
            if value < least:
                raise MusicsageError(f"{name} must be {'0 or more' if least == 0 else 'at least 1'}"
                                     f", got {value}")
        if not 0.0 <= self.context_dropout < 1.0 or not 0.0 <= self.dropout < 1.0:
            raise MusicsageError("dropout and context_dropout must be at least 0 and below 1")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "EncoderConfig":
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


class PinSageEncoder(nn.Module):
    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.register_buffer("mean", torch.zeros(c.in_dim))
        self.register_buffer("std", torch.ones(c.in_dim))
        self.project = InputProjection(c.in_dim, c.dim, c.n_contexts, hidden=c.hidden,
                                       dropout=c.dropout, context_vectors=c.context_vectors,
                                       context_dropout=c.context_dropout)
        conv = AGGREGATORS[c.aggregator]
        self.convs = nn.ModuleList(
            conv(c.dim, dropout=c.dropout, activation=(i < c.layers - 1 or c.output_activation),
                 normalize=c.normalize) for i in range(c.layers))
        self.gate = nn.Parameter(torch.zeros(()))

    def fit_inputs(self, features: np.ndarray) -> None:
        """Input statistics from ``features`` (see ``input_scaling``); P starts as the top
        principal directions of the scaled inputs when they are wider than ``dim``."""
        x = np.asarray(features, np.float64)
        scaling = self.config.input_scaling
        if scaling == "zscore":
            mean, std = x.mean(0), x.std(0)
            # a column constant up to rounding (a dead unit of a neural audio model, its spread
            # ≤ 3e-6 of its size) is divided by its magnitude, not by its spread, so it stays
            # noise instead of a feature blown up to unit size (zscore() zeroes such a column);
            # an exactly constant one keeps std 1, as models trained before this rule have it
            std[std == 0] = 1.0
            near = constant_columns(x) & (np.ptp(x, 0) > 0)
            std[near] = np.maximum(np.abs(x[:, near]).max(0, initial=0.0), 1.0)
        else:
            rms = float(np.sqrt(np.mean(x ** 2))) if scaling == "global" and x.size else 1.0
            mean, std = np.zeros(x.shape[1]), np.full(x.shape[1], rms if rms > 0 else 1.0)
        with torch.no_grad():
            self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
            self.std.copy_(torch.as_tensor(std, dtype=torch.float32))
        if self.config.in_dim > self.config.dim:
            z = (x - mean) / std
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
        for conv, block in zip(self.convs, blocks):  # sampled on the CPU, used where h is
            h = conv(h, to_device(block.nbr, h.device), to_device(block.weight, h.device))
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
                nbr = to_device(table.nbr[lo:lo + chunk], h.device)
                weight = to_device(table.weight[lo:lo + chunk], h.device)
                parts.append(conv(h, nbr, weight, h_dst=h[lo:lo + chunk], msg=msg))
            h = torch.cat(parts)
        if not self.config.skip:
            out = h
        else:
            skip = unit(h0) if self.config.normalize else h0
            out = skip + self.gate * h if self.convs else skip
        return unit(out) if self.config.normalize else out


def build_encoder(features: np.ndarray, n_contexts: int, config: EncoderConfig
                  ) -> PinSageEncoder:
    """A fresh encoder for ``features`` ([n, in_dim]) and ``n_contexts`` context vectors,
    its input statistics fitted (``in_dim``/``n_contexts`` of ``config`` are overridden)."""
    model = PinSageEncoder(replace(config, in_dim=int(features.shape[1]),
                                   n_contexts=int(n_contexts)))
    model.fit_inputs(features)
    return model
