"""The status line's note on opening a library whose re-analysis was cut short (task "window").

``embed --max-seconds 3 --limit 2`` on a library analysed with other settings re-analyses two
tracks and leaves the rest with the vectors they had. Every track has a vector; the window
still said "10 tracks still lack an audio embedding, so the map leaves
them out". Now it says they are still to be analysed again, and what finishes it; tracks with
no vector at all are still said to lack one. The map shows one analysis version (the one most
tracks have): the tracks of the other are left out of it, and the line says how many (it said
nothing of them, whichever side of the half the run stopped at)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from music_support import forget_vectors

ROOT = Path(__file__).resolve().parents[2]


def _cut_short_reanalysis(ctx, limit: int = 2) -> None:
    """Re-analyse ``limit`` tracks with other settings than the library's, as a run cut
    short."""
    out = subprocess.run([sys.executable, "-m", "musicsage", "embed", "--data-dir",
                          str(ctx.data_dir), "--model", "spectral", "--max-seconds", "3",
                          "--limit", str(limit)], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert "re-analysing" in out.stderr + out.stdout


def _opened(ctx, make_app) -> tuple[str, object, int]:
    """What the status line said as the library opened, its snapshot, the map's points."""
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    notes = [text for _level, text in app.notifications]
    return " | ".join(notes), app.library.snapshot, len(app.map.points.track_ids)


@pytest.mark.parametrize("limit", [2, 8])
def test_a_cut_short_reanalysis_says_what_the_map_leaves_out(library, make_app, limit):
    _cut_short_reanalysis(library, limit)
    said, snap, shown = _opened(library, make_app)
    present, again = snap.stats.tracks.present, snap.stats.tracks.needs_analysis
    assert again > 0 and snap.embedded == present  # each has a vector
    # the map shows the version most tracks have: of 12, the 2 re-analysed are left out, or
    # the 4 not re-analysed yet where the run stopped at 8
    left_out = min(limit, present - limit)
    assert left_out > 0, present
    assert shown == present - left_out, (shown, present)
    assert "lack" not in said, said
    assert (f"{again} tracks still to be analysed again (the map leaves out {left_out} "
            "analysed with other settings than the rest): Analyse ▸ Compute embeddings "
            "finishes the re-analysis") in said, said


def test_tracks_without_a_vector_are_still_said_to_lack_one(library, make_app):
    _cut_short_reanalysis(library)
    forget_vectors(library, 1)
    said, _snap, _shown = _opened(library, make_app)
    assert "1 track still lacks an audio embedding, so the map leaves it out" in said, said
