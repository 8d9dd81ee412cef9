"""``eval --json``'s ``contexts`` (and each seed's) name the context types the models trained
on, as ``train --json``'s do: they listed ``["playlist", "album", "artist"]`` next to
``"empty_contexts": ["album", "artist"]`` for a data set without album or artist columns,
while ``train`` on the same data said ``["playlist"]``."""

from __future__ import annotations

import json

import numpy as np

from dataset_files import write_dataset
from musicsage import cli


def _untagged_dataset(tmp_path):
    """40 tracks in 8 playlists, no album or artist column."""
    rng = np.random.default_rng(0)
    members = [(f"p{p}", f"t{t}") for p in range(8) for t in rng.choice(40, 8, replace=False)]
    return write_dataset(tmp_path / "ds", rng.normal(size=(40, 4)).astype(np.float32), members)


QUICK = ["--max-steps", "3", "--set", "comember=false", "--json"]


def test_eval_and_train_name_the_same_contexts_on_an_untagged_data_set(tmp_path, capsys):
    ds = _untagged_dataset(tmp_path)
    lib = ["--data-dir", str(tmp_path / "lib")]
    assert cli.main(lib + ["eval", "--dataset", str(ds), "--seeds", "2", *QUICK]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert cli.main(lib + ["train", "--dataset", str(ds), "--out", str(tmp_path / "out"),
                           *QUICK]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert trained["contexts"] == ["playlist"]
    assert evaluated["contexts"] == trained["contexts"]
    assert [s["contexts"] for s in evaluated["per_seed"]] == [["playlist"], ["playlist"]]
    assert evaluated["empty_contexts"] == trained["empty_contexts"] == ["album", "artist"]
    # the metrics written with the model say the same
    assert trained["metrics"]["contexts"] == ["playlist"]
    written = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert written["contexts"] == ["playlist"]


def test_asked_for_album_alone_beside_playlists_eval_keeps_the_playlists(tmp_path, capsys):
    ds = _untagged_dataset(tmp_path)
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", str(ds),
                     "--seeds", "1", "--contexts", "playlist,album", *QUICK]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert evaluated["contexts"] == ["playlist"]
    assert evaluated["empty_contexts"] == ["album"]
