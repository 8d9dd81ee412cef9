"""The library summary's audio model line: what follows the model's name in brackets ("49 of
91 embedded", "…, computing…" while the window's run goes, the vectors kept for tracks whose
files are all missing), from the snapshot on screen and the window's embedding run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.library.browse import TrackCounts
    from musicsage.usecases.snapshot import LibrarySnapshot


@dataclass
class EmbedRun:
    """The window's embedding run, as its progress tells it."""

    model_id: str | None = None
    """None until its first report (the audio model is loading)."""
    total: int = 0
    """Tracks it analyses (those lacking a vector when it started)."""
    embedded: int = 0
    """Vectors it has stored so far."""
    going: bool = True
    """False once it ended, until the library is read again (the snapshot on screen, read
    before it, would say "49 of 91" again for a moment)."""


def audio_summary(snap: "LibrarySnapshot", run: EmbedRun | None = None
                  ) -> tuple[str | None, str]:
    """The library summary's audio model and what follows it: "49 of 91 embedded" while
    present tracks lack a vector, "…, computing…" while the window computes them. It said
    "Audio model: none yet" at 50 % of the first run, and "(49 embedded)" of a run closed
    half-way, with nothing about the other 42. With every track missing, the vectors they
    keep (:func:`kept_of_missing`), as Compute embeddings counts them."""
    present = snap.stats.tracks.present
    if run is not None and run.going and not (run.model_id and run.total):
        return run.model_id or snap.audio_model, "computing…"  # loading, or waiting its turn
    if run is not None and run.model_id and run.total:
        lacking = max(0, run.total - run.embedded)
        done = f"{max(0, present - lacking):,} of {present:,} embedded"
        return run.model_id, done + (", computing…" if run.going else "")
    if snap.audio_model is None:
        return None, ""
    lacking, failed = snap.stats.tracks.needs_analysis, failed_parts(snap.stats.tracks)
    if lacking and present:  # files that failed named apart, as `stats` does: else "3 of 4"
        return snap.audio_model, ", ".join(
            [f"{max(0, present - lacking):,} of {present:,} embedded", *failed])
    if not present and (kept := kept_of_missing(snap)):
        return snap.audio_model, kept
    return snap.audio_model, f"{snap.embedded:,} embedded"


def failed_parts(tracks: "TrackCounts") -> list[str]:
    """What the window says of the tracks whose analysis failed (``tracks.unreadable``):
    those that could not be read, and those only too short to analyse (a click: read fine,
    given no vector; ``too_short``) apart. "1 could not be read" of a click of 200 samples
    read as a damaged file to replace."""
    short = tracks.too_short
    damaged = tracks.unreadable - short
    return ([f"{damaged:,} could not be read"] if damaged > 0 else []) + (
        [f"{short:,} too short to analyse"] if short else [])


def kept_of_missing(snap: "LibrarySnapshot") -> str:
    """The vectors of the audio model shown that missing tracks keep, as the summary says
    them ("12 kept, their files missing"; "" with none). With every track missing it said
    "0 embedded" while Compute embeddings answered that every track already has its
    embeddings: the kept vectors were counted by one and not the other."""
    stored = snap.stats.embeddings.get(snap.audio_model, 0) if snap.audio_model else 0
    kept = max(0, stored - snap.embedded)  # `embedded` counts those of present tracks
    if not kept:
        return ""
    return f"{kept:,} kept, {'its file' if kept == 1 else 'their files'} missing"
