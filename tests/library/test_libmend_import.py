"""Importing a dataset dir: playlist ids kept as tracks' are, and a re-import that changed
something says what it changed instead of "nothing new"."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from musicsage import cli
from musicsage.library.db import connect
from musicsage.usecases.library import import_dataset


def _dir(d: Path, memberships: str, names: str = "") -> Path:
    d.mkdir(exist_ok=True)
    (d / "tracks.csv").write_text("track_id,title\n1,A\n2,B\n3,C\n4,D\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + memberships)
    if names:
        (d / "playlists.csv").write_text("playlist_id,name\n" + names)
    return d


def test_playlist_ids_from_zero_keep_every_free_one(ctx, tmp_path):
    d = _dir(tmp_path / "d", "0,1\n0,2\n1,3\n2,4\n")
    rep = import_dataset(ctx, d)
    rows = [tuple(r) for r in connect(ctx).execute("SELECT id, name FROM playlists ORDER BY id")]
    assert rows == [(1, "1"), (2, "2"), (3, "0")]  # `playlists 1` is the one named "1"
    assert rep.notes == [
        "1 playlist of memberships.csv could not keep its playlist_id as the library's id "
        "(first: playlist_id '0', now #3): a library id is a whole number above 0 that no "
        "other playlist has or had"]
    again = import_dataset(ctx, d)  # updated in place, nothing to note
    assert again.notes == [] and again.new_playlists == 0


def _import(data_dir: Path, d: Path, capsys) -> str:
    assert cli.main(["--data-dir", str(data_dir), "import", str(d)]) == 0
    return capsys.readouterr().out.strip()


def test_a_reimport_says_what_it_changed(tmp_path, capsys):
    lib = tmp_path / "lib"
    d = _dir(tmp_path / "d", "1,1\n1,2\n2,3\n3,4\n", "1,Road\n2,Late\n3,Morning\n")
    np.save(d / "features.npy", np.arange(16, dtype=np.float32).reshape(4, 4))
    _import(lib, d, capsys)
    assert _import(lib, d, capsys) == (
        f"nothing new from {d}: 4 tracks and 3 playlists already in the library, "
        "features 4×4 as spectral-dataset")
    _dir(d, "1,1\n1,3\n2,3\n3,4\n", "1,Road trip\n2,Late night\n3,Morning\n")  # edited
    assert _import(lib, d, capsys) == (
        f"updated 2 playlists from {d}: 4 tracks and 3 playlists already in the library, "
        "features 4×4 as spectral-dataset")
    np.save(d / "features.npy", np.arange(16, dtype=np.float32).reshape(4, 4) + 1)
    assert _import(lib, d, capsys) == (
        f"updated 4 vectors from {d}: 4 tracks and 3 playlists already in the library, "
        "features 4×4 as spectral-dataset")
    (d / "tracks.csv").write_text("track_id,title\n1,A\n2,B\n3,C\n4,D\n5,E\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\n1,1\n2,3\n3,4\n")
    (d / "features.npy").unlink()
    assert _import(lib, d, capsys) == (
        f"imported 1 new track, 0 new playlists from {d} (4 tracks and 3 playlists already "
        "in the library, updated 1 playlist)")
