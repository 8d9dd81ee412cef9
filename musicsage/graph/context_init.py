"""Context vectors that start from co-membership instead of zero (``context_init='svd'``).

Zero-initialised context vectors make an untrained encoder rank exactly like the audio
features; everything a playlist, album or artist says has to be learned by gradient
steps, and a context that rarely meets a batch barely moves. Item-kNN over the same incidence
(IDF cosine) beats the trained model on the citation and MovieLens data sets, so its geometry
is a natural starting point: the truncated SVD of the IDF-weighted, row-normalised track ×
context matrix M ≈ U S Vᵀ gives each context the vector idf_c · (V S)_c, so a track's plain
sum of context vectors points where its row of U S² does — item-kNN's two-hop co-membership
cosine, in ``dim`` dimensions (the encoder sums a mean per context type, close to that).
Scaled so the mean track's context part has unit length, the size of the (standardised)
audio part. The same basis gives the fixed two-hop part of :mod:`~musicsage.graph.two_hop`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from musicsage.graph.build import ContextGraph


def cooccurrence_context_vectors(graph: ContextGraph, dim: int, *, seed: int = 0,
                                 basis: np.ndarray | None = None) -> np.ndarray:
    """``[n_contexts, dim]`` float32 context vectors from ``graph``'s incidence (zeros where
    the graph is too small to factorise); ``basis``: :func:`cooccurrence_basis` of ``graph``
    when the caller has it already."""
    c = graph.n_contexts
    out = np.zeros((max(c, 1), dim), np.float32)
    vectors = cooccurrence_basis(graph, dim, seed=seed) if basis is None else basis
    if vectors.shape[1] == 0:
        return out
    lengths = np.linalg.norm(bag_matrix(graph) @ vectors, axis=1)  # each track's context part
    scale = lengths[lengths > 0].mean() if (lengths > 0).any() else 1.0
    out[:c, :vectors.shape[1]] = vectors / scale
    return out


def cooccurrence_basis(graph: ContextGraph, rank: int, *, seed: int = 0) -> np.ndarray:
    """``[n_contexts, k]`` float64, ``idf_c · (V S)_c`` of the rank-``k`` truncated SVD of the
    IDF-weighted, row-normalised incidence (``k = min(rank, tracks - 1, contexts - 1)``; 0
    columns where the graph is too small to factorise).

    A track's sum of these rows points along its row of ``U S²`` (its co-membership profile,
    folded in; the length differs by the row's norm), so the cosine of two such sums
    approximates item-kNN's two-hop score — for a track the SVD never saw too
    (:mod:`~musicsage.graph.two_hop`)."""
    from sklearn.utils.extmath import randomized_svd

    n, c = graph.n_tracks, graph.n_contexts
    k = min(rank, n - 1, c - 1)
    if len(graph.edges) == 0 or k < 1:
        return np.zeros((max(c, 1), 0))
    a = incidence(graph)
    degree = np.asarray(a.sum(0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + degree))
    m = a @ sp.diags(idf)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(1)).ravel())
    norms[norms == 0] = 1.0
    m = sp.diags(1.0 / norms) @ m
    _, s, vt = randomized_svd(m, k, random_state=seed)
    return idf[:, None] * vt.T * s[None, :]


def incidence(graph: ContextGraph) -> sp.csr_matrix:
    """``[n_tracks, n_contexts]`` 0/1: the graph's edges (a CSR already, sorted by track)."""
    return sp.csr_matrix((np.ones(len(graph.edges)), graph.indices, graph.indptr),
                         shape=(graph.n_tracks, graph.n_contexts))


def bag_matrix(graph: ContextGraph) -> sp.csr_matrix:
    """``[n_tracks, n_contexts]``: row t holds the weights with which the encoder sums track
    t's context vectors (a mean per context type, :meth:`ContextGraph.bags`)."""
    flat, offsets, weights = graph.bags(np.arange(graph.n_tracks))
    return sp.csr_matrix((weights, flat, np.append(offsets, len(flat))),
                         shape=(graph.n_tracks, max(graph.n_contexts, 1)))
