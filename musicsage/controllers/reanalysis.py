"""What the status line says, as a library is first shown, of its tracks the map leaves out:
those lacking an audio vector (:func:`~musicsage.controllers.summaries.lacking_note`) and,
after a re-analysis cut short, those still to be analysed again. The map then shows one
analysis version of the audio model's vectors, the one most tracks have
(:func:`~musicsage.library.queries.shown_version`): the tracks of the other version are
left out of it, whichever side of the half the run stopped at, and the line says how many
(it said only how many were still to be analysed again)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, NamedTuple

from musicsage.controllers import wording
from musicsage.controllers.summaries import lacking_note
from musicsage.text import counted, noun
from musicsage.usecases.left_out_notes import NO_FILE_WORDS, reanalysis_tail

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.usecases.snapshot import LibrarySnapshot
    from musicsage.usecases.spaces import SearchSpaces


class LeftOut(NamedTuple):
    """The tracks whose vector is of another version than the one the audio map shows."""
    tracks: int = 0  # missing ones too: the map holds them
    present: int = 0  # of them, those Compute embeddings can analyse again (files here)
    no_file: int = 0
    """Of them, those imported from a dataset dir without an audio file: no embed analyses
    them again (counted as present, they were told "Compute embeddings finishes the
    re-analysis", which left them as they were)."""
    shown_old: bool = False
    """The map shows a version embed no longer makes: an embed puts all of them back
    (:func:`~musicsage.usecases.left_out_notes.shown_not_current`)."""


def read_with_left_out(load: Callable[..., "LibrarySnapshot"], ctx: "AppContext", *,
                       spaces: "SearchSpaces | None" = None,
                       count: bool = True) -> tuple["LibrarySnapshot", LeftOut]:
    """The window's snapshot, ``load(ctx, spaces=spaces)``, and its :class:`LeftOut`, read
    with it (off the window's thread: a query of every vector). ``count`` False (the
    library's line was said already): none, the query not run — it ran for every snapshot
    read, its answer used once per library."""
    from musicsage.library.db import connect
    from musicsage.library.queries import other_version_tracks, shown_version
    from musicsage.usecases.left_out_notes import shown_not_current

    snap = load(ctx, spaces=spaces)
    if snap.audio_model is None or not count:
        return snap, LeftOut()
    version = shown_version(connect(ctx), snap.audio_model)
    others = other_version_tracks(connect(ctx), snap.audio_model, version=version)
    no_file = {t for t in others if t in snap.by_id and not snap.by_id[t].has_file}
    old = bool(others) and shown_not_current(ctx, snap.audio_model, version)
    return snap, LeftOut(len(others), sum(1 for t, here in others.items()
                                          if here and t not in no_file), len(no_file), old)


def lacking_line(snap: "LibrarySnapshot", left_out: LeftOut = LeftOut()) -> str:
    """The line for the tracks of ``snap`` the map leaves out, "" for none: those without a
    vector (a run closed half-way) lack one; those with a vector of other settings than the
    library's (a re-analysis cut short) have one, and are still to be analysed again — of
    them and of the re-analysed, ``left_out`` (the version not shown) are not on the audio
    map (whichever map is shown: the graph space's leaves none out, a user may pick Audio).
    Said with the lacking ones too, and where no track is counted as still to be analysed
    (the model's weights absent: its settings unknown) while files of them are here — tracks
    of the other version all missing are analysed again once they are back (and are named in
    no form of the line: beside a lacking track, and beside tracks still to be analysed again,
    they were). Tracks imported from a dataset dir without a file are told they have none to
    analyse again (:data:`~musicsage.usecases.spaces.NO_FILE_WORDS`), not to Compute
    embeddings; the end of the line is :func:`~musicsage.usecases.left_out_notes.
    reanalysis_tail`'s, as beside the lists: the advice only where some of them can be
    analysed now (it said "2 tracks … stay off it" of 2 and a missing file, while the line
    beside the lists sent all 3 to embed)."""
    tracks = snap.stats.tracks  # a track re-analysed (or whose file changed) has a vector,
    none = min(tracks.needs_analysis, max(0, tracks.present - snap.embedded))  # on the map
    lacking = lacking_note(replace(snap, stats=replace(snap.stats, tracks=replace(
        tracks, needs_analysis=none))))
    told = left_out.present or left_out.no_file or left_out.shown_old  # missing alone: once back
    again = tracks.needs_analysis - none
    hint = wording.WINDOW_HINTS[wording.REANALYSIS_HINT]
    n, no_file = left_out.tracks, left_out.no_file
    tail = reanalysis_tail(hint, n, no_file, n - left_out.present - no_file,
                           none_again=f"{NO_FILE_WORDS}, {noun(n, 'it stays', 'they stay')}"
                                      " off it",  # what spaces.py's line says of them
                           shown_old=left_out.shown_old or again > 0)
    if lacking:  # the same tail: it said "(2 imported …)" of its own, no missing file named
        also = f"; the audio map also leaves out {n} analysed with other settings: {tail}"
        return lacking + (also if told else "")
    if again <= 0:  # all missing: nothing said, they are redone once back
        return (f"The audio map leaves out {counted(n, 'track')} analysed with other settings "
                f"than the rest: {tail}") if told else ""
    map_part = (f" (the audio map leaves out {left_out.tracks} analysed with other settings "
                "than the rest)" if told else "")
    return f"{counted(again, 'track')} still to be analysed again{map_part}: " + \
        (tail if told else hint)
