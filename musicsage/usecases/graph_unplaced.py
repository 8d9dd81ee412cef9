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
(:func:`settings_kinds`). So it is asked, first, of the two other cases no ``embed`` helps:
a model.pt a newer musicsage wrote (:func:`newer_model_note`), and tracks with neither an
audio vector nor a file to analyse now (:func:`no_file_note`) — said only where every track
asked is such: ``map``'s line of the tracks an embed places keeps the embed advice for such
tracks among them too (its audio note tells them apart).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from musicsage.errors import EMBED_HINT, RESCAN_HINT, TRAIN_HINT

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo


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
    """Why no ``embed`` gives ``what`` (``track_ids``: its tracks) a graph vector, where
    :func:`~musicsage.usecases.embedding.unplaced_note` would advise one, or None: the
    current model.pt was written by a newer musicsage (:func:`newer_model_note`); every one
    of them lacks an audio vector and a file to analyse now (:func:`no_file_note`); or the
    analysis settings differ from the trained ones (:func:`_settings_note`)."""
    return (newer_model_note(ctx, what, track_ids) or no_file_note(ctx, what, track_ids)
            or _settings_note(ctx, what, track_ids))


def newer_model_note(ctx: "AppContext", what: str = "the query track",
                     track_ids: Sequence[int] = ()) -> str | None:
    """The note for ``what`` (``track_ids``: its tracks) without a graph vector while the
    current graph model's model.pt was written by a newer musicsage, else None. Its files are
    whole, so ``models`` and ``stats`` call it fine and its saved vectors give the lists; but
    no load of this version reads it, so no ``embed`` places a new track (``similar`` said
    "embed", and the embed said it could not use the model). Only a training here makes one
    this version reads — after an embed where one of them has no audio vector yet and a file
    to analyse, which a training needs. Where every one lacks both, the note says what
    :func:`no_file_note` says, a training added (they were told "compute the audio vectors",
    and the embed skipped them). The newer model is left as it is (its own version still
    reads it)."""
    from musicsage.graph.checkpoint_version import READS_UP_TO
    from musicsage.library.db import connect

    newer = _newer(ctx)
    if newer is None:
        return None
    info, version = newer
    has = "has a" if what.startswith("no ") else "has no"
    start = (f"{what} {has} graph embedding: graph model {info.id} was written by a newer "
             f"musicsage (graph model version {version}; this one reads up to {READS_UP_TO}), "
             "so it places no new track here")
    rows = _rows(connect(ctx), _unvectored(ctx, track_ids))
    if _analysable(rows):
        return (f"{start}: compute the audio vectors, then train one this version reads "
                f"({EMBED_HINT}; then {TRAIN_HINT})")
    if rows and len(rows) == len({int(t) for t in track_ids}):  # none has a vector or a file
        return f"{start}: " + _no_file_words(rows, train=True)
    return f"{start}: a training makes one this version reads ({TRAIN_HINT})"


def _newer(ctx: "AppContext") -> tuple["GraphModelInfo", int] | None:
    """The current graph model's info and the layout version its model.pt gives, where that is
    newer than this version reads (:mod:`~musicsage.graph.checkpoint_version`: no torch); else
    None."""
    from musicsage.graph.checkpoint_version import READS_UP_TO, saved_version

    info = _current(ctx)
    version = saved_version(info.checkpoint_path) if info is not None else None
    return (info, version) if version is not None and version > READS_UP_TO else None


def _unvectored(ctx: "AppContext", track_ids: Sequence[int]) -> list[int]:
    """Those of ``track_ids`` with no vector of the library's audio model, in id order. Asked
    before their rows are read (:func:`_rows`), which only the tracks without one need:
    ``map`` asks of every track it leaves out (90,000 dataset rows read twice took a second,
    and were read where one track's vector settled the note)."""
    from musicsage.audio.selection import current_model_id
    from musicsage.library.db import connect
    from musicsage.library.track_versions import versions_of

    ids = sorted({int(t) for t in track_ids})
    model = current_model_id(ctx) if ids else None
    vectored = versions_of(connect(ctx), model, ids) if model is not None else {}
    return [t for t in ids if t not in vectored]


def no_file_note(ctx: "AppContext", what: str = "the query track",
                 track_ids: Sequence[int] = ()) -> str | None:
    """The note for ``what`` without a graph vector where every one of ``track_ids`` has no
    audio vector and no file an ``embed`` can analyse now (a missing file, or a track
    imported from a dataset dir without one), else None. The model places a track by its
    audio vector, so "embed" was advised, and the embed skipped every one: a missing file is
    told what the audio note tells of it (once back, a rescan and an embed), a file-less one
    that it has nothing to analyse. A training is named as well where their embed would not
    place them (:func:`_training_follows`). A track with an audio vector keeps the advice (an
    embed places it, file or none); so do all where one of them can be analysed."""
    from musicsage.library.db import connect

    ids = {int(t) for t in track_ids}
    if not ids or len(_unvectored(ctx, ids)) < len(ids):
        return None  # an embed places the one with a vector: no row read
    rows = _rows(connect(ctx), sorted(ids))
    if len(rows) < len(ids) or _analysable(rows):
        return None  # an embed analyses one of them (or a track is gone)
    has = "has a" if what.startswith("no ") else "has no"
    return (f"{what} {has} graph embedding yet: "
            + _no_file_words(rows, train=_training_follows(ctx, sorted(ids))))


