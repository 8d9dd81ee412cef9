"""A dataset dir may name tracks (without an audio file) and playlists another import stored:
this library's export, imported back, stores nothing new (its ``source`` cells name the
tracks). ``forget A`` took them all the same — tracks, vectors, playlists — from a dir still
imported. Now what another remembered dir names stays, passed to it: forgetting A leaves
exactly what importing the export alone makes, and forgetting both removes everything."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from musicsage import cli
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library import db
from musicsage.usecases.library import (export_dataset, forget_folder, import_dataset,
                                        library_stats)


def write_dir(path: Path) -> Path:
    """Four tracks without an audio file, two named playlists."""
    path.mkdir()
    (path / "tracks.csv").write_text("track_id,title\nt0,zero\nt1,one\nt2,two\nt3,three\n")
    (path / "memberships.csv").write_text("playlist_id,track_id\np,t0\np,t1\nr,t2\nr,t3\n")
    (path / "playlists.csv").write_text("playlist_id,name\np,Road\nr,Rain\n")
    np.save(path / "features.npy", np.arange(12, dtype=np.float32).reshape(4, 3))
    return path


def snapshot(ctx) -> tuple[list, list]:
    """What the library holds: each track (id, stored path, title, vectors) and each
    playlist (name, the stored paths of its entries' tracks)."""
    conn = db.connect(ctx)
    tracks = sorted(tuple(r) for r in conn.execute(
        "SELECT t.id, t.path, t.title, e.model_id, e.vector FROM tracks t"
        " LEFT JOIN audio_embeddings e ON e.track_id = t.id"))
    playlists = sorted((p["name"], [r[0] for r in conn.execute(
        "SELECT t.path FROM playlist_entries e LEFT JOIN tracks t ON t.id = e.track_id"
        " WHERE e.playlist_id = ? ORDER BY e.position", (p["id"],))])
        for p in conn.execute("SELECT id, name FROM playlists").fetchall())
    return tracks, playlists


@pytest.fixture
def both(ctx, tmp_path) -> tuple[Path, Path]:
    """Dir A imported, the library exported to E, E imported back (nothing new stored)."""
    a = write_dir(tmp_path / "A")
    import_dataset(ctx, a)
    export_dataset(ctx, tmp_path / "E")
    rep = import_dataset(ctx, tmp_path / "E")
    assert (rep.new_tracks, rep.new_playlists, rep.known_playlists) == (0, 0, 2)
    return a, tmp_path / "E"


def test_forgetting_a_leaves_what_importing_the_export_alone_makes(ctx, both, tmp_path):
    a, e = both
    alone = AppContext.create(tmp_path / "alone")
    import_dataset(alone, e)
    rep = forget_folder(ctx, str(a))
    assert snapshot(ctx) == snapshot(alone)
    assert (rep.tracks, rep.playlists, rep.kept, rep.kept_playlists) == (0, 0, 4, 2)
    assert rep.summary().endswith("; 4 tracks and 2 playlists kept: another imported dataset "
                                  "dir names them")
    tracks, playlists = snapshot(ctx)
    assert len(tracks) == 4 and all(t[1].startswith(f"dataset:{e}#") for t in tracks)
    assert [len(paths) for _, paths in playlists] == [2, 2] and None not in playlists[0][1]
    # then forgetting E removes everything either stored
    rep = forget_folder(ctx, str(e))
    assert (rep.tracks, rep.playlists, rep.kept) == (4, 2, 0)
    assert snapshot(ctx) == ([], [])


def test_forgetting_the_export_first_keeps_all_then_a_removes_all(ctx, both, capsys):
    a, e = both
    before = snapshot(ctx)
    assert cli.main(["forget", str(e), "--json", "--data-dir", str(ctx.data_dir)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "dataset": str(e), "playlists": 0, "tracks": 0, "kept": 4, "kept_playlists": 2}
    assert snapshot(ctx) == before
    rep = forget_folder(ctx, str(a))
    assert (rep.tracks, rep.playlists, rep.kept) == (4, 2, 0)
    assert library_stats(ctx).tracks.total == 0 and snapshot(ctx) == ([], [])
    for gone in (a, e):
        with pytest.raises(MusicsageError, match="holds nothing an import of it stored"):
            forget_folder(ctx, str(gone))


def test_a_dir_imported_alongside_another_keeps_its_own_tracks_only(ctx, tmp_path):
    """Two dirs sharing track ids store tracks each: forgetting one takes only its own."""
    a, b = write_dir(tmp_path / "A"), write_dir(tmp_path / "B")
    import_dataset(ctx, a)
    import_dataset(ctx, b)
    alone = AppContext.create(tmp_path / "alone")
    import_dataset(alone, b)
    forget_folder(ctx, str(a))
    assert [t[1:] for t in snapshot(ctx)[0]] == [t[1:] for t in snapshot(alone)[0]]
    assert snapshot(ctx)[1] == snapshot(alone)[1]


def as_older_library(ctx) -> None:
    """The library as a version before migration 3 left it (no record of names)."""
    db.connect(ctx).close()
    with sqlite3.connect(ctx.db_path) as conn:
        conn.execute("DROP TABLE dataset_tracks")
        conn.execute("DROP TABLE dataset_playlists")
        conn.execute("DELETE FROM schema_migrations WHERE version = 3")
    conn.close()


def test_an_older_library_migrates_losing_nothing_and_an_import_again_records_names(
        ctx, both):
    """Migration 3 creates the record empty (a '#' may be part of a dir's name or of an id,
    so the stored paths cannot say which dir named what): nothing changes on opening, and
    importing the export again — as docs/dataset-dir.md says — records what it names."""
    a, e = both
    before = snapshot(ctx)
    as_older_library(ctx)
    assert snapshot(ctx) == before  # migrated on opening, nothing lost
    conn = db.connect(ctx)
    assert conn.execute("SELECT COUNT(*) FROM dataset_tracks").fetchone()[0] == 0
    import_dataset(ctx, e)
    rep = forget_folder(ctx, str(a))
    assert (rep.tracks, rep.playlists, rep.kept, rep.kept_playlists) == (0, 0, 4, 2)
    assert forget_folder(ctx, str(e)).tracks == 4 and snapshot(ctx) == ([], [])


def test_ids_with_a_hash_sign_are_kept_apart_from_the_dir_name(ctx, tmp_path):
    """Ids may hold any text: 'x#1' under dir A is not the id '1' of a dir 'A#x'."""
    a = write_dir(tmp_path / "A")
    (a / "tracks.csv").write_text("track_id,title\nx#0,zero\nx#1,one\nx#2,two\nx#3,three\n")
    (a / "memberships.csv").write_text(
        "playlist_id,track_id\nmix#p,x#0\nmix#p,x#1\nmix#r,x#2\nmix#r,x#3\n")
    (a / "playlists.csv").write_text("playlist_id,name\nmix#p,Road\nmix#r,Rain\n")
    import_dataset(ctx, a)
    as_older_library(ctx)
    import_dataset(ctx, a)
    rep = forget_folder(ctx, str(a))
    assert (rep.tracks, rep.kept) == (4, 0) and snapshot(ctx) == ([], [])


def test_an_older_library_forgets_a_dir_nothing_else_names(ctx, tmp_path):
    a, b = write_dir(tmp_path / "A"), write_dir(tmp_path / "B")
    import_dataset(ctx, a)
    import_dataset(ctx, b)
    as_older_library(ctx)
    rep = forget_folder(ctx, str(a))
    assert (rep.tracks, rep.playlists, rep.kept) == (4, 2, 0)
    assert len(snapshot(ctx)[0]) == 4
