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
tracks among them too (its audio note tells them apart). What the notes read (the current
model, its model.pt's version, the tracks' vectors) is read once per note (:class:`_Asked`):
each note read them again: the vectors and the model up to three times each.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Asked:
    """What the notes on ``ids`` read, read once (:func:`_asked`) and handed to each note in
    turn: the current graph model's info (None without one), the library's audio model
    (None with no vector) and the versions of ``ids``' vectors of it."""

    info: "GraphModelInfo | None"
    library: str | None
    ids: tuple[int, ...]
    versions: dict[int, str]

    @property
    def unvectored(self) -> list[int]:
        """Those of ``ids`` with no vector of the library's audio model, in id order."""
        return [t for t in self.ids if t not in self.versions]


def _asked(ctx: "AppContext", track_ids: Sequence[int]) -> _Asked:
    """The current model, the library's audio model and ``track_ids``' vector versions of it
    (asked before any row is read, which only the tracks without one need: ``map`` asks of
    every track it leaves out, 90,000 dataset rows)."""
    from musicsage.audio.selection import current_model_id
    from musicsage.library.db import connect
    from musicsage.library.track_versions import versions_of

    ids = tuple(sorted({int(t) for t in track_ids}))
    library = current_model_id(ctx) if ids else None
    versions = versions_of(connect(ctx), library, ids) if library is not None else {}
    return _Asked(_current(ctx), library, ids, versions)


def other_settings_note(ctx: "AppContext", what: str = "the query track",
                        track_ids: Sequence[int] = ()) -> str | None:
    """Why no ``embed`` gives ``what`` (``track_ids``: its tracks) a graph vector, where
    :func:`~musicsage.usecases.embedding.unplaced_note` would advise one, or None: the
    current model.pt was written by a newer musicsage (:func:`newer_model_note`); every one
    of them lacks an audio vector and a file to analyse now (:func:`no_file_note`); or the
    analysis settings differ from the trained ones (:func:`_settings_note`). Each is asked
    with what :func:`_asked` read once."""
    asked = _asked(ctx, track_ids)
    return (_newer_note(ctx, asked, what) or _no_file_note(ctx, asked, what)
            or _settings_note(ctx, asked, what))


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
    return _newer_note(ctx, _asked(ctx, track_ids), what)


def _newer_note(ctx: "AppContext", asked: _Asked, what: str) -> str | None:
    """:func:`newer_model_note` of what ``asked`` read."""
    from musicsage.graph.checkpoint_version import READS_UP_TO, saved_version
    from musicsage.library.db import connect

    info = asked.info
    version = saved_version(info.checkpoint_path) if info is not None else None
    if info is None or version is None or version <= READS_UP_TO:
        return None
    has = "has a" if what.startswith("no ") else "has no"
    start = (f"{what} {has} graph embedding: graph model {info.id} was written by a newer "
             f"musicsage (graph model version {version}; this one reads up to {READS_UP_TO}), "
             "so it places no new track here")
    rows = _rows(connect(ctx), asked.unvectored)
    if _analysable(rows):
        return (f"{start}: compute the audio vectors, then train one this version reads "
                f"({EMBED_HINT}; then {TRAIN_HINT})")
    if rows and len(rows) == len(asked.ids):  # none has a vector or a file
        return f"{start}: " + _no_file_words(rows, train=True)
    return f"{start}: a training makes one this version reads ({TRAIN_HINT})"


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
    return _no_file_note(ctx, _asked(ctx, track_ids), what)


def _no_file_note(ctx: "AppContext", asked: _Asked, what: str) -> str | None:
    """:func:`no_file_note` of what ``asked`` read."""
    from musicsage.library.db import connect

    if not asked.ids or asked.versions:
        return None  # an embed places the one with a vector: no row read
    rows = _rows(connect(ctx), asked.ids)
    if len(rows) < len(asked.ids) or _analysable(rows):
        return None  # an embed analyses one of them (or a track is gone)
    has = "has a" if what.startswith("no ") else "has no"
    return (f"{what} {has} graph embedding yet: "
            + _no_file_words(rows, train=_training_follows(ctx, asked)))


