"""Choosing a 30,000-track playlist the first time held the window: each track's path was
looked at 3 times (why it cannot play, whether it can, its shown path) and each key of a
track imported from a dataset dir split anew to find its dir. Now once a track, and once a
dataset dir; the rows read as before: a file gone since the scan still "missing", a dataset
track "no file" with its dir named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from musicsage.controllers.playlist_tracks import playlist_tracks
from musicsage.library import paths as P
from musicsage.usecases.library import import_dataset


@pytest.fixture
def app(library, make_app, tmp_path):
    """The scanned library (12 tracks with files) and a dataset dir's 3 tracks, playlist
    "set" holding them."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\nt0,A,X\nt1,B,X\nt2,C,Y\n",
                                  encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\nset,t0\nset,t1\nset,t2\n",
                                       encoding="utf-8")
    import_dataset(library, d)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.dataset_dir = d
    return app


def _counted(monkeypatch, name: str) -> list[str]:
    calls: list[str] = []
    real = getattr(P, name)
    monkeypatch.setattr(P, name, lambda stored: calls.append(stored) or real(stored))
    return calls


def _playlist(snap, name: str) -> int:
    return next(p.id for p in snap.playlists if snap.playlist_name(p) == name)


def test_a_dataset_playlists_tracks_each_looked_at_once(app, monkeypatch):
    snap = app.library.snapshot
    pid = _playlist(snap, "set")
    looks, splits = _counted(monkeypatch, "is_file_path"), _counted(monkeypatch, "dataset_source")
    view = playlist_tracks(snap, pid)
    assert [r.missing for r in view.rows] == ["no file"] * 3
    shown = f"no audio file (imported from {P.display(str(app.dataset_dir))})"
    assert [r.path for r in view.rows] == [shown] * 3
    tracks = [snap.by_id[r.track_id].path for r in view.rows]
    # (the words of the dir made once, from the first track's key)
    assert sorted(t for t in looks if t in tracks) == sorted(tracks + [tracks[0]]), \
        "each track's path looked at once"
    assert len(splits) == 1, "one dataset dir: its key split once"


def test_a_files_playlist_looks_once_a_track_and_a_file_gone_is_still_missing(app,
                                                                             monkeypatch):
    snap = app.library.snapshot
    pid = next(p.id for p in snap.playlists if P.is_file_path(p.path)
               and any(q == p.id for q, _t in snap.memberships))
    looks = _counted(monkeypatch, "is_file_path")
    view = playlist_tracks(snap, pid)
    tracks = [snap.by_id[r.track_id].path for r in view.rows]
    assert sorted(t for t in looks if t in tracks) == sorted(tracks), \
        "each track's path looked at once"
    assert all(r.missing == "" for r in view.rows)
    assert [r.path for r in view.rows] == [P.display(snap.by_id[r.track_id].path)
                                           for r in view.rows]

    gone = view.rows[0].track_id
    Path(snap.by_id[gone].fs_path).unlink()  # deleted since, and the scan saw it
    with sqlite3.connect(Path(app.ctx.data_dir) / "library.sqlite3") as db:
        db.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (gone,))
    db.close()
    app.library.reload()
    app.runner.drain()
    again = playlist_tracks(app.library.snapshot, pid)
    assert [r.missing for r in again.rows] == ["missing"] + [""] * (len(again.rows) - 1)
    assert again.heading.endswith("\n1 missing")
