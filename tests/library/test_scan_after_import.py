"""Scanning the music folder of an imported library (docs/dataset-dir.md): an imported track
has no size or mtime yet, and the first scan of its file used to call it *changed* — "0 new,
9 changed" — and delete the vectors the import had just brought (``similar`` then had
nothing). A file no scan has seen is recorded, its tags read, its vectors and analysis state
kept; a file that differs from what a scan recorded is still changed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset, scan_library

NAMES = ("a", "b", "c")


@pytest.fixture
def imported(ctx, tmp_path) -> tuple[AppContext, Path]:
    """A library of three tagged files with vectors, exported and imported into a new one."""
    music = tmp_path / "music"
    for name in NAMES:
        write_audio(music / f"{name}.flac", seconds=0.2, tags={"title": f"Song {name}"})
    scan_library(ctx, [music])
    conn = connect(ctx)
    rng = np.random.default_rng(0)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", rng.normal(size=8))
    export_dataset(ctx, tmp_path / "export")
    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, tmp_path / "export")
    return fresh, music


def flags(ctx) -> dict[str, tuple]:
    """File name → (needs_analysis, size recorded) of every track."""
    return {Path(t["path"]).stem: (t["needs_analysis"], t["size"] is not None)
            for t in q.all_tracks(connect(ctx))}


def test_the_first_scan_of_an_imported_library_keeps_its_vectors(imported):
    fresh, music = imported
    conn = connect(fresh)
    before = q.get_embeddings(conn, "spectral")
    assert flags(fresh) == {n: (0, False) for n in NAMES}
    rep = scan_library(fresh, [music])
    assert (rep.added, rep.updated, rep.unchanged, rep.errors) == (0, 0, 3, [])
    assert "changed" not in rep.examples
    after = q.get_embeddings(conn, "spectral")
    assert after[0].tolist() == before[0].tolist() and np.array_equal(after[1], before[1])
    assert flags(fresh) == {n: (0, True) for n in NAMES}  # recorded, nothing to analyse
    assert {t["format"] for t in q.all_tracks(conn)} == {"flac"}  # its file was read
    again = scan_library(fresh, [music])  # recorded: not opened again
    assert (again.updated, again.unchanged) == (0, 3)


def test_a_file_that_changed_after_the_first_scan_still_loses_its_vectors(imported):
    fresh, music = imported
    scan_library(fresh, [music])
    write_audio(music / "b.flac", seconds=0.4, tags={"title": "Song b, longer"})
    rep = scan_library(fresh, [music])
    assert (rep.updated, rep.unchanged) == (1, 2)
    ids, _ = q.get_embeddings(connect(fresh), "spectral")
    kept = {Path(t["path"]).stem for t in q.all_tracks(connect(fresh)) if t["id"] in ids}
    assert kept == {"a", "c"} and flags(fresh)["b"] == (1, True)


def test_the_first_scan_reads_the_tags_and_keeps_the_analysis_state(ctx, tmp_path):
    """A dataset without features.npy: its tracks still need analysis after the scan, which
    reads their titles from the files (tracks.csv named them otherwise)."""
    music = tmp_path / "music"
    write_audio(music / "x.flac", seconds=0.2, tags={"title": "From the tags"})
    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "tracks.csv").write_text(f"track_id,title,path\nt1,From the CSV,{music / 'x.flac'}\n")
    (ds / "memberships.csv").write_text("playlist_id,track_id\np,t1\n")
    import_dataset(ctx, ds)
    rep = scan_library(ctx, [music])
    assert (rep.added, rep.updated, rep.unchanged) == (0, 0, 1)
    (track,) = q.all_tracks(connect(ctx))
    assert track["title"] == "From the tags" and flags(ctx) == {"x": (1, True)}


def test_an_unreadable_imported_file_keeps_its_vectors_and_is_tried_again(imported):
    """Unreadable with the content it was exported with (the export named no hash, or the
    file cannot be read to compare): the vectors are kept and the file is tried again."""
    fresh, music = imported
    conn = connect(fresh)
    conn.execute("DELETE FROM track_hashes")  # an export that named no content hash
    (music / "c.flac").write_bytes(b"not audio any more " * 50)
    rep = scan_library(fresh, [music])
    assert (rep.unchanged, [Path(p).name for p, _ in rep.errors]) == (2, ["c.flac"])
    ids, _ = q.get_embeddings(connect(fresh), "spectral")
    assert len(ids) == 3 and flags(fresh)["c"] == (0, False)
    assert [Path(p).name for p, _ in scan_library(fresh, [music]).errors] == ["c.flac"]
    write_audio(music / "c.flac", seconds=0.2)  # readable again: read, its error gone
    assert scan_library(fresh, [music]).errors == []
    assert flags(fresh)["c"][1] and q.list_errors(connect(fresh), "scan") == []


def test_an_imported_file_rewritten_into_junk_loses_its_vectors(imported):
    """The export named the content its vectors were made from; junk is not that content:
    changed into unreadable, as a scanned file would be (docs/dataset-dir.md)."""
    fresh, music = imported
    (music / "c.flac").write_bytes(b"not audio any more " * 50)
    rep = scan_library(fresh, [music])
    assert (rep.unchanged, [Path(p).name for p, _ in rep.errors]) == (2, ["c.flac"])
    ids, _ = q.get_embeddings(connect(fresh), "spectral")
    # no stamp recorded: a track's stamp is that of the file last read (library/scan_write.py)
    assert len(ids) == 2 and flags(fresh)["c"] == (1, False)
