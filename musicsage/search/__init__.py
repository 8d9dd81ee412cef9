"""Vectors -> nearest neighbours (hnswlib) and the 2-D library map (UMAP).

- :mod:`.fingerprint` -- a stable hash of (track ids, vectors, model id): the cache key.
- :mod:`.index` -- cosine kNN (exact or hnsw) and :class:`~.index.SpaceIndex`, one persisted,
  lazily loaded index per embedding space.
- :mod:`.query` -- QUERY (id, path, title/artist text, file name) -> track id;
  :class:`~.query.AmbiguousQuery`.
- :mod:`.similar` -- the neighbour lists of one track (the ``similar --json`` shape).
- :mod:`.projection` -- UMAP coordinates, numba cache set-up, the per-fingerprint map cache.
- :mod:`.m3u` -- M3U8 export; :mod:`.report` -- terminal text; :mod:`.types` -- MapPoints and
  SimilarResult.

Nothing here imports numpy-heavy or numba code at package import;
:mod:`musicsage.usecases.spaces` wires the spaces to the audio and graph embeddings.
"""
