"""Audio use cases (DB → audio vectors): embed the library, which model is in use, its vectors.

"Embedding the library" here means *audio* vectors from an audio model; after each run the
current graph model embeds the tracks it never saw (:mod:`musicsage.usecases.inductive`).
The graph model's track vectors are :func:`musicsage.usecases.training.graph_embeddings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from musicsage.errors import EMBED_HINT, TRAIN_HINT
from musicsage.text import counted, noun
from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from musicsage.context import AppContext
    from musicsage.usecases.embed_report import LibraryEmbedReport
    from musicsage.usecases.inductive import InductiveReport


class TrackVectors(NamedTuple):
    """One vector per track: ``matrix[i]`` belongs to ``track_ids[i]``."""

    track_ids: np.ndarray  # int64 [n]
    matrix: np.ndarray  # float32 [n, d]


@runs(Mode.PROCESS)
def embed_library(ctx: "AppContext", model: str | None = None, *, hop: float | None = None,
                  max_seconds: float | None = None, openl3_weights: str | None = None,
                  variant: str | None = None, limit: int | None = None,
                  device: str | None = None, threads: int | None = None, progress=None,
                  cancel=None) -> "LibraryEmbedReport":
    """Audio vectors for present tracks lacking one of ``model``.

    ``model``: a family (``openl3`` | ``musicnn`` | ``spectral``) or a full model id; None:
    the library's audio model (its ``audio_model`` setting, even with no vectors of it left;
    else the model of its vectors), else the best available (a plain ``embed`` never switches
    the library's model: its graph model could not use the vectors).
    ``device``: ``auto`` (default: a CUDA GPU when present, else the CPU), ``cpu``, ``cuda``
    or ``cuda:N`` (refused in one line when absent). ``threads``: CPU cores the analysis may
    keep busy (default, and at most: every core this process may use).
    Resumable: finished tracks are committed in batches and skipped by the next run.
    ``.reason`` of the report says why this model; ``.graph`` what the current graph model
    did for the tracks it never saw (:func:`graph_vectors_for_new_tracks`). Raises
    :class:`~musicsage.audio.embedder.MissingWeights` when a requested model's weights are
    absent and cannot be fetched (the message names the fallback). Runs in a child process
    from the window: the audio networks need torch.
    """
    from musicsage.audio.selection import embed_library as run
    from musicsage.usecases.embed_report import LibraryEmbedReport

    audio = run(ctx, model, hop=hop, max_seconds=max_seconds, openl3_weights=openl3_weights,
                variant=variant, device=device, limit=limit, threads=threads,
                progress=progress, cancel=cancel)
    if model is not None:
        audio.reason = _requested_reason(model, audio.model_id, audio.reason)
    rep = LibraryEmbedReport.of(audio, graph_vectors_for_new_tracks(ctx, progress, cancel,
                                                                    device=device))
    if not audio.total:
        rep.nothing_to_do, rep.files_missing = _nothing_to_embed(ctx, audio.model_id)
    return rep


def _requested_reason(model: str, model_id: str, reason: str) -> str:
    """Why this model, when ``--model`` named an id that no embedder makes (imported
    features, ``spectral-dataset``): its family's model runs instead, and "model: spectral …
    — spectral-dataset: requested" named two models for one. Ids are case-blind (``Spectral``
    is spectral, named so), and the run's notes after the head (the library still uses …)
    are kept: the capitalised name replaced them."""
    from musicsage.audio.embedder import family_of

    family, asked = family_of(model), model.strip().lower()
    head = f"{asked}: requested" if asked in (model_id, family) else \
        f"{family}: requested (as {model}, which no model computes from audio files)"
    _, _, notes = reason.partition("; ")  # after the head "<model>: requested"
    return f"{head}; {notes}" if notes else head


LIBRARY_HAS_NO_TRACKS = "the library has no tracks; scan a music folder first, e.g. " \
    "`musicsage scan ~/Music`"
"""The one phrase ``embed``, ``map`` and ``train`` use for a library with no track at all
(never scanned, or its only folder forgotten), after their own head ("nothing to embed: "):
worded three ways, one state read as three faults."""

_NO_MODEL = "\0no model"
"""A model id no vector has (ids are checked names: this one cannot be stored)."""


def _nothing_to_embed(ctx: "AppContext", model_id: str) -> tuple[str, str | None]:
    """The one line of an ``embed`` that found nothing to do: "embedded 0 of 0 tracks" under
    a line naming a model (on a dataset's library, one that changed nothing) told nothing.
    With it, its words after "nothing to embed: " where tracks' files are missing (None where
    none is), which the window's Compute embeddings says after its own head: it answered
    "every track already has its embeddings" of tracks whose files are gone."""
    from musicsage.library.browse import library_stats
    from musicsage.library.db import connect
    from musicsage.library.queries import (any_tracks, count_tracks_needing_embedding,
                                           present_track_ids)

    conn = connect(ctx)
    if not any_tracks(conn):
        return "nothing to embed: " + LIBRARY_HAS_NO_TRACKS, None
    # scanned tracks whose files are gone (a dataset's tracks are never missing): the
    # dataset's tracks beside them were blamed
    missing = library_stats(conn).tracks.missing
    # what an embed of a model with no vector yet would analyse: the present audio files
    here = bool(count_tracks_needing_embedding(conn, _NO_MODEL, "")[0])
    if missing:
        words = files_missing_words(missing, model_id if here else None)
        return "nothing to embed: " + words, words
    if here:
        return f"nothing to embed: {_EVERY_FILE_EMBEDDED.format(model_id)}", None
    if len(present_track_ids(conn)):  # present, yet no file: a dataset's tracks
        return "nothing to embed: " + (featureless_dataset_hint(conn) or (
            "the library's tracks came from a dataset, with their vectors, and have no "
            "audio files")), None
    return "nothing to embed: no track's audio file is present (a drive unplugged?)", None


_EVERY_FILE_EMBEDDED = "every track with an audio file has a {} vector"
"""Why ``embed`` of a model has nothing to do with every file here analysed, its id filled in."""


def files_missing_words(missing: int, model_id: str | None = None) -> str:
    """Why there is nothing to embed when ``missing`` tracks' audio files are gone, in the one
    wording ``embed`` and the window's Compute embeddings say (its tooltip said "every track
    already has its embeddings" of a library whose every file was missing, while ``embed``
    said they were missing). ``model_id``: some files are here, each with its vector of that
    model, said first (the tooltip said the same untruth of a track never analysed whose
    drive was unplugged)."""
    whose = "1 track's audio file is" if missing == 1 else f"{missing} tracks' audio files are"
    done = f"{_EVERY_FILE_EMBEDDED.format(model_id)}; " if model_id else ""
    return f"{done}{whose} missing (a drive unplugged?)"


def featureless_dataset_hint(conn) -> str | None:
    """What ``embed`` and ``train`` say of a library whose only tracks came from a dataset
    dir without a features.npy (the docs allow one): they have neither audio files nor
    vectors, which only an import of the dir with its features.npy can give them — each
    command sent the user to the other. None when a track has an audio file (embed helps
    there) or every dataset track has a vector."""
    import os
    import shlex

    from musicsage.library import paths as P
    from musicsage.library.dataset_names import featureless_tracks

    count, first = featureless_tracks(conn)
    if not count:
        return None
    src = P.display(P.dataset_source(first))
    return (f"{counted(count, 'track')} imported from the dataset dir {src} "
            f"{noun(count, 'has', 'have')} neither an audio file nor a vector (imported "
            f"without a features.npy): put the vectors in {os.path.join(src, 'features.npy')} "
            f"and import the folder again (`musicsage import {shlex.quote(src)}`)")


def graph_vectors_for_new_tracks(ctx: "AppContext", progress=None, cancel=None, *,
                                 device: str | None = None):
    """The graph model's vectors for tracks it never saw
    (:func:`~musicsage.usecases.inductive.embed_new_tracks`, on the embed's ``device``), run
    after every audio run: a new track gets graph neighbours at once, without retraining.
    Whatever goes wrong there is a ``note`` in the report, never a failure of the embed (its
    audio vectors are stored by then); only a cancel propagates, and a library that cannot
    be written (nothing could be stored: the command fails in one line)."""
    import logging

    from musicsage.errors import Cancelled, MusicsageError, first_line, named_first_line
    from musicsage.usecases.inductive import InductiveReport, LibraryNotWritable, embed_new_tracks

    log = logging.getLogger(__name__)
    try:
        return _without_its_audio(
            ctx, embed_new_tracks(ctx, device=device, progress=progress, cancel=cancel))
    except (Cancelled, LibraryNotWritable):
        raise
    except MusicsageError as exc:  # expected, and said in the note: no traceback
        log.info("graph vectors for new tracks: %s", exc)
        why = first_line(exc)
    except OSError as exc:  # a file the system refuses: the same, its kind named
        log.info("graph vectors for new tracks: %s", exc)
        why = named_first_line(exc)
    except Exception as exc:  # a bug: logged in full, reported in one line
        log.warning("graph vectors for new tracks failed", exc_info=True)
        why = named_first_line(exc)
    return InductiveReport(None, note="new tracks get no graph vectors: " + why)


def _without_its_audio(ctx: "AppContext", report: "InductiveReport") -> "InductiveReport":
    """``report`` with a note when the library's audio model is no longer the graph model's
    (``embed --model spectral`` on a library trained on MusiCNN): the graph model places a
    new track by its vector of the graph model's audio model, which the tracks added since
    never get, so each ``embed`` placed none of them and said nothing — and ``similar``
    sent the user back to ``embed`` for the graph vector it never gave. The way out is
    :func:`no_vector_ways`' (what ``stats`` and the window say)."""
    from dataclasses import replace

    from musicsage.library.db import connect

    elsewhere = None if report.note else _graph_audio_elsewhere(ctx)
    if elsewhere is None or elsewhere[0] != report.model_id:
        return report
    graph_id, graph_audio, library = elsewhere
    ways = _switched_ways(connect(ctx), graph_audio, library)
    lacking = ways.train + ways.embed + ways.none
    if not lacking:
        return report
    note = (f"graph model {graph_id} places new tracks by their {graph_audio} vectors, "
            f"which {counted(lacking, 'track')} {noun(lacking, 'lacks', 'lack')} (the "
            f"library now uses {library}): {way_out_words(ways, lacking)}")
    return replace(report, note=note)


def way_out_words(ways: "NoVectorWays", n: int, train: str = TRAIN_HINT,
                  embed: str = EMBED_HINT) -> str:
    """The command line's words for the way out of :class:`NoVectorWays` of a switched
    library, for ``n`` tracks (after "… no AUDIO vector … uses LIBRARY: "): train, embed
    then train, or nothing — each said of its own tracks when they differ. ``train`` and
    ``embed``: the hints in brackets (``stats`` names the commands alone)."""
    library, parts = ways.switched_to, []
    if k := ways.train:
        parts.append(f"train again on the {library} vectors to give "
                     f"{graph_vectors_given(k, n)} ({train})")
    if k := ways.embed:
        then = f"then train again ({embed}; then {train})"
        parts.append(f"compute {noun(k, 'its', 'their')} {library} vectors, {then}" if k == n
                     else f"{counted(k, 'track')} {noun(k, 'needs its', 'need their')} "
                     f"{library} {noun(k, 'vector', 'vectors')} first: compute "
                     f"{noun(k, 'it', 'them')}, {then}")
    if k := ways.none:
        parts.append(f"{counted(k, 'track')} without an audio file {noun(k, 'has', 'have')} "
                     f"no {library} vector either, which no embed can make: no graph vector")
    return "; ".join(parts)


def graph_vectors_given(k: int, n: int) -> str:
    """Whom a training gives graph vectors, ``k`` of the ``n`` tracks without one ("them
    graph vectors", "2 of them graph vectors"): ``stats``, ``embed`` and the window say it
    alike, and the window no longer promised all ``n`` what only ``k`` get."""
    return (noun(k, "it a graph vector", "them graph vectors") if k == n
            else f"{k} of them {noun(k, 'a graph vector', 'graph vectors')}")


class NoVectorWays(NamedTuple):
    """How the present tracks with no vector of the current graph model's audio model get a
    graph vector: decided once here (:func:`no_vector_ways`), so that ``stats``, the window's
    model line and ``embed`` only word it. Three wordings of three decisions told tracks that
    had no vector of the library's model either (scanned after an ``embed --model``) to
    "train again", which left them without a graph vector."""

    switched_to: str | None
    """The library's audio model when ``embed --model`` switched it from the graph model's
    since the last training (None: they agree, and an ``embed`` with it places new tracks)."""
    train: int
    """Tracks with a vector of ``switched_to``: a training on it places them (those without
    an audio file too, with an imported vector)."""
    embed: int
    """Tracks with an audio file: an ``embed`` gives them a vector — of the graph model's
    audio model and so a graph vector; of ``switched_to``, then a training places them."""
    none: int
    """Tracks without an audio file nor a vector a training could use: nothing gives them a
    graph vector (no embed can analyse them)."""

    @classmethod
    def of(cls, graph_model: dict) -> "NoVectorWays":
        """The ways :func:`~musicsage.usecases.library.library_stats` stored in its
        ``graph_model`` summary (``no_vector_ways``); a summary without them (made by hand)
        read as a library that was not switched."""
        ways = graph_model.get("no_vector_ways")
        if isinstance(ways, dict):
            return cls(**ways)
        return cls.unswitched(graph_model.get("no_vector") or 0,
                              graph_model.get("no_vector_no_file") or 0)

    @classmethod
    def unswitched(cls, no_vector: int, no_file: int) -> "NoVectorWays":
        """The ways of a library still on the graph model's audio model: ``embed`` gives the
        ``no_vector`` tracks their vectors, but the ``no_file`` of them without an audio file."""
        no_file = min(no_file, no_vector)
        return cls(None, 0, no_vector - no_file, no_file)


def no_vector_ways(ctx: "AppContext", conn, graph_audio: str, no_vector: int,
                   no_file: int) -> NoVectorWays:
    """:class:`NoVectorWays` of the ``no_vector`` present tracks without a ``graph_audio``
    vector, ``no_file`` of them without an audio file. Reads track ids only after a switch
    of the library's audio model (the counts tell the rest)."""
    library = current_audio_model_id(ctx)
    if not no_vector or library in (None, graph_audio):
        return NoVectorWays.unswitched(no_vector, no_file)
    return _switched_ways(conn, graph_audio, library)


def _switched_ways(conn, graph_audio: str, library: str) -> NoVectorWays:
    """:class:`NoVectorWays` once the library uses ``library``, not ``graph_audio``: which
    tracks lack a ``graph_audio`` vector, have a ``library`` one, have an audio file."""
    from musicsage.library.queries import (embedding_versions, present_file_track_ids,
                                           present_track_ids)

    lacking = set(present_track_ids(conn).tolist()) - set(embedding_versions(conn, graph_audio))
    train = lacking & set(embedding_versions(conn, library))
    embed = (lacking - train) & present_file_track_ids(conn)
    return NoVectorWays(library, len(train), len(embed), len(lacking - train - embed))


def _any_vector(ctx: "AppContext", model_id: str, track_ids: "Sequence[int]") -> bool:
    """Whether any of ``track_ids`` holds a vector of ``model_id`` (a training can use)."""
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_versions

    versions = embedding_versions(connect(ctx), model_id)  # one read, ~20 ms at 28k tracks
    return any(int(t) in versions for t in track_ids)


def _graph_audio_elsewhere(ctx: "AppContext") -> tuple[int, str, str] | None:
    """(current graph model's id, its audio model, the library's audio model) when the two
    audio models differ (``embed --model`` switched the library since the last training);
    None when they agree or either is missing."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    info, library = current_model(connect(ctx), ctx), current_audio_model_id(ctx)
    if info is None or library in (None, info.audio_model):
        return None
    return info.id, info.audio_model, library


def unplaced_note(ctx: "AppContext", what: str = "the query track",
                  track_ids: "Sequence[int]" = ()) -> str:
    """Why ``what`` has no graph vector, in the one sentence ``similar``, ``radio``,
    ``suggest`` and the window's lists all say: while the current graph model can be used,
    ``embed`` places tracks it never saw, in seconds (:mod:`~musicsage.usecases.inductive`;
    a ``models --use`` stopped before it placed them, say); else a Retrain gives it one
    (:func:`~musicsage.search.similar.no_vector_note`). Radio and suggest said Retrain where
    ``similar`` said embed, for the same track. ``what`` may say "no" itself ("no member of
    the playlist"). After ``embed --model`` switched the library to another audio model than
    the graph model's, ``embed`` places nothing new: only a training does — after an
    ``embed`` gives ``track_ids`` (``what``'s tracks) their first vectors of that model. A
    track training left out for a damaged vector no embed mends is told so
    (:func:`~musicsage.usecases.graph_vectors.damaged_note`), first; then one the model will
    not place for its analysis settings, which only a training places
    (:mod:`~musicsage.usecases.graph_unplaced`): asked here, not by ``similar`` alone, which
    said "train" where ``radio`` and ``map`` said "embed" of the same track."""
    from musicsage.search.similar import no_vector_note
    from musicsage.usecases.graph_unplaced import other_settings_note
    from musicsage.usecases.graph_vectors import damaged_note
    from musicsage.usecases.models import current_model_problem

    if current_model_problem(ctx):
        return no_vector_note("graph", what)
    told = damaged_note(ctx, "graph", track_ids, what) or \
        other_settings_note(ctx, what, track_ids)
    if told:
        return told
    has = "has a" if what.startswith("no ") else "has no"
    elsewhere = _graph_audio_elsewhere(ctx)
    if elsewhere is not None:  # ``embed`` places only tracks with the graph's audio vectors
        graph_id, graph_audio, library = elsewhere
        start = (f"{what} {has} graph embedding: graph model {graph_id} places new tracks by "
                 f"their {graph_audio} vectors, and the library now uses {library}")
        if track_ids and not _any_vector(ctx, library, track_ids):
            return (f"{start}: compute its {library} vectors, then train again "
                    f"({EMBED_HINT}; then {TRAIN_HINT})")
        return f"{start}: train again on the {library} vectors ({TRAIN_HINT})"
    return (f"{what} {has} graph embedding yet: the graph model places new tracks without "
            f"retraining ({EMBED_HINT})")


def default_audio_model(ctx: "AppContext") -> str:
    """The family ``embed`` uses without ``--model``: that of the library's audio model when
    it has one (:func:`~musicsage.audio.selection.library_model_id`), else the first of the
    registry's preference order whose weights are on disk (never downloads;
    :func:`~musicsage.audio.selection.choice_without_model`)."""
    from musicsage.audio.selection import choice_without_model

    return choice_without_model(ctx).family


def current_audio_model_id(ctx: "AppContext") -> str | None:
    """The audio model id whose vectors the app shows (None when nothing is embedded)."""
    from musicsage.audio.selection import current_model_id

    return current_model_id(ctx)


def audio_embeddings(ctx: "AppContext", model_id: str | None = None, *,
                     present_only: bool = True, model_version: str | None = None
                     ) -> TrackVectors | None:
    """The vectors of one audio model (default: the current one), or None if there are none.

    Missing tracks are left out unless ``present_only=False``. Of ``model_version``, else the
    library's (:func:`~musicsage.library.queries.get_embeddings`).
    """
    from musicsage.library.db import connect
    from musicsage.library.queries import get_embeddings

    model_id = model_id or current_audio_model_id(ctx)
    if model_id is None:
        return None
    ids, matrix = get_embeddings(connect(ctx), model_id, present_only=present_only,
                                 model_version=model_version)
    return TrackVectors(ids, matrix) if len(ids) else None
