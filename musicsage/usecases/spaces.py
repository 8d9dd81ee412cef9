"""The search spaces of one library, kept between queries by whoever holds its AppContext.

A :class:`~musicsage.search.index.SpaceIndex` costs a read of every vector (tens of MB on a
large library) and its index file; a window asks for neighbours on every click. So the
window's controllers keep one :class:`SearchSpaces` per library and hand it to the search
use cases; the CLI makes one per command. There is no module-level cache: two libraries (the
demo and the user's own) or two tests never share one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo
    from musicsage.search.index import SpaceIndex


class SearchSpaces:
    """The graph and audio spaces of the library at ``ctx``, re-read only when they changed.

    Thread-safe (the window queries from worker threads). Pickling keeps the context and drops
    the memo, so a copy sent to a child process starts empty instead of shipping vectors.
    """

    def __init__(self, ctx: "AppContext") -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._memo: dict[str, tuple] = {}  # space -> (connection, DB stamp, SpaceIndex)

    def __getstate__(self) -> dict:
        return {"ctx": self.ctx}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["ctx"])

    def get(self, space: str) -> "SpaceIndex | str":
        """The :class:`SpaceIndex` of ``space`` ('graph' | 'audio'), or a one-line note saying
        why there is none yet.

        Audio vectors are the current audio model's, z-scored (the evaluated audio-only
        baseline), missing tracks included (they stay indexed and mapped, see
        :mod:`musicsage.search.similar`); graph vectors are the current graph model's. The
        object is kept while the vectors' fingerprint is unchanged, so the index file is
        loaded once; while the DB has not changed at all (see
        :func:`~musicsage.library.queries.change_stamp`), not even the vectors are re-read:
        a click then costs a query, not a 50 MB read.
        """
        from musicsage.library.db import connect
        from musicsage.library.queries import change_stamp

        conn = connect(self.ctx)
        stamp = change_stamp(conn)
        with self._lock:
            memo = self._memo.get(space)
            if memo is not None and memo[0] is conn and memo[1] == stamp:
                return memo[2]
        found = self._vectors(space)
        if isinstance(found, str):
            return found
        model_id, track_ids, matrix = found
        return self._remember(space, conn, stamp, model_id, track_ids, matrix)

    def _vectors(self, space: str):
        """``(model label, track ids, matrix)`` of ``space`` as indexed, or a note."""
        from musicsage.errors import MusicsageError
        from musicsage.usecases.embedding import audio_embeddings, current_audio_model_id
        from musicsage.usecases.training import current_graph_model, graph_embeddings

        if space == "audio":
            from musicsage.search.index import standardise

            model_id = current_audio_model_id(self.ctx)
            emb = audio_embeddings(self.ctx, model_id, present_only=False) if model_id else None
            if emb is None:
                return "no audio embeddings yet (run: musicsage embed)"
            return model_id, emb.track_ids, standardise(emb.matrix)
        if space == "graph":
            info = current_graph_model(self.ctx)
            if info is None:
                return "no trained graph model yet (run: musicsage train)"
            emb = graph_embeddings(self.ctx)
            if emb is None:
                return "the current graph model has no track vectors (run: musicsage train)"
            return graph_model_label(info), emb.track_ids, emb.matrix
        raise MusicsageError(f"unknown space {space!r} (graph or audio)")

    def _remember(self, space, conn, stamp, model_id, track_ids, matrix) -> "SpaceIndex":
        from musicsage.search.fingerprint import embedding_fingerprint
        from musicsage.search.index import SpaceIndex, index_key

        fingerprint = embedding_fingerprint(track_ids, matrix, model_id)
        with self._lock:
            memo = self._memo.get(space)
            found = memo[2] if memo is not None else None
            if found is None or found.fingerprint != fingerprint:
                found = SpaceIndex(space, track_ids, matrix, model_id=model_id,
                                   directory=self.ctx.search_dir / space, fingerprint=fingerprint,
                                   key=index_key(self.ctx.data_dir))
            self._memo[space] = (conn, stamp, found)
            return found


def graph_model_label(info: "GraphModelInfo") -> str:
    """How a graph space names its model: ``graph-<id>``."""
    return f"graph-{info.id}"
