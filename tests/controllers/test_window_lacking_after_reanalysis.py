"""The status line's note on opening a library whose re-analysis was cut short (task "window").

``embed --max-seconds 3 --limit 2`` on a library analysed with other settings re-analyses two
tracks and leaves the rest with the vectors they had. Every track has a vector, and the map
shows them; the window still said "10 tracks still lack an audio embedding, so the map leaves
them out". Now it says they are still to be analysed again, and what finishes it; tracks with
no vector at all are still said to lack one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from music_support import forget_vectors

ROOT = Path(__file__).resolve().parents[2]


def _cut_short_reanalysis(ctx) -> None:
    """Re-analyse two tracks with other settings than the library's, as a run cut short."""
    out = subprocess.run([sys.executable, "-m", "musicsage", "embed", "--data-dir",
                          str(ctx.data_dir), "--model", "spectral", "--max-seconds", "3",
                          "--limit", "2"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert "re-analysing" in out.stderr + out.stdout


def _opened(ctx, make_app) -> tuple[str, object]:
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    notes = [text for _level, text in app.notifications]
    return " | ".join(notes), app.library.snapshot


def test_a_cut_short_reanalysis_is_not_said_to_lack_vectors(library, make_app):
    _cut_short_reanalysis(library)
    said, snap = _opened(library, make_app)
    again = snap.stats.tracks.needs_analysis
    assert again > 0 and snap.embedded == snap.stats.tracks.present  # each has a vector
    assert "lack" not in said, said
    assert (f"{again} tracks still to be analysed again: Analyse ▸ Compute embeddings "
            "finishes the re-analysis") in said, said


def test_tracks_without_a_vector_are_still_said_to_lack_one(library, make_app):
    _cut_short_reanalysis(library)
    forget_vectors(library, 1)
    said, _snap = _opened(library, make_app)
    assert "1 track still lacks an audio embedding, so the map leaves it out" in said, said
