"""Why a track with an audio vector has no graph vector when ``embed`` cannot give it one.

The saved graph model places a track it never saw from that track's audio vector
(:mod:`musicsage.usecases.inductive`), but only from vectors of the analysis settings it was
trained on (``audio_model_version`` in its params), and none while the library reads
vectors of other settings. After ``embed --max-seconds 20`` (or a new version's analysis)
the new tracks had their audio vectors, ``embed`` said "nothing to embed" and placed
nothing, yet ``similar`` told the user to run ``embed``: only a training gives them a graph
vector then. The rule is inductive's (its ``_of_trained_version``), read here without
loading the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from musicsage.errors import TRAIN_HINT

if TYPE_CHECKING:
    from musicsage.context import AppContext


def other_settings_note(ctx: "AppContext", what: str = "the query track",
                        track_ids: Sequence[int] = ()) -> str | None:
    """The note for ``what`` (``track_ids``: its tracks) without a graph vector while the
    library reads audio vectors of other analysis settings than the current graph model was
    trained on, and theirs are of those: the model places none of them, an ``embed`` has
    nothing to redo, a training on them gives them one. None otherwise, where the advice
    stays :func:`~musicsage.usecases.embedding.unplaced_note`'s: a track without a vector
    of the model's audio model, or one of other settings than the library reads (an embed
    analyses it again first; a re-analysis cut short), a library now of another audio model
    (said apart), a model saved before it recorded its settings (it places every track)."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_versions, shown_version
    from musicsage.usecases.embedding import current_audio_model_id

    conn = connect(ctx)
    info = current_model(conn, ctx)
    trained = info.params.get("audio_model_version") if info is not None else None
    if (not isinstance(trained, str) or not track_ids
            or current_audio_model_id(ctx) != info.audio_model):
        return None
    shown = shown_version(conn, info.audio_model)
    versions = embedding_versions(conn, info.audio_model)
    if shown == trained or any(versions.get(t) != shown for t in track_ids):
        return None
    has = "has a" if what.startswith("no ") else "has no"
    return (f"{what} {has} graph embedding: graph model {info.id} places new tracks only by "
            f"{info.audio_model} vectors of the analysis settings it was trained on, and the "
            f"library's are now of other settings: train again on them ({TRAIN_HINT})")
