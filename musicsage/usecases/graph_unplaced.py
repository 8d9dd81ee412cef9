"""Why a track with an audio vector has no graph vector when ``embed`` cannot give it one.

The saved graph model places a track it never saw from that track's audio vector
(:mod:`musicsage.usecases.inductive`), but only from vectors of the analysis settings it was
trained on (``audio_model_version`` in its params), and none while the library reads
vectors of other settings. After ``embed --max-seconds 20`` (or a new version's analysis)
the new tracks had their audio vectors, ``embed`` said "nothing to embed" and placed
nothing, yet ``similar`` told the user to run ``embed``: only a training gives them a graph
vector then — after an embed, for a track with no audio vector yet, whose embed makes one of
the other settings too. The rule is inductive's (its ``_of_trained_version``), read here
without loading the model; :func:`~musicsage.usecases.embedding.unplaced_note` asks it, so
that ``similar``, ``suggest``, ``radio`` and ``map`` say the same, ``map`` of each kind apart
(:func:`settings_kinds`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from musicsage.errors import EMBED_HINT, TRAIN_HINT

if TYPE_CHECKING:
    from musicsage.context import AppContext


TRAIN = "train"
"""The kind of a track with an audio vector of the settings the library reads, not those the
graph model was trained on: only a training places it."""
COMPUTE_THEN_TRAIN = "compute then train"
"""The kind of a track with no audio vector while a plain ``embed`` makes vectors of other
settings than the trained ones: the embed gives it one the model does not place, so a
training must follow (it was told "embed" alone, and the embed placed nothing)."""


_STUCK = "stuck"
"""The kind, kept inside this module, of a track with no vector that no ``embed`` can
analyse now (a missing file, a dataset track without one): neither advice places it, so it
does not decide the note of the others (one missing member sent a whole playlist back to
"embed", where a training places the rest)."""


def other_settings_note(ctx: "AppContext", what: str = "the query track",
                        track_ids: Sequence[int] = ()) -> str | None:
    """The note for ``what`` (``track_ids``: its tracks) without a graph vector while the
    library reads audio vectors of other analysis settings than the current graph model was
    trained on, where only a training places them (:func:`settings_kinds`): theirs are of
    those settings, or some have none and a plain ``embed`` makes vectors of other settings
    too (then an embed, then a training). None otherwise, where the advice stays
    ``unplaced_note``'s (an embed) — also where every one has a vector of the trained
    settings: an embed places them. Whether the model.pt loads is not asked here: that
    loaded torch and the model (seconds) on every ``similar`` of a track imported after
    training, to say what the ``embed`` it is sent to says itself when it cannot load it."""
    info, kinds = _kinds(ctx, track_ids)
    stuck = {t for t, kind in kinds.items() if kind == _STUCK}
    kinds = {t: kind for t, kind in kinds.items() if kind != _STUCK}
    if info is None or not kinds or len(kinds) < len({int(t) for t in track_ids} - stuck):
        return None  # some track an embed places (or one of other settings: redone first)
    has = "has a" if what.startswith("no ") else "has no"
    start = (f"{what} {has} graph embedding: graph model {info.id} places new tracks only by "
             f"{info.audio_model} vectors of the analysis settings it was trained on")
    if COMPUTE_THEN_TRAIN in kinds.values():
        return (f"{start}, and an embed now makes them with other settings: compute "
                f"{'its' if len(kinds) == 1 else 'their'} {info.audio_model} vectors, then "
                f"train again ({EMBED_HINT}; then {TRAIN_HINT})")
    return (f"{start}, and the library's are now of other settings: train again on them "
            f"({TRAIN_HINT})")


def settings_kinds(ctx: "AppContext", track_ids: Sequence[int]) -> dict[int, str]:
    """``track id ->`` :data:`TRAIN` or :data:`COMPUTE_THEN_TRAIN` for those of
    ``track_ids`` that an ``embed`` alone leaves without a graph vector for their analysis
    settings; the others are not in it. Only while the library reads vectors of other
    settings than the model's (``audio_model_version`` in its params; a model saved before
    it recorded them places every track) and of its audio model (another is said apart).
    A track whose vector is of those settings: :data:`TRAIN` — also where what a plain embed
    makes cannot be told (weights absent: the embed is refused, while a training reads the
    stored vectors; it was told to embed), but not where the embed makes the trained
    settings' vectors again (a re-analysis back to them cut short: it finishes it, and the
    model places the track). A track without a vector: :data:`COMPUTE_THEN_TRAIN` where the
    embed makes other settings' vectors and can analyse it now (:func:`_analysable`; none
    where what it makes cannot be told: no training helps a track with no vector, and the
    embed says what it lacks). A track of yet other settings is not in it (an embed analyses
    it again first). The usual case (a new track before its embed, the library of the
    trained settings) stops at the tracks' versions and what an embed makes; the library's
    version, a read of every vector, only after. ``map`` asks it of all its tracks at once
    and says each kind on a line of its own."""
    return {t: kind for t, kind in _kinds(ctx, track_ids)[1].items() if kind != _STUCK}


def _kinds(ctx: "AppContext", track_ids: Sequence[int]) -> tuple[object, dict[int, str]]:
    """The current graph model's info (None without one, or none asked) and
    :func:`settings_kinds`' answer."""
    from musicsage.audio.selection import current_identity, current_model_id
    from musicsage.library.db import connect
    from musicsage.library.queries import shown_version
    from musicsage.library.track_versions import versions_of

    info = _current(ctx) if len(track_ids) else None
    trained = info.params.get("audio_model_version") if info is not None else None
    if not isinstance(trained, str):
        return info, {}
    conn = connect(ctx)
    versions = versions_of(conn, info.audio_model, track_ids)  # a few rows: asked first
    ids = [int(t) for t in track_ids if versions.get(int(t)) != trained]
    if not ids:
        return info, {}  # all of the trained settings: an embed places them
    identity = current_identity(ctx, info.audio_model)  # what a plain embed makes now
    if identity == (info.audio_model, trained) or (
            identity is None and all(t not in versions for t in ids)):
        return info, {}  # the usual case: an embed places them
    shown = shown_version(conn, info.audio_model)  # a read of every vector (~50 ms at 50k)
    if shown == trained or current_model_id(ctx) != info.audio_model:
        return info, {}
    kinds = {t: TRAIN for t in ids if versions.get(t) == shown}
    if identity is not None:
        unvectored = [t for t in ids if t not in versions]
        analysable = set(_analysable(conn, unvectored))
        kinds.update({t: COMPUTE_THEN_TRAIN if t in analysable else _STUCK for t in unvectored})
    return info, kinds


def _analysable(conn, track_ids: list[int]) -> list[int]:
    """Of ``track_ids``, those an ``embed`` analyses now: present, with a file. A missing
    file, or a track imported from a dataset dir without one, was told "compute its vectors,
    then train again", and the embed skipped it; it keeps ``unplaced_note``'s words, beside
    the audio note that says what it lacks."""
    from musicsage.library.paths import is_file_path
    from musicsage.library.queries import track_summaries

    rows = track_summaries(conn, track_ids) if track_ids else {}
    return [t for t, row in rows.items()
            if row.get("status") == "present" and is_file_path(str(row.get("path") or ""))]


def _current(ctx: "AppContext"):
    """The current graph model's info (None without one)."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    return current_model(connect(ctx), ctx)
