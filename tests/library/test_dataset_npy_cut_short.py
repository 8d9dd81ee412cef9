"""A features.npy cut short (a copy or download stopped part-way) was refused in numpy's words,
"features.npy: not a readable array (mmap length is greater than file size)", which says
neither what is wrong nor what to do. ``import`` and ``eval --dataset`` now say the file is
cut short and how long it should be, and the import leaves the library as it was."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library.dataset_features import load_features

N, D = 30, 8


def cut_dataset(tmp_path, keep: int):
    """A dataset dir of N tracks in 3 playlists whose features.npy keeps its first ``keep``
    bytes (the 128-byte header and part of the data)."""
    d = tmp_path / "ds"
    d.mkdir(parents=True)
    (d / "tracks.csv").write_text("track_id\n" + "".join(f"t{i}\n" for i in range(N)))
    (d / "memberships.csv").write_text(
        "playlist_id,track_id\n" + "".join(f"p{i % 3},t{i}\n" for i in range(N)))
    np.save(d / "features.npy", np.ones((N, D), np.float32))
    whole = (d / "features.npy").read_bytes()
    assert len(whole) == 128 + N * D * 4
    (d / "features.npy").write_bytes(whole[:keep])
    return d


@pytest.mark.parametrize("keep", [128, 600, 128 + N * D * 4 - 1])
def test_a_cut_short_npy_says_so_and_how_long_it_should_be(tmp_path, keep):
    d = cut_dataset(tmp_path, keep)
    with pytest.raises(MusicsageError) as exc:
        load_features(d / "features.npy")
    assert str(exc.value) == (f"features.npy: cut short ({keep:,} bytes; an array of shape "
                              f"({N}, {D}) needs {128 + N * D * 4:,}): copy or save it again")


def counts(lib) -> tuple[int, int, int]:
    with sqlite3.connect(lib / "library.sqlite3") as conn:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                     for table in ("tracks", "playlists", "audio_embeddings"))


def test_import_and_eval_refuse_it_in_one_line_and_change_nothing(tmp_path, capsys):
    lib = tmp_path / "lib"
    whole = cut_dataset(tmp_path / "whole", 10**6)
    assert cli.main(["--data-dir", str(lib), "import", str(whole)]) == 0
    before = counts(lib)
    assert before == (N, 3, N)
    d = cut_dataset(tmp_path, 600)
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["musicsage import: features.npy: cut short (600 bytes; an array of shape "
                   "(30, 8) needs 1,088): copy or save it again"]
    assert counts(lib) == before
    assert cli.main(["--data-dir", str(lib), "eval", "--dataset", str(d), "--json"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("musicsage eval: features.npy: cut short (600 bytes"), last


def test_a_whole_npy_still_loads(tmp_path):
    d = cut_dataset(tmp_path, 10**6)
    assert load_features(d / "features.npy").shape == (N, D)
