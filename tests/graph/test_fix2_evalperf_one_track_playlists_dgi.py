"""``models`` (and ``similar``) in a library whose playlists each hold one track said
"training one needs playlists of at least two tracks … put more tracks in playlists" while
``train --objective dgi`` trains on that very library: the command line's words now add that
way; the window's do not (its Retrain has no objective to choose)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from dataset_files import write_dataset

from musicsage import cli
from musicsage.controllers.training import retrain_blocked
from musicsage.graph.reports import MIN_MEMBERSHIPS

DGI = " (or train with --objective dgi, which needs none)"


def _one_track_playlists(tmp_path, capsys):
    """A library of 40 tracks, 30 of them each in a playlist of its own."""
    features = np.random.default_rng(0).normal(size=(40, 8)).astype(np.float32)
    dataset = write_dataset(tmp_path / "ds", features, [(f"p{i}", f"t{i}") for i in range(30)])
    data_dir = tmp_path / "lib"
    assert cli.main(["--data-dir", str(data_dir), "import", str(dataset)]) == 0
    capsys.readouterr()
    return data_dir


def test_models_offers_dgi_which_trains_there(tmp_path, capsys):
    lib = str(_one_track_playlists(tmp_path, capsys))
    assert cli.main(["--data-dir", lib, "models"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("no graph models yet: training one needs playlists of at least "
                           "two tracks")
    assert line.endswith(f"put more tracks in playlists{DGI}")
    assert cli.main(["--data-dir", lib, "train", "--objective", "dgi", "--max-steps", "2"]) == 0


def test_the_window_s_words_do_not_name_the_flag():
    one_each = [(p, p) for p in range(MIN_MEMBERSHIPS)]
    blocked = retrain_blocked(SimpleNamespace(empty=False, memberships=one_each, playlists=[],
                                              usable_memberships=MIN_MEMBERSHIPS))
    assert blocked is not None and blocked.endswith("put more tracks in playlists")
    assert "--objective" not in blocked