def _training_follows(ctx: "AppContext", asked: _Asked) -> bool:
    """Whether ``asked``'s tracks (none with an audio vector) stay unplaced after their embed,
    until a training: the library's audio model is not the graph model's (``embed --model``
    since the training), or an embed makes vectors of other analysis settings than the
    trained ones (:func:`settings_kinds`' case, where it counts such tracks as none of its
    kinds). "Once it is back, a rescan and an embed place it" was said there too."""
    info = asked.info
    if info is None:
        return False
    return asked.library not in (None, info.audio_model) or bool(_kinds(ctx, asked))


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


def _settings_note(ctx: "AppContext", asked: _Asked, what: str) -> str | None:
    """The note for ``what`` (``asked``: its tracks) without a graph vector while the
    library reads audio vectors of other analysis settings than the current graph model was
    trained on, where only a training places them (:func:`settings_kinds`): theirs are of
    those settings, or some have none and a plain ``embed`` makes vectors of other settings
    too (then an embed, then a training). None otherwise, where the advice stays
    ``unplaced_note``'s (an embed) — also where every one has a vector of the trained
    settings: an embed places them. Whether the model.pt loads is not asked here: that
    loaded torch and the model (seconds) on every ``similar`` of a track imported after
    training; only its version is read, without torch (:func:`newer_model_note`)."""
    info, kinds = asked.info, _kinds(ctx, asked)
    stuck = {t for t, kind in kinds.items() if kind == _STUCK}
    kinds = {t: kind for t, kind in kinds.items() if kind != _STUCK}
    if info is None or not kinds or len(kinds) < len(set(asked.ids) - stuck):
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
    it again first). The library may still read the trained settings: a re-analysis to
    others cut short (``embed --max-seconds 20`` stopped midway), which a plain embed
    finishes, so a track with no vector is :data:`COMPUTE_THEN_TRAIN` there too (it was told
    "embed", and the embed left it unplaced). The usual case (a new track before its embed,
    the library of the trained settings) stops at the tracks' versions and what an embed
    makes; the library's version, a read of every vector, only after. ``map`` asks it of
    all its tracks at once and says each kind on a line of its own."""
    return {t: kind for t, kind in _kinds(ctx, _asked(ctx, track_ids)).items()
            if kind != _STUCK}


def _kinds(ctx: "AppContext", asked: _Asked) -> dict[int, str]:
    """:func:`settings_kinds`' answer for ``asked``'s tracks, the :data:`_STUCK` ones in it.
    The library's audio model is asked first: where it is not the graph model's, no track is
    of these kinds (another audio model is said apart), and its vectors are those read."""
    from musicsage.audio.selection import current_identity
    from musicsage.library.db import connect
    from musicsage.library.queries import shown_version

    info = asked.info if asked.ids else None
    trained = info.params.get("audio_model_version") if info is not None else None
    if not isinstance(trained, str) or asked.library != info.audio_model:
        return {}
    versions = asked.versions  # a few rows: asked first
    ids = [t for t in asked.ids if versions.get(t) != trained]
    if not ids:
        return {}  # all of the trained settings: an embed places them
    identity = current_identity(ctx, info.audio_model)  # what a plain embed makes now
    if identity == (info.audio_model, trained) or (
            identity is None and all(t not in versions for t in ids)):
        return {}  # the usual case: an embed places them
    conn = connect(ctx)
    shown = shown_version(conn, info.audio_model)  # a read of every vector (~50 ms at 50k)
    if shown == trained and (identity is None or identity[0] != info.audio_model):
        return {}  # no re-analysis of the model's vectors under way, or cut short
    # The library may still show the trained settings (a re-analysis to others cut short):
    # the embed finishes it, and then only a training places a track (it was told "embed").
    kinds = {t: TRAIN for t in ids if versions.get(t) == shown}
    if identity is not None:
        unvectored = [t for t in ids if t not in versions]
        analysable = set(_analysable(_rows(conn, unvectored)))
        kinds.update({t: COMPUTE_THEN_TRAIN if t in analysable else _STUCK for t in unvectored})
    return kinds


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
