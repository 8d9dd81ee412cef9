"""Context vectors that start from co-membership instead of zero (``context_init='svd'``).

Zero-initialised context vectors make an untrained encoder rank exactly like the audio
features; everything a playlist, album or artist says has to be learned by gradient
steps, and a context that rarely meets a batch barely moves. Item-kNN over the same incidence
(IDF cosine) beats the trained model on the citation and MovieLens data sets, so its geometry
is a natural starting point: the truncated SVD of the IDF-weighted, row-normalised track ×
context matrix M ≈ U S Vᵀ gives each context the vector idf_c · V_c, so a track's sum of
context vectors points where its row of U S does — the tracks' co-membership cosine, in
``dim`` dimensions. Scaled so the mean track's context part has unit length, the size of the
(standardised) audio part.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from musicsage.graph.build import ContextGraph


def cooccurrence_context_vectors(graph: ContextGraph, dim: int, *, seed: int = 0
                                 ) -> np.ndarray:
    """``[n_contexts, dim]`` float32 context vectors from ``graph``'s incidence (zeros where
    the graph is too small to factorise)."""
    from sklearn.utils.extmath import randomized_svd

    n, c = graph.n_tracks, graph.n_contexts
    out = np.zeros((max(c, 1), dim), np.float32)
    k = min(dim, n - 1, c - 1)
    if len(graph.edges) == 0 or k < 1:
        return out
    # the graph is a CSR already (edges sorted by track, ``indptr``): its incidence as is
    a = sp.csr_matrix((np.ones(len(graph.edges)), graph.indices, graph.indptr), shape=(n, c))
    degree = np.asarray(a.sum(0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + degree))
    m = a @ sp.diags(idf)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(1)).ravel())
    norms[norms == 0] = 1.0
    m = sp.diags(1.0 / norms) @ m
    _, s, vt = randomized_svd(m, k, random_state=seed)
    vectors = idf[:, None] * vt.T * s[None, :]
    lengths = np.linalg.norm(bag_matrix(graph) @ vectors, axis=1)  # each track's context part
    scale = lengths[lengths > 0].mean() if (lengths > 0).any() else 1.0
    out[:c, :k] = vectors / scale
    return out


def bag_matrix(graph: ContextGraph) -> sp.csr_matrix:
    """``[n_tracks, n_contexts]``: row t holds the weights with which the encoder sums track
    t's context vectors (a mean per context type, :meth:`ContextGraph.bags`)."""
    flat, offsets, weights = graph.bags(np.arange(graph.n_tracks))
    return sp.csr_matrix((weights, flat, np.append(offsets, len(flat))),
                         shape=(graph.n_tracks, max(graph.n_contexts, 1)))
