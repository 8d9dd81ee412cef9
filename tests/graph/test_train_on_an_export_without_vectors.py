"""`train`/`eval --dataset` on the export of a library without audio vectors (an export then
writes no features.npy): "… is not a dataset dir: features.npy is missing" named no way out
of a folder the app itself wrote; the refusal now says why it is missing and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from musicsage.cli import main


def _export_without_vectors(tmp_path: Path) -> Path:
    """A library imported from a dataset dir without features.npy, exported."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n" + "".join(
        f"t{i},Song {i}\n" for i in range(30)))
    (src / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 3},t{i}\n" for i in range(30)))
    lib, out = str(tmp_path / "lib"), tmp_path / "export"
    assert main(["--data-dir", lib, "import", str(src)]) == 0
    assert main(["--data-dir", lib, "export", str(out)]) == 0
    assert (out / "tracks.csv").is_file() and not (out / "features.npy").exists()
    return out


@pytest.mark.parametrize("command", ["train", "eval"])
def test_an_export_without_vectors_is_refused_saying_what_to_do(tmp_path, capsys, command):
    export = _export_without_vectors(tmp_path)
    capsys.readouterr()
    more = ["--out", str(tmp_path / "out")] if command == "train" else ["--seeds", "1"]
    assert main([command, "--dataset", str(export), *more, "--max-steps", "2"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"musicsage {command}: {export} is not a dataset dir: features.npy is missing — the "
        "library exported had no audio vectors, which train and eval need: run `musicsage "
        "embed`, then export again")
    assert not (tmp_path / "out").exists()


def test_a_dataset_dir_of_ones_own_without_features_is_refused_as_before(tmp_path, capsys):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id\nt1\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\n")
    assert main(["eval", "--dataset", str(d), "--seeds", "1"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"musicsage eval: {d} is not a dataset dir: features.npy is missing")


def test_an_export_whose_features_npy_was_deleted_by_hand_is_refused_as_before(tmp_path,
                                                                                capsys):
    """Its features.json says it had vectors: the words on a library without any would
    mislead."""
    export = _export_without_vectors(tmp_path)
    (export / "features.json").write_text('{"model_id": "spectral-dataset"}\n')
    capsys.readouterr()
    assert main(["eval", "--dataset", str(export), "--seeds", "1"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"musicsage eval: {export} is not a dataset dir: features.npy is missing")
