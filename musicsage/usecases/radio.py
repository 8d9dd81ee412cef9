"""Radio: a queue of graph neighbours that keeps playing (``radio``, the window's "Play
similar" and its queue)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Sequence

from musicsage.errors import MusicsageError
from musicsage.search.types import RadioResult
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.spaces import SearchSpaces

if TYPE_CHECKING:
    from musicsage.context import AppContext


class NoRadio(MusicsageError):
    """The seed cannot start a radio: it has no vector in a space to search (``reason``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"no radio: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class RadioRefill(RadioResult):
    """:func:`radio_more`'s refill, and why the radio's own seed did not seed it (another of
    the queue's tracks did): the queue's note said only that it "can lead it no more", and
    guessed from the window's snapshot, which may not have seen it leave, whether it had."""

    seed_left: bool = False
    """The radio's own seed is no longer in the library (its music folder removed)."""
    seed_reason: str = ""
    """Why the radio's own seed, still in the library, cannot start a radio (:class:`NoRadio`'s
    reason: it has no vector to search from); "" when it left or seeded this refill."""


@runs(Mode.LOOKUP, progress=False, cancel=False)
def radio_tracks(ctx: "AppContext", query: int | str, length: int = 20, mode: str = "close", *,
                 after: Sequence[int] = (), variety: bool = False,
                 spaces: SearchSpaces | None = None) -> RadioResult:
    """``length`` tracks to play after the seed ``query`` (a QUERY, see
    :func:`~musicsage.usecases.search.resolve_query`) — or after ``after``, a queue being
    extended — picked among graph neighbours (audio ones, with a note, while there is no
    graph model) by ``mode`` (close | drift; :mod:`musicsage.search.radio`), one per artist
    with ``variety``. No repeats, no copies of a queued song, no missing files. A seed that
    cannot start a radio raises :class:`NoRadio`."""
    from musicsage.library.db import connect
    from musicsage.library.queries import track_summaries
    from musicsage.search.radio import radio_rows
    from musicsage.search.scoring import too_few_to_score
    from musicsage.search.similar import TOO_FEW_NOTE
    from musicsage.usecases.embedding import unplaced_note
    from musicsage.usecases.search import resolve_query

    if int(length) < 1:
        raise MusicsageError("the length must be at least 1")
    seed = resolve_query(ctx, query)
    spaces = spaces if spaces is not None else SearchSpaces(ctx)
    note = ""
    name, found = "graph", spaces.get("graph")
    if isinstance(found, str) or found.row_of(seed) is None:
        note = (found if isinstance(found, str)
                else unplaced_note(ctx, "the seed track", [seed]))
        note = f"the radio follows audio neighbours: {note}"
        name, found = "audio", spaces.get("audio")
        if isinstance(found, str):
            raise NoRadio(found)
        if found.row_of(seed) is None:
            raise NoRadio(no_audio_neighbours(spaces, seed, ctx))
    conn = connect(ctx)
    rows, left_out = radio_rows(conn, found, seed, length=int(length), mode=mode, after=after,
                                variety=variety)
    if rows and too_few_to_score(found):  # queued all the same, but by no measure of sound:
        note = f"{note}; the queue is in no order of sound: {TOO_FEW_NOTE}"  # said, as similar
    start = len([t for t in after if int(t) != seed])
    for i, row in enumerate(rows, start=start + 1):
        row["position"] = i
        row.pop("rank", None)
    return RadioResult(seed=track_summaries(conn, [seed])[seed], tracks=rows, mode=mode,
                       space=name, model=found.model_id, note=note,
                       same_artist_left_out=left_out)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def radio_start(ctx: "AppContext", seed: int, length: int = 20, mode: str = "close", *,
                variety: bool = False, spaces: SearchSpaces | None = None) -> RadioResult | str:
    """:func:`radio_tracks` for the window's "Play similar": a seed that cannot start a radio
    gives its reason (a ``str``) instead of failing, so that the window keeps the queue it
    has and says why in its own one line (not as a failed task, "radio: no radio: …")."""
    try:
        return radio_tracks(ctx, seed, length, mode, variety=variety, spaces=spaces)
    except NoRadio as e:
        return e.reason


@runs(Mode.LOOKUP, progress=False, cancel=False)
def radio_more(ctx: "AppContext", seeds: Sequence[int], length: int = 20, mode: str = "close",
               *, after: Sequence[int] = (), variety: bool = False,
               spaces: SearchSpaces | None = None) -> RadioRefill | str:
    """A radio's refill (the window's queue running low): :func:`radio_tracks` from the first
    of ``seeds`` still in the library — the radio's own seed, else, once it left the library
    (its music folder removed), the next one the queue names — so the radio keeps going: the
    refill asked for the forgotten seed and failed, "radio: no track with id 1", again at each
    next track. A seed that cannot start a radio (no vector) hands over to the next one: the
    radio ended though later tracks could seed it. The result's ``seed`` is the one used, and
    it says why the radio's own seed (the first of ``seeds``) was passed over. A refill that
    cannot go on gives why (a ``str``: no seed left, or why the first one still in the library
    cannot start a radio, none of the others could either), and the radio ends."""
    from musicsage.library.db import connect
    from musicsage.library.queries import track_exists

    conn = connect(ctx)
    spaces = spaces if spaces is not None else SearchSpaces(ctx)  # built once, not per seed
    own = int(seeds[0]) if seeds else None
    reasons: dict[int, str] = {}
    for seed in (int(s) for s in dict.fromkeys(seeds) if track_exists(conn, int(s))):
        try:
            found = radio_tracks(ctx, seed, length, mode, after=after, variety=variety,
                                 spaces=spaces)
        except NoRadio as e:
            reasons[seed] = e.reason
            continue
        passed_over = own is not None and seed != own
        return RadioRefill(**{f.name: getattr(found, f.name) for f in fields(found)},
                           seed_left=passed_over and own not in reasons,
                           seed_reason=reasons.get(own, "") if passed_over else "")
    return next(iter(reasons.values()), "none of its tracks is in the library any more")


def no_audio_neighbours(spaces: SearchSpaces, seed: int, ctx: "AppContext") -> str:
    """Why the seed has no place in the audio space, as ``similar`` says it of a query: no
    vector, its file unreadable or its analysis failed (advice to run ``musicsage embed``,
    which can only fail again, was given), or one of another analysis version than the space
    searches (a re-analysis under way or cut short), which ``musicsage embed`` redoes (not
    a seed imported from a dataset dir without a file, nor a missing one until it is back:
    :func:`~musicsage.usecases.left_out_notes.reanalysis_said`). A
    damaged vector is named as ``similar`` names it, whether or not an embed mends it
    (:func:`~musicsage.usecases.graph_vectors.damaged_note`,
    :func:`~musicsage.usecases.left_out_notes.damaged_vector_note`); so is a seed without a
    vector that embed cannot analyse now (:func:`~musicsage.usecases.left_out_notes.
    no_file_to_analyse`)."""
    from musicsage.library.db import connect
    from musicsage.library.queries import track_summaries
    from musicsage.search.similar import failed_note, no_vector_note, other_version_note
    from musicsage.usecases.graph_vectors import damaged_note
    from musicsage.usecases.left_out_notes import (damaged_vector_note, no_file_to_analyse,
                                                   reanalysis_said)

    conn = connect(ctx)
    row = track_summaries(conn, [seed])[seed]
    left_out = spaces.left_out_ids("audio")
    if seed in left_out:  # a seed without a file, or a missing one: no embed redoes it now
        return reanalysis_said(other_version_note("audio", len(left_out), "the seed track"),
                               [row], shown_old=spaces.shown_old("audio"))
    damaged = (damaged_note(ctx, "audio", [seed], "the seed track")
               or damaged_vector_note(spaces, "audio", [seed], "the seed track"))
    if damaged:
        return damaged
    audio = spaces.get("audio")
    failed = failed_note(conn, row, getattr(audio, "model_id", None), "the seed track")
    return (failed or no_file_to_analyse(row, "the seed track")
            or no_vector_note("audio", "the seed track"))
