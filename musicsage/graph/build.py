"""The track–context graph the model sees: training memberships plus album/artist contexts.

Contexts are one node type in one index space (playlists first, then albums, then artists), so
one ``PinSAGESampler(g, 'track', 'context', …)`` walks track→context→track through all of them
and one embedding table holds every context's learned vector.

Only TRAINING memberships become playlist edges — never held-out (or validation) ones; album
and artist are metadata, known for every track, held-out ones included. A derived graph with
some memberships removed (:meth:`ContextGraph.without`) keeps the same context index space, so
the same learned vectors serve every variant (training folds, validation, inference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.graph.data import CONTEXT_TYPES, METADATA_TYPES, GraphData

TRACK, CONTEXT = "track", "context"
IN, HAS = "in", "has"  # track -in-> context, context -has-> track


def parse_contexts(spec: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """'playlist,album' → ('playlist', 'album') in canonical order; None → all types."""
    if spec is None:
        return CONTEXT_TYPES
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    if not names:  # '--contexts ""' said "unknown contexts []"
        raise MusicsageError(f"the list of contexts is empty: name one or more of "
                             f"{','.join(CONTEXT_TYPES)}")
    unknown = sorted(set(names) - set(CONTEXT_TYPES))
    if unknown:
        raise MusicsageError(f"unknown contexts {unknown}: choose from "
                             f"{','.join(CONTEXT_TYPES)}")
    return tuple(t for t in CONTEXT_TYPES if t in names)


@dataclass(frozen=True, eq=False)
class ContextGraph:
    """Track→context edges (sorted by track) and the CSR over them.

    ``context_type[c]`` indexes :data:`CONTEXT_TYPES`; ``context_keys[c]`` is
    ``"<type>:<external key>"`` so a checkpoint can name each learned vector.
    """

    n_tracks: int
    context_type: np.ndarray
    context_keys: np.ndarray
    edges: np.ndarray
    indptr: np.ndarray

    @property
    def n_contexts(self) -> int:
        return len(self.context_type)

    @property
    def indices(self) -> np.ndarray:
        return self.edges[:, 1]

    @classmethod
    def from_edges(cls, n_tracks: int, context_type, context_keys, edges) -> "ContextGraph":
        edges = np.unique(np.asarray(edges, np.int64).reshape(-1, 2), axis=0)
        indptr = np.searchsorted(edges[:, 0], np.arange(n_tracks + 1)).astype(np.int64)
        return cls(n_tracks, np.asarray(context_type, np.int8), np.asarray(context_keys, object),
                   edges, indptr)

    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def without(self, memberships: np.ndarray) -> "ContextGraph":
        """The same graph minus the given (track, context) edges (same context indices)."""
        drop = np.asarray(memberships, np.int64).reshape(-1, 2)
        if len(drop) == 0:
            return self
        key = self.edges[:, 0] * self.n_contexts + self.edges[:, 1]
        gone = np.isin(key, drop[:, 0] * self.n_contexts + drop[:, 1])
        return ContextGraph.from_edges(self.n_tracks, self.context_type, self.context_keys,
                                       self.edges[~gone])

    def bags(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(flat context indices, offsets, weights) of ``rows`` for a sum-mode
        ``torch.nn.EmbeddingBag``: the weights make it a mean per context type, summed over
        types, so a track in five playlists does not drown its one artist."""
        rows = np.asarray(rows, np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        offsets = np.zeros(len(rows), np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
        total = int(lengths.sum())
        # position j of the flat array belongs to bag b: index = starts[b] + (j - offsets[b])
        owner = np.repeat(np.arange(len(rows)), lengths)
        flat = self.edges[starts[owner] + np.arange(total) - offsets[owner], 1]
        group = owner * len(CONTEXT_TYPES) + self.context_type[flat]
        counts = np.bincount(group, minlength=len(rows) * len(CONTEXT_TYPES))
        weights = (1.0 / counts[group]).astype(np.float32)
        return flat, offsets, weights

    def dgl_graph(self):
        """Bidirected DGL heterograph track -in-> context -has-> track."""
        import dgl
        import torch

        src = torch.from_numpy(self.edges[:, 0])
        dst = torch.from_numpy(self.edges[:, 1])
        return dgl.heterograph(
            {(TRACK, IN, CONTEXT): (src, dst), (CONTEXT, HAS, TRACK): (dst, src)},
            num_nodes_dict={TRACK: self.n_tracks, CONTEXT: max(self.n_contexts, 1)})


def context_rows(trained_keys: list[str], graph: ContextGraph) -> np.ndarray:
    """For each of ``graph``'s contexts, its row among ``trained_keys`` (-1: a context the
    trained weights never saw) — how every saved table (context vectors, two-hop basis,
    co-member vectors) is lined up with a library that changed since training."""
    position = {str(k): i for i, k in enumerate(trained_keys)}
    return np.array([position.get(str(k), -1) for k in graph.context_keys], np.int64)


def lined_up(table: np.ndarray, trained_keys: list[str], graph: ContextGraph, *,
             at_least: int = 0) -> np.ndarray:
    """A copy of ``table`` (one row per key of ``trained_keys``) with one row per context of
    ``graph``, by key (at least ``at_least`` rows); a context the table never saw (a new
    playlist) gets a zero row: exactly "nothing learned about it"."""
    src = context_rows(trained_keys, graph)
    out = np.zeros((max(graph.n_contexts, at_least), table.shape[1]), table.dtype)
    known = np.flatnonzero(src >= 0)
    out[known] = table[src[known]]
    return out


def build_context_graph(data: GraphData, train_memberships: np.ndarray,
                        contexts: tuple[str, ...] = CONTEXT_TYPES, *,
                        min_metadata_size: int = 2) -> ContextGraph:
    """Context graph from TRAINING memberships (+ album/artist when switched on).

    Every playlist of the data set gets a context index (even one left with no training
    member), so indices do not depend on the split. Albums/artists with fewer than
    ``min_metadata_size`` tracks are left out: a one-track context links nothing and its
    vector would be a free per-track parameter.
    """
    types, keys, edges = [], [], []
    offset = 0
    if "playlist" in contexts:
        types.append(np.full(data.n_playlists, CONTEXT_TYPES.index("playlist"), np.int8))
        keys.append(np.array([f"playlist:{k}" for k in data.playlist_keys], dtype=object))
        m = np.asarray(train_memberships, np.int64).reshape(-1, 2)
        edges.append(m)
        offset += data.n_playlists
    for kind in METADATA_TYPES:
        if kind not in contexts or kind not in data.metadata:
            continue
        values = data.metadata[kind]
        known = values >= 0
        counts = np.bincount(values[known], minlength=len(data.metadata_keys[kind]))
        kept = np.flatnonzero(counts >= min_metadata_size)
        new_index = np.full(len(counts), -1, np.int64)
        new_index[kept] = offset + np.arange(len(kept))
        tracks = np.flatnonzero(known)
        ctx = new_index[values[tracks]]
        ok = ctx >= 0
        edges.append(np.stack([tracks[ok], ctx[ok]], 1))
        types.append(np.full(len(kept), CONTEXT_TYPES.index(kind), np.int8))
        keys.append(np.array([f"{kind}:{data.metadata_keys[kind][i]}" for i in kept],
                             dtype=object))
        offset += len(kept)
    if not types:  # only metadata contexts asked for, and the data has none of them
        raise MusicsageError(f"--contexts {','.join(contexts)}: the tracks have no "
                             f"{' or '.join(contexts)} (e.g. tracks.csv without such a "
                             "column); add them, or include playlist")
    return ContextGraph.from_edges(
        data.n_tracks, np.concatenate(types), np.concatenate(keys),
        np.concatenate(edges) if edges else np.zeros((0, 2), np.int64))
