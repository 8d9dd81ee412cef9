"""Why a track with an audio vector has no graph vector when ``embed`` cannot give it one.

The saved graph model places a track it never saw from that track's audio vector
(:mod:`musicsage.usecases.inductive`), but only from vectors of the analysis settings it was
trained on (``audio_model_version`` in its params), and none while the library reads
vectors of other settings. After ``embed --max-seconds 20`` (or a new version's analysis)
the new tracks had their audio vectors, ``embed`` said "nothing to embed" and placed
nothing, yet ``similar`` told the user to run ``embed``: only a training gives them a graph
vector then. The rule is inductive's (its ``_of_trained_version``), read here without
loading the model; :func:`~musicsage.usecases.embedding.unplaced_note` asks it, so that
``similar``, ``suggest``, ``radio`` and ``map`` say the same.
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
    trained on, theirs are of those, and a plain ``embed`` makes vectors of other settings
    too: the model places none of them, a training on them gives them one. None otherwise,
    where the advice stays ``unplaced_note``'s: a track of other settings than the library
    reads (an embed analyses it again first), an ``embed`` that now makes the trained
    settings' vectors (a re-analysis back to them cut short: it finishes it, and the model
    places the track; said "train" before, whose model the finished re-analysis then left
    placing nothing), one whose settings cannot be told (weights absent), a library now of
    another audio model (said apart), a model saved before it recorded its settings (it
    places every track). The usual case (a new track before its embed: no vector yet)
    stops at the versions of ``track_ids``, read first; the library's version, a read of
    every vector, only after."""
    from musicsage.audio.selection import current_identity, current_model_id
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect
    from musicsage.library.queries import shown_version
    from musicsage.library.track_versions import versions_of

    conn = connect(ctx)
    info = current_model(conn, ctx) if track_ids else None
    trained = info.params.get("audio_model_version") if info is not None else None
    if not isinstance(trained, str):
        return None
    versions = versions_of(conn, info.audio_model, track_ids)  # a few rows: asked first
    if any(versions.get(int(t)) in (None, trained) for t in track_ids):
        return None  # the usual case (no vector yet, or the trained settings'): no more reads
    shown = shown_version(conn, info.audio_model)  # a read of every vector (~50 ms at 50k)
    if shown == trained or current_model_id(ctx) != info.audio_model:
        return None
    if any(versions.get(int(t)) != shown for t in track_ids):
        return None
    identity = current_identity(ctx, info.audio_model)  # what a plain embed makes now
    if identity is None or identity == (info.audio_model, trained):
        return None
    has = "has a" if what.startswith("no ") else "has no"
    return (f"{what} {has} graph embedding: graph model {info.id} places new tracks only by "
            f"{info.audio_model} vectors of the analysis settings it was trained on, and the "
            f"library's are now of other settings: train again on them ({TRAIN_HINT})")
