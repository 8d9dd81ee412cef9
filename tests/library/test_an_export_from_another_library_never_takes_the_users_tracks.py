"""A friend's export imported into the user's library, one of its files the same rip the user
has (same content), in a playlist of the user's own: the friend's tracks are missing here (their
music is on the friend's machine). ``forget --missing`` moved the friend's track onto the
user's file: the user's track left the library (its id retired), its vector gave way to the
friend's, and the user's playlist now named the friend's track. The user's track stays the
user's; only the friend's missing tracks go."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import (export_dataset, forget_missing_tracks, import_dataset,
                                        scan_library)


def _friends_export(tmp_path: Path) -> tuple[Path, Path]:
    """A friend's library of two files in a playlist, with vectors, exported; their music
    folder then gone from this machine. Returns the export and a copy of the friend's
    ``a.flac`` (the rip the user has too)."""
    music = tmp_path / "friend music"
    write_audio(music / "a.flac", seconds=0.2, freq=300.0, tags={"title": "Song a"})
    write_audio(music / "b.flac", seconds=0.2, freq=500.0, tags={"title": "Song b"})
    (music / "pl").mkdir()
    (music / "pl" / "friends.m3u").write_text("../a.flac\n../b.flac\n", encoding="utf-8")
    friend = AppContext.create(tmp_path / "friend data")
    scan_library(friend, [str(music)], [str(music / "pl")])
    conn = connect(friend)
    rng = np.random.default_rng(1)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", rng.normal(size=8))
    export_dataset(friend, tmp_path / "export")
    shared = tmp_path / "shared rip.flac"
    shutil.copy2(music / "a.flac", shared)
    shutil.rmtree(music)
    return tmp_path / "export", shared


def _users_library(ctx, tmp_path: Path, shared: Path) -> dict[str, int]:
    """The user's library: the shared rip and a file of their own in their own playlist,
    each with the user's vector. Returns each file's track id."""
    music = tmp_path / "my music"
    music.mkdir()
    shutil.copy2(shared, music / "mine_a.flac")
    write_audio(music / "z.flac", seconds=0.2, freq=800.0, tags={"title": "Song z"})
    (music / "pl").mkdir()
    (music / "pl" / "mine.m3u").write_text("../mine_a.flac\n../z.flac\n", encoding="utf-8")
    scan_library(ctx, [str(music)], [str(music / "pl")])
    conn = connect(ctx)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", np.full(8, 7.0))
    return {Path(t["path"]).stem: t["id"] for t in q.all_tracks(conn)}


def _playlist(ctx, name: str) -> list[int | None]:
    return [r[0] for r in connect(ctx).execute(
        "SELECT e.track_id FROM playlist_entries e JOIN playlists p ON p.id = e.playlist_id"
        " WHERE p.name = ? ORDER BY e.position", (name,))]


def test_removing_missing_tracks_keeps_the_users_track_its_vector_and_playlist(ctx, tmp_path):
    export, shared = _friends_export(tmp_path)
    mine = _users_library(ctx, tmp_path, shared)
    rep = import_dataset(ctx, export)
    assert not any("forget --missing` moves" in note for note in rep.notes), rep.notes

    removed = forget_missing_tracks(ctx)

    assert (removed.moved, removed.tracks) == (0, 2)
    conn = connect(ctx)
    tracks = {t["id"]: (Path(t["path"]).name, t["status"]) for t in q.all_tracks(conn)}
    assert tracks == {mine["mine_a"]: ("mine_a.flac", "present"),
                      mine["z"]: ("z.flac", "present")}
    assert _playlist(ctx, "mine") == [mine["mine_a"], mine["z"]]
    ids, vectors = q.get_embeddings(conn, "spectral")
    assert sorted(ids) == sorted(mine.values())
    assert np.allclose(np.asarray(vectors), 7.0), "the user's vectors, not the friend's"
