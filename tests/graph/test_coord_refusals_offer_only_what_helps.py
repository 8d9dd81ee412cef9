"""Two refusals offered a way out that does not work: ``eval`` refused on every seed offered
", or give a smaller --holdout" where a smaller hold-out helped seed 0 but not another seed;
``models`` in a library of one-track playlists offered ``--objective dgi`` where too few of
the tracks have vectors for dgi either (it refuses them the same way)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from dataset_files import write_dataset

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph import split_checks
from musicsage.graph.split import TooFewLeftByTheHoldOut


def _refusing(by_seed: dict[int, MusicsageError]):
    def checked(_data, config, _holdout):
        raise by_seed[config.seed]
    return checked


@pytest.mark.parametrize("second_helped", [True, False])
def test_a_smaller_hold_out_is_offered_only_where_it_helps_every_seed(monkeypatch,
                                                                     second_helped):
    from musicsage.graph.config import TrainConfig

    first = TooFewLeftByTheHoldOut("8 left for training; at least 10 are needed")
    second = (TooFewLeftByTheHoldOut if second_helped else MusicsageError)(
        "9 left for training after the evaluation held out 0")
    monkeypatch.setattr(split_checks, "require_memberships", lambda data: None)
    monkeypatch.setattr(split_checks, "checked_split", _refusing({0: first, 1: second}))

    with pytest.raises(MusicsageError) as caught:
        split_checks.check_every_split(None, TrainConfig().with_(seed=0), 2, 0.3)

    assert str(caught.value) == str(first)  # said bare: every seed is refused
    assert isinstance(caught.value, TooFewLeftByTheHoldOut) == second_helped


def test_dgi_is_not_offered_where_too_few_tracks_have_vectors(tmp_path, capsys):
    features = np.random.default_rng(0).normal(size=(40, 8)).astype(np.float32)
    dataset = write_dataset(tmp_path / "ds", features, [(f"p{i}", f"t{i}") for i in range(30)])
    lib = tmp_path / "lib"
    assert cli.main(["--data-dir", str(lib), "import", str(dataset)]) == 0
    db = sqlite3.connect(lib / "library.sqlite3")
    with db:
        db.execute("DELETE FROM audio_embeddings WHERE track_id IN"
                   " (SELECT id FROM tracks ORDER BY id LIMIT 20)")
    db.close()
    capsys.readouterr()

    assert cli.main(["--data-dir", str(lib), "models"]) == 0
    line = capsys.readouterr().out.strip()
    assert "--objective dgi" not in line
    assert line.endswith("put more tracks in playlists")
    assert cli.main(["--data-dir", str(lib), "train", "--objective", "dgi",
                     "--max-steps", "2"]) != 0  # dgi refuses it too: no false way out
