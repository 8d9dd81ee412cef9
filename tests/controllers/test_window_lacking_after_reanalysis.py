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
import sqlite3
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
    assert (f"{again} tracks still to be analysed again (the audio map leaves out {left_out} "
            "analysed with other settings than the rest): Analyse ▸ Compute embeddings "
            "finishes the re-analysis") in said, said


@pytest.mark.parametrize("limit", [2, 8])
def test_tracks_without_a_vector_are_still_said_to_lack_one(library, make_app, limit):
    """With one track lacking a vector the line said only that one, though the map left out
    the other version's tracks too: 1 of 5 at ``--limit 8`` (task fix2_window)."""
    _cut_short_reanalysis(library, limit)
    forget_vectors(library, 1)
    said, snap, shown = _opened(library, make_app)
    left_out = snap.embedded - shown  # (every track present: the map's are of the embedded)
    assert left_out > 0, (snap.embedded, shown)
    assert ("1 track still lacks an audio embedding, so the map leaves it out: Analyse ▸ "
            f"Compute embeddings; the audio map also leaves out {left_out} analysed with other "
            "settings") in said, said


def test_a_graph_map_is_not_said_to_leave_tracks_out(two_models, make_app):
    """The map of the graph space holds every track: "the map leaves out 2 analysed with
    other settings" was said over it (task fix2_window); the audio map, which a user may
    pick, leaves them out, and the line says so of it."""
    ctx, _first, _second = two_models
    _cut_short_reanalysis(ctx)
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    said, snap = " | ".join(text for _level, text in app.notifications), app.library.snapshot
    assert app.map.space == "graph", app.map.space
    assert len(app.map.points.track_ids) == snap.stats.tracks.present
    assert "the map leaves out" not in said, said
    assert (f"{snap.stats.tracks.needs_analysis} tracks still to be analysed again (the audio "
            "map leaves out 2 analysed with other settings than the rest): Analyse ▸ Compute "
            "embeddings finishes the re-analysis") in said, said


def _other_version(ctx, track_ids: list[int] | None = None, *, status: str = "") -> list[int]:
    """Give ``track_ids`` (default: the first two with a vector) a vector of another analysis
    version, their tracks not marked as to be analysed again; ``status``: their tracks' too."""
    db = sqlite3.connect(ctx.data_dir / "library.sqlite3")
    try:
        ids = track_ids or [r[0] for r in db.execute(
            "SELECT track_id FROM audio_embeddings ORDER BY track_id LIMIT 2")]
        db.executemany("UPDATE audio_embeddings SET model_version = model_version || '-other'"
                       " WHERE track_id = ?", [(i,) for i in ids])
        if status:
            db.executemany("UPDATE tracks SET status = ? WHERE id = ?", [(status, i) for i in ids])
        db.commit()
    finally:
        db.close()
    return ids


def test_tracks_of_another_version_not_marked_are_said_left_out(library, make_app,
                                                              monkeypatch):
    """Where no track counts as still to be analysed (the audio model's weights absent, its
    settings unknown: ``needs_analysis`` falls back to the tracks' flags, 0) the map left 2
    tracks out without a word (task fix2_window)."""
    from musicsage.audio import selection

    monkeypatch.setattr(selection, "pending_analysis", lambda _ctx: None)  # (cannot be told)
    _other_version(library)
    said, snap, shown = _opened(library, make_app)
    assert snap.stats.tracks.needs_analysis == 0 and shown == snap.embedded - 2, shown
    assert ("The audio map leaves out 2 tracks analysed with other settings than the rest: "
            "Analyse ▸ Compute embeddings finishes the re-analysis") in said, said


def test_missing_tracks_left_out_are_counted(library, make_app):
    """The map holds missing tracks too: of 3 left out, 1 missing, the line said 2 (task
    fix2_window)."""
    ids = _other_version(library)
    _other_version(library, [max(ids) + 1], status="missing")
    said, snap, shown = _opened(library, make_app)
    assert snap.stats.tracks.missing == 1 and shown == snap.embedded + 1 - 3, shown
    assert "(the audio map leaves out 3 analysed with other settings than the rest)" in said, said


def test_the_tracks_left_out_are_counted_once_per_library(library, make_app, monkeypatch):
    """The count (a query of every vector) ran at every snapshot read, though said once per
    library (task fix2_window)."""
    from musicsage.library import queries

    _other_version(library)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    counted = []
    real = queries.other_version_tracks
    monkeypatch.setattr(queries, "other_version_tracks",
                        lambda *a, **k: counted.append(1) or real(*a, **k))
    app.library.reload()
    runner.drain()
    assert app.library.snapshot_request == 2 and not counted, counted


def test_tracks_of_another_version_all_missing_get_no_advice(library, make_app, monkeypatch):
    """A re-analysis finished while a drive was unplugged leaves its tracks of the old version,
    missing: "Compute embeddings finishes the re-analysis" was said at every start though
    embed has nothing to do for them (they are analysed again once their files are back)."""
    from musicsage.audio import selection

    monkeypatch.setattr(selection, "pending_analysis", lambda _ctx: None)
    _other_version(library, status="missing")
    said, snap, _shown = _opened(library, make_app)
    assert snap.stats.tracks.missing == 2, snap.stats.tracks
    assert "leaves out" not in said and "re-analysis" not in said, said
