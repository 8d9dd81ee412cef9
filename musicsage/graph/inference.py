"""Inference: every track's vector from a trained encoder, its features and its contexts.

Neighbourhoods are sampled once per layer over every track (``PinSAGESampler``, seeded), then
the encoder runs over all tracks in chunks — no per-node sampling, so 28k tracks take seconds.
The same function serves validation during training, evaluation, the library's saved
embeddings and new tracks embedded inductively (their audio features and contexts are all the
encoder needs). It runs where the model's weights are (:mod:`~musicsage.graph.device`):
the tables are sampled on the CPU, the features, bags and tables are moved to the model's
device, and the vectors come back as a numpy array.
"""

from __future__ import annotations

import numpy as np
import torch

from musicsage.audio.threads import torch_threads
from musicsage.graph.build import ContextGraph
from musicsage.graph.data import GraphData
from musicsage.graph.device import model_device, to_device
from musicsage.graph.sampler import Neighbourhoods, WalkParams, sample_neighbourhoods


def inference_tables(graph: ContextGraph, walk: WalkParams, layers: int, *, seed: int
                     ) -> list[Neighbourhoods]:
    """One seeded PinSAGE neighbourhood table per layer over every track, drawn on one
    thread.

    Why one: DGL's walks run on torch's threads, each thread drawing its own random stream
    over its share of the tracks, so the same seed gave other tables — other vectors — with
    another thread count: a model placed the same tracks differently on a 16-core machine
    than on a 2-core one, or with ``--set threads``. Sampling every track once costs ~0.4 s
    for 20,000 tracks on one thread (docs/scale.md).
    """
    import dgl

    if layers == 0:
        return []
    with torch_threads(1):
        dgl.seed(seed)
        g = graph.dgl_graph()
        return [sample_neighbourhoods(graph, walk, g) for _ in range(layers)]


def embed_tracks(model, data: GraphData, graph: ContextGraph, walk: WalkParams, *,
                 seed: int = 1, tables: list[Neighbourhoods] | None = None) -> np.ndarray:
    """Embeddings of every track of ``data`` on ``graph`` (eval mode; training state kept)."""
    if tables is None:
        tables = inference_tables(graph, walk, model.config.layers, seed=seed)
    return encode_tracks(model, data, graph, tables).cpu().numpy()


def encode_tracks(model, data: GraphData, graph: ContextGraph, tables: list[Neighbourhoods]
                  ) -> torch.Tensor:
    """:func:`embed_tracks` before the copy back: the vectors as a tensor on the model's
    device (its inputs moved there first)."""
    was_training = model.training
    model.eval()
    device = model_device(model)
    try:
        bags = tuple(to_device(part, device) for part in graph.bags(np.arange(graph.n_tracks)))
        return model.embed_all(to_device(data.features, device), bags, tables)
    finally:
        model.train(was_training)
