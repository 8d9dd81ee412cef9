"""A library exported, its music (and its playlist files) moved to another machine and scanned
there first, then the export imported (docs/dataset-dir.md): the scan's tracks are in the
playlists read from their files, and the imported tracks, with the export's vectors, are
missing beside them. ``forget --missing`` took only copies in no playlist, so it removed
every imported track with its vectors ("3 missing tracks removed … unresolved"), against the
import's own note; and the import stored each playlist a second time beside its file's
(40 playlists became 80), where the other order — import, then scan — keeps one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.dataset import DatasetReport
from musicsage.library.db import connect
from musicsage.usecases.library import (export_dataset, forget_missing_tracks, import_dataset,
                                        scan_library)

NAMES = ("a", "b", "c")


def _exported_then_moved(ctx, tmp_path) -> tuple[Path, dict[str, int]]:
    """Three files with vectors and a playlist file naming them (relative paths, inside the
    music folder) scanned and exported to ``tmp_path/export``; the music folder then moved.
    Returns where it is now, and each file's track id in the exporting library."""
    music = tmp_path / "music"
    for i, name in enumerate(NAMES):
        write_audio(music / f"{name}.flac", seconds=0.2, freq=300.0 + 100 * i,
                    tags={"title": f"Song {name}"})
    (music / "Playlists").mkdir()
    (music / "Playlists" / "mix.m3u").write_text("../c.flac\n../a.flac\n../b.flac\n",
                                                  encoding="utf-8")
    scan_library(ctx, [str(music)], [str(music / "Playlists")])
    conn = connect(ctx)
    rng = np.random.default_rng(0)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", rng.normal(size=8))
    ids = {Path(t["path"]).stem: t["id"] for t in q.all_tracks(conn)}
    export_dataset(ctx, tmp_path / "export")
    elsewhere = tmp_path / "new machine" / "Musik"
    elsewhere.parent.mkdir()
    music.rename(elsewhere)
    return elsewhere, ids


def _scanned_then_imported(ctx, tmp_path) -> tuple[AppContext, Path, DatasetReport]:
    """The new machine's library: the moved music scanned with its playlist files, then the
    export imported. Returns it, where the music is and the import's report."""
    elsewhere, _ids = _exported_then_moved(ctx, tmp_path)
    first = AppContext.create(tmp_path / "first")
    rep = scan_library(first, [str(elsewhere)], [str(elsewhere / "Playlists")])
    assert rep.added == 3
    return first, elsewhere, import_dataset(first, tmp_path / "export")


def _state(ctx) -> tuple[dict[tuple[str, str], int], dict[str, list[int | None]], list[int]]:
    """(file name, status) → track id; each playlist's name → its entries' track ids in
    order; the ids with a vector."""
    conn = connect(ctx)
    tracks = {(Path(t["path"]).stem, t["status"]): t["id"] for t in q.all_tracks(conn)}
    playlists: dict[str, list[int | None]] = {}
    for name, track_id in conn.execute(
            "SELECT p.name, e.track_id FROM playlists p JOIN playlist_entries e"
            " ON e.playlist_id = p.id ORDER BY p.id, e.position"):
        playlists.setdefault(name, []).append(track_id)
    return tracks, playlists, sorted(q.get_embeddings(conn, "spectral")[0])


def test_the_import_does_not_store_again_a_playlist_whose_file_was_scanned(ctx, tmp_path):
    first, _elsewhere, rep = _scanned_then_imported(ctx, tmp_path)

    playlists = q.playlist_rows(connect(first))

    assert [p["name"] for p in playlists] == ["mix"], "one playlist, its file's"
    assert not playlists[0]["path"].startswith("dataset:")
    assert (rep.playlists, rep.new_playlists, rep.known_playlists, rep.memberships) == \
        (0, 0, 1, 0)
    assert "1 playlist already in the library (the same name and tracks): not stored again" \
        in rep.notes
    assert not [n for n in rep.notes if "could not keep its playlist_id" in n], rep.notes


def test_removing_missing_tracks_moves_the_imported_ones_to_files_in_playlists(ctx, tmp_path):
    first, elsewhere, rep = _scanned_then_imported(ctx, tmp_path)
    assert any("`musicsage forget --missing` moves each such track to its file" in note
               for note in rep.notes), rep.notes
    tracks, _playlists, vectors = _state(first)
    imported = {n: tracks[(n, "missing")] for n in NAMES}
    assert set(vectors) == set(imported.values())

    removed = forget_missing_tracks(first)

    assert (removed.tracks, removed.moved, removed.entries) == (0, 3, 0)
    tracks, playlists, vectors = _state(first)
    assert tracks == {(n, "present"): imported[n] for n in NAMES}, "ids and files kept"
    assert playlists == {"mix": [imported["c"], imported["a"], imported["b"]]}
    assert vectors == sorted(imported.values())
    again = scan_library(first, [str(elsewhere)], [str(elsewhere / "Playlists")])
    assert (again.added, again.updated, again.missing) == (0, 0, 0)
    assert _state(first)[1] == playlists, "the playlist file still resolves, once"


def test_importing_again_removes_the_copy_an_earlier_import_stored(ctx, tmp_path, monkeypatch):
    """A library an older version doubled so: importing the export again mends it."""
    elsewhere, _ids = _exported_then_moved(ctx, tmp_path)
    first = AppContext.create(tmp_path / "first")
    scan_library(first, [str(elsewhere)], [str(elsewhere / "Playlists")])
    with monkeypatch.context() as m:
        m.setattr("musicsage.library.dataset_moved._scanned_copies", lambda conn, ids: {})
        import_dataset(first, tmp_path / "export")
    assert len(q.playlist_rows(connect(first))) == 2

    rep = import_dataset(first, tmp_path / "export")

    playlists = q.playlist_rows(connect(first))
    assert [p["name"] for p in playlists] == ["mix"]
    assert not playlists[0]["path"].startswith("dataset:")
    assert (rep.playlists, rep.new_playlists, rep.updated_playlists, rep.known_playlists) == \
        (0, 0, 0, 1)
    assert any("1 copy stored by an earlier import of this dir was removed" in note
               for note in rep.notes), rep.notes
