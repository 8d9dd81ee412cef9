"""A library that imported a dataset dir, exported and the export imported back held every
track without an audio file, and every playlist that import stored, twice: the export listed
such a track with an empty ``path`` and nothing told the import it was one the library had.
The export now writes a ``source`` column naming them (``dataset:<dir>#<id>``), and an
import into the same library recognises them; anywhere else the column means nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from musicsage.context import AppContext
from musicsage.graph.data import GraphData
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.paths import dataset_key_prefix
from musicsage.usecases.library import (export_dataset, forget_folder, import_dataset,
                                        library_stats, list_playlists, playlist_track_ids)


def read_dir(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def playlists_of(ctx) -> list[tuple[str, list[int]]]:
    return sorted((p.name, playlist_track_ids(ctx, p.id)) for p in list_playlists(ctx))


def vectors_of(ctx) -> tuple[list[int], np.ndarray]:
    ids, matrix = q.get_embeddings(connect(ctx), "spectral-dataset")
    return ids.tolist(), matrix


@pytest.fixture
def base(tmp_path) -> Path:
    """Four tracks without an audio file, one of a file that is gone (``/gone/e.flac``),
    three playlists (one holding the file's track) and their names."""
    d = tmp_path / "base"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,path\nt1,One,\nt2,Two,\nt3,Three,\n"
                                  "t4,Four,\nt5,Five,/gone/e.flac\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\np,t2\nq,t3\nq,t1\n"
                                       "r,t5\nr,t4\n")
    (d / "playlists.csv").write_text("playlist_id,name\np,Road\nq,Late\nr,Mixed\n")
    np.save(d / "features.npy", np.arange(20, dtype=np.float32).reshape(5, 4))
    return d


@pytest.fixture
def imported(ctx, base, tmp_path) -> Path:
    """``base`` imported into ``ctx`` and the library exported to ``tmp_path/exp``."""
    import_dataset(ctx, base)
    export_dataset(ctx, tmp_path / "exp")
    return tmp_path / "exp"


def test_the_export_names_the_tracks_without_an_audio_file(ctx, base, imported):
    prefix = dataset_key_prefix(base)
    tracks = rows_of(imported / "tracks.csv")
    assert [(r["title"], r["path"], r["source"]) for r in tracks] == [
        ("One", "", prefix + "t1"), ("Two", "", prefix + "t2"), ("Three", "", prefix + "t3"),
        ("Four", "", prefix + "t4"), ("Five", "/gone/e.flac", "")]
    assert (imported / "playlists.csv").read_text().startswith("playlist_id,name\n")


def test_importing_the_export_back_stores_nothing_twice(ctx, imported, tmp_path):
    before_playlists, before_vectors = playlists_of(ctx), vectors_of(ctx)
    rep = import_dataset(ctx, imported)
    assert (rep.tracks, rep.playlists, rep.known_playlists) == (5, 0, 3)
    assert "4 tracks already in the library (this library's export names them)" in rep.notes[0]
    stats = library_stats(ctx)
    assert (stats.tracks.total, stats.playlists.total) == (5, 3)
    assert playlists_of(ctx) == before_playlists
    ids, matrix = vectors_of(ctx)
    assert ids == before_vectors[0] and np.array_equal(matrix, before_vectors[1])
    import_dataset(ctx, imported)  # again: the same
    assert library_stats(ctx).tracks.total == 5 and playlists_of(ctx) == before_playlists
    export_dataset(ctx, tmp_path / "again")
    assert read_dir(tmp_path / "again") == read_dir(imported)
    # it stored nothing, but names them all: they stay, as base names them too
    rep = forget_folder(ctx, str(imported))
    assert (rep.tracks, rep.playlists, rep.kept, rep.kept_playlists) == (0, 0, 4, 3)


def test_elsewhere_the_source_means_nothing(imported, tmp_path):
    """Into an empty library the rows are new tracks, as before; its export gives the same
    files but for the sources, which now name the dir it imported (``exp``)."""
    fresh = AppContext.create(tmp_path / "fresh")
    rep = import_dataset(fresh, imported)
    assert (rep.tracks, rep.playlists, rep.known_playlists) == (5, 3, 0)
    assert not any("already in the library" in note for note in rep.notes)
    second = tmp_path / "second"
    export_dataset(fresh, second)
    rows, rows_again = rows_of(imported / "tracks.csv"), rows_of(second / "tracks.csv")
    assert [r.pop("source") for r in rows_again] == [dataset_key_prefix(imported) + r["track_id"]
                                                     if r["source"] else "" for r in rows]
    assert rows_again == [{k: v for k, v in r.items() if k != "source"} for r in rows]
    first, again = read_dir(imported), read_dir(second)
    del first["tracks.csv"], again["tracks.csv"]
    assert first == again
    # and that export imported back into ``fresh`` is recognised too
    rep = import_dataset(fresh, second)
    assert (rep.playlists, rep.known_playlists) == (0, 3)
    assert library_stats(fresh).tracks.total == 5


def test_a_source_naming_anything_else_is_ignored(ctx, base, imported):
    """Never two tracks merged: a source naming a track of a file, a playlist, no track, or
    one another row named (or is) leaves the row a track of its own, as before."""
    prefix = dataset_key_prefix(base)
    (imported / "features.json").unlink()  # the rows are edited below
    with open(imported / "tracks.csv", "a") as fh:
        fh.write(f"50,A,,,,,/gone/e.flac\n51,B,,,,,{prefix}p\n52,C,,,,,{prefix}t9\n"
                 f"53,D,,,,,{prefix}t1\n54,E,,,,,{imported}/x\n")
    np.save(imported / "features.npy", np.zeros((10, 4), np.float32))
    rep = import_dataset(ctx, imported)
    assert rep.tracks == 10 and library_stats(ctx).tracks.total == 10
    by_title = {t["title"]: t["path"] for t in q.all_tracks(connect(ctx))}
    assert by_title["One"] == prefix + "t1" and by_title["D"] == f"{dataset_key_prefix(imported)}53"
    # a row's own track of this dir is that row's, whatever its source says
    (imported / "tracks.csv").write_text(f"track_id,title,path,source\n53,D2,,{prefix}t2\n")
    (imported / "features.npy").unlink()
    import_dataset(ctx, imported)
    assert library_stats(ctx).tracks.total == 10
    assert {t["title"] for t in q.all_tracks(connect(ctx))} >= {"Two", "D2"}


def test_a_renamed_or_changed_playlist_is_stored_as_before(ctx, imported):
    (imported / "playlists.csv").write_text(
        (imported / "playlists.csv").read_text().replace("Road", "Road 2"))
    members = (imported / "memberships.csv").read_text().splitlines()
    (imported / "memberships.csv").write_text("\n".join(members[:-1]) + "\n")  # Mixed cut
    rep = import_dataset(ctx, imported)
    assert (rep.playlists, rep.known_playlists) == (2, 1)
    assert sorted(name for name, _ in playlists_of(ctx)) == ["Late", "Mixed", "Mixed", "Road",
                                                             "Road 2"]


def test_training_reads_an_export_with_sources(imported):
    data = GraphData.from_dataset_dir(imported)
    assert len(data.track_ids) == 5
