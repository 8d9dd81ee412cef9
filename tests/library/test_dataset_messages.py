"""What ``import``, ``embed``, ``train`` and the bench scripts say about a dataset dir, where
they said something wrong or unhelpful:

- a dir imported without its (optional) features.npy: ``embed`` said the tracks came "with
  their vectors" and ``train`` sent the user to ``embed`` — each to the other; importing the
  dir again with a features.npy said "nothing new" though it gave every track a vector;
- an unquoted comma in a title, in a row whose last cell was empty, shifted its cells with
  no note (the extra cell was empty, so "no loss");
- ``graph_baselines.py --lambdas abc / 0 --threads 0`` ended in tracebacks after loading;
- ``train --dataset … --out a/b/out`` made the missing ``a/b``, which ``export`` refuses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from musicsage.cli import main
from musicsage.library.dataset_read import overlong_note, read_dataset

BENCH = Path(__file__).resolve().parents[2] / "bench"
N = 24


def _dataset(d: Path, *, features: bool) -> Path:
    """N tracks without audio files in three playlists; features.npy only if ``features``."""
    d.mkdir(exist_ok=True)
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"t{i},Song {i},Artist {i % 3}\n" for i in range(N)))
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 3},t{i}\n" for i in range(N)))
    if features:
        np.save(d / "features.npy", np.random.default_rng(0).normal(size=(N, 4))
                .astype(np.float32))
    return d


def _cli(capsys, data_dir: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(data_dir), *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_a_dataset_imported_without_features_sends_embed_and_train_to_import(tmp_path, capsys):
    ds, lib = _dataset(tmp_path / "ds", features=False), tmp_path / "lib"
    assert _cli(capsys, lib, "import", str(ds))[0] == 0
    rc, out, _ = _cli(capsys, lib, "embed")
    assert rc == 0
    rc, _, err = _cli(capsys, lib, "train", "--max-steps", "2")
    assert rc == 1
    for said in (out, err):
        assert f"{N} tracks imported from the dataset dir {ds} have neither an audio file " \
               "nor a vector" in said
        assert f"put the vectors in {ds / 'features.npy'} and import the folder again " \
               f"(`musicsage --data-dir {lib} import {ds}`)" in said
        assert "with their vectors" not in said and "musicsage embed" not in said
    assert out.startswith("nothing to embed: ")
    assert err.startswith("musicsage train: no audio embeddings yet: ")

    _dataset(ds, features=True)  # the user adds the vectors and imports the dir again
    rc, out, _ = _cli(capsys, lib, "import", str(ds))
    assert rc == 0
    assert out.startswith(f"gave vectors to {N} tracks that had none, from {ds}: {N} tracks "
                          "and 3 playlists already in the library, features")
    rc, out, _ = _cli(capsys, lib, "import", "--json", str(ds))  # the same again: no change
    assert json.loads(out)["given_vectors"] == 0 and json.loads(out)["replaced_vectors"] == 0
    rc, out, _ = _cli(capsys, lib, "embed")
    assert out.startswith("nothing to embed: the library's tracks came from a dataset, with "
                          "their vectors")


def test_vectors_given_to_tracks_are_counted_in_json(tmp_path, capsys):
    ds, lib = _dataset(tmp_path / "ds", features=False), tmp_path / "lib"
    _cli(capsys, lib, "import", str(ds))
    _dataset(ds, features=True)
    rc, out, _ = _cli(capsys, lib, "import", "--json", str(ds))
    rep = json.loads(out)
    assert (rc, rep["given_vectors"], rep["replaced_vectors"], rep["new_tracks"]) == \
        (0, N, 0, 0)


def _tracks_csv(d: Path, text: str) -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text(text)
    return d


def test_a_shifted_row_is_noted_even_when_its_extra_cell_is_empty(tmp_path):
    read = read_dataset(_tracks_csv(tmp_path / "shift", "track_id,title,artist,album\n"
                                    "t1,Hello, World,Ann,\nt2,Bye,Bob,\nt3,Hi, there,Cy,\n"))
    assert read.rows[0]["artist"] == "World"  # the shift itself: what the note warns of
    assert read.overlong == [2, 4]
    assert "2 rows of tracks.csv have more cells than its header (lines 2, 4)" in \
        overlong_note(read.overlong)
    assert "(lines 2, 3, 4, 5, 6, …)" in overlong_note([2, 3, 4, 5, 6, 7])


def test_a_trailing_comma_on_every_row_is_no_shift(tmp_path):
    read = read_dataset(_tracks_csv(tmp_path / "trail", "track_id,title,artist\n"
                                    "t1,Hello,Ann,\nt2,Bye,Bob,\n"))
    assert read.overlong == [] and read.rows[1]["artist"] == "Bob"
    read = read_dataset(_tracks_csv(tmp_path / "mixed", "track_id,title,artist\n"
                                    "t1,Hello,Ann,\nt2,Bye,Bob\n"))
    assert read.overlong == [2]  # not every row: the one may be a shift


@pytest.mark.parametrize("args, said", [
    (["--lambdas", "abc"], "argument --lambdas: 'abc' is not a comma list of numbers above 0"),
    (["--lambdas", "10,0"], "argument --lambdas: '10,0' is not a comma list of numbers above 0"),
    (["--lambdas", "-1"], "argument --lambdas: '-1' is not a comma list of numbers above 0"),
    (["--threads", "0"], "argument --threads: '0' is not a number of threads"),
])
def test_graph_baselines_refuses_bad_numbers_before_loading(args, said, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(BENCH))
    import graph_baselines

    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", *args])
    with pytest.raises(SystemExit) as exc:
        graph_baselines.arguments()
    assert exc.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert said in err[-1] and not any("Traceback" in line for line in err)


def test_graph_baselines_takes_good_numbers(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import graph_baselines

    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", "--lambdas", "1,10.5",
                                      "--threads", "2"])
    args = graph_baselines.arguments()
    assert (args.lambdas, args.threads) == ([1.0, 10.5], 2)


def test_train_out_in_a_missing_folder_is_refused_as_export_refuses_it(tmp_path, capsys,
                                                                      monkeypatch):
    ds = _dataset(tmp_path / "ds", features=True)
    monkeypatch.chdir(tmp_path)
    rc, _, err = _cli(capsys, tmp_path / "lib", "train", "--dataset", str(ds), "--out",
                      "no/such/out", "--max-steps", "2")
    assert rc == 1
    assert err.strip() == ("musicsage train: cannot write --out folder no/such/out: the folder "
                           "no/such does not exist; create it first or choose another path "
                           "(nothing was written)")
    assert not (tmp_path / "no").exists()
    _cli(capsys, tmp_path / "lib", "import", str(ds))  # export's words, of the same path
    rc, _, err = _cli(capsys, tmp_path / "lib", "export", "no/such/out")
    assert (rc, err.split(": ", 1)[1]) == (1, "cannot write dataset dir no/such/out: the folder "
                                              "no/such does not exist; create it first or "
                                              "choose another path (nothing was written)\n")