def _training_follows(ctx: "AppContext", track_ids: list[int]) -> bool:
    """Whether ``track_ids`` (tracks with no audio vector) stay unplaced after their embed,
    until a training: the library's audio model is not the graph model's (``embed --model``
    since the training), or an embed makes vectors of other analysis settings than the
    trained ones (:func:`settings_kinds`' case, where it counts such tracks as none of its
    kinds). "Once it is back, a rescan and an embed place it" was said there too."""
    from musicsage.audio.selection import current_model_id

    info = _current(ctx)
    if info is None:
        return False
    library = current_model_id(ctx)
    return library not in (None, info.audio_model) or bool(_kinds(ctx, track_ids)[1])


DATASET_WORDS = "imported from a dataset dir, with no audio file to analyse"
"""What the graph note says of tracks imported without an audio file, as the audio note says
it (:func:`~musicsage.usecases.left_out_notes.no_file_to_analyse`); the window hides the
button under such a note (:func:`~musicsage.controllers.wording.no_file_graph_note`)."""


def _no_file_words(rows: dict[int, dict], *, train: bool = False) -> str:
    """Why none of the tracks of ``rows`` (none with an audio vector) can be analysed now:
    those imported without an audio file, the rest missing files, in the audio note's words
    (:func:`~musicsage.usecases.left_out_notes.no_file_to_analyse`); ``train``: a training
    must follow their embed (named with the rescan, as what places them once back)."""
    from musicsage.library.paths import is_file_path
    from musicsage.text import noun

    n = len(rows)
    no_file = sum(not is_file_path(str(row.get("path") or "")) for row in rows.values())
    missing = n - no_file
    back = (f"a rescan ({RESCAN_HINT}), an embed and a training ({TRAIN_HINT}) place" if train
            else f"a rescan ({RESCAN_HINT}) and an embed place")
    if not no_file:
        return noun(n, f"its file is missing: once it is back, {back} it",
                    f"their files are missing: once they are back, {back} them")
    if not missing:
        return f"{noun(n, 'it was', 'they were')} {DATASET_WORDS}"
    return (f"none can be analysed now ({missing} of them "
            f"{noun(missing, 'is a missing file', 'are missing files')}: once back, {back} "
            f"{noun(missing, 'it', 'them')}; {no_file} of them {DATASET_WORDS})")


def _settings_note(ctx: "AppContext", what: str = "the query track",
                   track_ids: Sequence[int] = ()) -> str | None:
    """The note for ``what`` (``track_ids``: its tracks) without a graph vector while the
    library reads audio vectors of other analysis settings than the current graph model was
    trained on, where only a training places them (:func:`settings_kinds`): theirs are of
    those settings, or some have none and a plain ``embed`` makes vectors of other settings
    too (then an embed, then a training). None otherwise, where the advice stays
    ``unplaced_note``'s (an embed) — also where every one has a vector of the trained
    settings: an embed places them. Whether the model.pt loads is not asked here: that
    loaded torch and the model (seconds) on every ``similar`` of a track imported after
    training; only its version is read, without torch (:func:`newer_model_note`)."""
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
        analysable = set(_analysable(_rows(conn, unvectored)))
        kinds.update({t: COMPUTE_THEN_TRAIN if t in analysable else _STUCK for t in unvectored})
    return info, kinds


def _rows(conn, track_ids: Sequence[int]) -> dict[int, dict]:
    """``track_ids``' rows (:func:`~musicsage.library.queries.track_summaries`), none asked
    of none."""
    from musicsage.library.queries import track_summaries

    return track_summaries(conn, list(track_ids)) if len(track_ids) else {}


def _analysable(rows: dict[int, dict]) -> list[int]:
    """Of the tracks of ``rows``, those an ``embed`` analyses now: present, with a file. A
    missing file, or a track imported from a dataset dir without one, was told "compute its
    vectors, then train again", and the embed skipped it: it is no kind of
    :func:`settings_kinds`' (``map`` says it with the tracks an embed places), and a note on
    tracks that are all such says why instead (:func:`no_file_note`)."""
    from musicsage.library.paths import is_file_path

    return [t for t, row in rows.items()
            if row.get("status") == "present" and is_file_path(str(row.get("path") or ""))]


def _current(ctx: "AppContext"):
    """The current graph model's info (None without one)."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    return current_model(connect(ctx), ctx)
