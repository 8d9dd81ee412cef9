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
    src = tmp_path / "src"
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"musicsage {command}: {export} is not a dataset dir: features.npy is missing — the "
        "library exported had no audio vectors, which train and eval need (its tracks came "
        f"from the dataset dir {src}, imported without a features.npy): put the vectors in "
        f"{src / 'features.npy'}, import that dir again, then export again")
    assert not (tmp_path / "out").exists()


def test_the_way_out_named_is_the_one_embed_names_too(tmp_path, capsys):
    """`embed` on that library says "nothing to embed" and sends the user to the dataset dir:
    the refusal sent them to `embed`, which sent them back."""
    export = _export_without_vectors(tmp_path)
    capsys.readouterr()
    assert main(["eval", "--dataset", str(export), "--seeds", "1"]) == 1
    refusal = capsys.readouterr().err.strip().splitlines()[-1]
    assert main(["--data-dir", str(tmp_path / "lib"), "embed"]) == 0
    embed_says = capsys.readouterr().out
    assert "nothing to embed" in embed_says
    assert "run `musicsage embed`" not in refusal
    npy = str(tmp_path / "src" / "features.npy")
    assert npy in refusal and npy in embed_says


@pytest.mark.parametrize("tracks_csv, advice", [
    ("track_id,title,path\n1,Song,/music/song.flac\n",
     ": run `musicsage embed`, then export again"),
    ("track_id,title,path,source\n1,Song,/music/song.flac,\n2,Other,,dataset:{src}#t1\n",
     ": run `musicsage embed` for its audio files, put the vectors of its tracks from the "
     "dataset dir {src} in {src}/features.npy and import that dir again, then export again"),
    ("track_id,title\n1,Song\n",
     ": run `musicsage embed` (tracks imported from a dataset dir: import that dir again "
     "with its features.npy), then export again"),
    ("track_id,title,path,source\n1,Song,,dataset:{src}#t1\n2,Other,,dataset:{src}2#t1\n"
     "3,Third,,dataset:{src}#t2\n",
     " (its tracks came from the dataset dirs {src} (and others), imported without a "
     "features.npy): put the vectors in {src}/features.npy (and the others' in theirs), "
     "import each dir again, then export again"),
    ("track_id,title,path\n" + "".join(f"{i},Song,/music/{i}.flac\n" for i in range(3000))
     + "0,Bad,\udcff\n",
     ": run `musicsage embed`, then export again"),
])
def test_the_way_out_follows_where_the_exported_tracks_came_from(tmp_path, capsys,
                                                                 tracks_csv, advice):
    """A library of audio files needs `embed`; one of a dataset dir's tracks, that dir again
    with its vectors; both, both; an export whose tracks.csv does not say names both. Tracks
    from two dataset dirs named only the first, as if all came from it. With no ``source``
    column (no track without a file) the reading stops at the first file: a later line that
    is not UTF-8 turned the advice into the one for an unreadable tracks.csv."""
    export = _export_without_vectors(tmp_path)
    src = tmp_path / "src"
    (export / "tracks.csv").write_bytes(tracks_csv.format(src=src).encode("utf-8",
                                                                         "surrogateescape"))
    capsys.readouterr()
    assert main(["eval", "--dataset", str(export), "--seeds", "1"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"musicsage eval: {export} is not a dataset dir: features.npy is missing — the "
        "library exported had no audio vectors, which train and eval need"
        + advice.format(src=src))


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
