"""A dataset dir numbered from 0 (Cora's papers 0…2707) had every track renumbered by
``import``: 0 is no library id, so row 0 took id 1, row 1 then found 1 taken and took 2, and
so on — ``similar 5`` answered with paper 4's neighbours, and the export wrote every id one
up. Every free id is now kept (the rows that cannot keep theirs take new ids afterwards, and
a note names them); an import that stores nothing new says so instead of "imported N"."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from musicsage import cli
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset


def ids_by_title(ctx) -> dict[str, int]:
    return {t["title"]: t["id"] for t in q.all_tracks(connect(ctx))}


@pytest.fixture
def papers(tmp_path) -> Path:
    """Five papers numbered 0…4 (as bench/cora.py writes them), two contexts."""
    d = tmp_path / "papers"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(
        f"{i},paper {i}\n" for i in range(5)))
    (d / "memberships.csv").write_text("playlist_id,track_id\nc0,0\nc0,1\nc1,3\nc1,4\n")
    np.save(d / "features.npy", np.arange(20, dtype=np.float32).reshape(5, 4))
    return d


def test_every_free_id_is_kept_and_the_one_that_is_not_is_named(ctx, papers):
    rep = import_dataset(ctx, papers)
    assert ids_by_title(ctx) == {"paper 0": 5, "paper 1": 1, "paper 2": 2, "paper 3": 3,
                                 "paper 4": 4}
    assert ("1 row of tracks.csv could not keep its track_id as the library's id (first: "
            "track_id '0', now #5): a library id is a whole number above 0 that no other "
            "track has or had") in rep.notes
    ids, matrix = q.get_embeddings(connect(ctx), "spectral-dataset")
    assert matrix[ids.tolist().index(3)].tolist() == [12.0, 13.0, 14.0, 15.0]  # row 3's


def test_export_then_import_into_a_new_library_keeps_every_id(ctx, papers, tmp_path):
    from musicsage.context import AppContext

    import_dataset(ctx, papers)
    export_dataset(ctx, tmp_path / "exp")
    other = AppContext.create(tmp_path / "other")
    rep = import_dataset(other, tmp_path / "exp")
    assert ids_by_title(other) == ids_by_title(ctx)
    assert not any("could not keep" in note for note in rep.notes)
    export_dataset(other, tmp_path / "exp2")
    for name in ("memberships.csv", "playlists.csv"):
        assert (tmp_path / "exp2" / name).read_text() == (tmp_path / "exp" / name).read_text()
    with open(tmp_path / "exp2" / "tracks.csv", newline="") as fh:
        assert [r["track_id"] for r in csv.DictReader(fh)] == ["1", "2", "3", "4", "5"]


def test_ids_taken_by_the_library_go_to_new_ids_after_every_kept_one(ctx, papers, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    (first / "tracks.csv").write_text("track_id,title\n2,older\n")
    import_dataset(ctx, first)
    rep = import_dataset(ctx, papers)
    assert ids_by_title(ctx) == {"older": 2, "paper 1": 1, "paper 3": 3, "paper 4": 4,
                                 "paper 0": 5, "paper 2": 6}
    assert any(note.startswith("2 rows of tracks.csv could not keep their track_id as the "
                               "library's id (first: track_id '0', now #5)")
               for note in rep.notes)


def test_text_ids_are_not_noted(ctx, tmp_path):
    d = tmp_path / "named"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\na,A\nb,B\n")
    rep = import_dataset(ctx, d)
    assert sorted(ids_by_title(ctx).values()) == [1, 2] and rep.notes == []


def run_import(ctx, d: Path, capsys) -> str:
    assert cli.main(["import", str(d), "--data-dir", str(ctx.data_dir)]) == 0
    return capsys.readouterr().out


def test_the_summary_says_what_an_import_added(ctx, papers, capsys):
    out = run_import(ctx, papers, capsys)
    assert f"imported 5 tracks, 2 playlists, 4 memberships from {papers}" in out
    out = run_import(ctx, papers, capsys)  # the same dir again: nothing new
    assert (f"nothing new from {papers}: 5 tracks and 2 playlists already in the library, "
            "features 5×4 as spectral-dataset") in out
    with open(papers / "tracks.csv", "a") as fh:
        fh.write("7,paper 7\n")
    np.save(papers / "features.npy", np.zeros((6, 4), dtype=np.float32))
    out = run_import(ctx, papers, capsys)
    assert (f"imported 1 new track, 0 new playlists from {papers} (5 tracks and 2 playlists "
            "already in the library, updated 5 vectors)") in out  # the zeros replaced theirs
    rep = import_dataset(ctx, papers)
    assert (rep.tracks, rep.new_tracks, rep.playlists, rep.new_playlists) == (6, 0, 2, 0)
