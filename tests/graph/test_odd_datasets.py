"""`train --dataset` with input it cannot use: odd option values, features out of float32's
range, contexts the tracks lack, an OUT that cannot be written. Each is a one-line refusal
(exit 1) before anything is written, never a crash nor NaN vectors."""

from __future__ import annotations


import numpy as np
import pytest

from dataset_files import last_error_line, write_dataset
from musicsage import cli
from musicsage.errors import MusicsageError


@pytest.mark.parametrize("option, message", [
    ("lr=-1", "lr must be a number, 0 or more"),     # trained uphill, exit 0
    ("lr=nan", "lr must be a number, 0 or more"),    # NaN vectors
    ("context_lr=-0.5", "context_lr must be"),
    ("tau=0", "tau must be between 0.02 and 100"),   # NaN vectors
    ("num_walks=0", "num_walks"),                    # killed by SIGFPE in DGL
    ("dropout=2", "dropout and context_dropout"),    # crash (exit 70)
    ("threads=-1", "threads must be"),               # crash (exit 70)
    ("folds=1", "folds must be at least 2"),         # one fold: no pair, ever
    ("negatives=-3", "negatives 0 or more"),
    ("negative_pool=some", "negative_pool must be"),  # crash (exit 70)
    ("patience=0", "patience must be at least 1"),   # every run stopped at its first check
    ("warmup=-1", "warmup and min_steps must be 0 or more"),
    ("dim=0", "--set dim must be at least 1, got 0"),   # said neither which nor the value
    ("dim=-1", "--set dim must be at least 1, got -1"),
    ("hidden=0", "--set hidden must be at least 1, got 0"),
    ("layers=-1", "--set layers must be 0 or more, got -1"),
    ("dgi_contexts=foo", "--set dgi_contexts must be one of off, corrupt, got 'foo'"),  # trained
    ("gate_lr=abc", "--set gate_lr expects a number or none"),  # crash (exit 70)
])
def test_bad_training_option_values_are_refused_in_one_line(option, message, dataset,
                                                            tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(out), "--max-steps", "5", "--set", option, "--json"])
    assert rc == 1
    last = last_error_line(capsys)
    assert last.startswith("musicsage train: ") and message in last
    assert not out.exists()


@pytest.mark.parametrize("option, message", [
    ("dim=nan", "--set dim expects a whole number, got 'nan'"),  # "expected a int"
    ("seed=1e3", "--set seed expects a whole number, got '1e3'"),
    ("lr=abc", "--set lr expects a number, got 'abc'"),
    ("gate_lr=abc", "--set gate_lr expects a number or none, got 'abc'"),  # crash (exit 70)
    ("threads=some", "--set threads expects a whole number or none, got 'some'"),  # crash
    ("two_hop=1", "--set two_hop expects true or false, got '1'"),
    ("dim=none", "--set dim expects a whole number, got 'none'"),
])
def test_option_values_of_the_wrong_type_say_what_the_option_expects(option, message):
    from musicsage.graph.config import parse_options

    with pytest.raises(MusicsageError) as err:
        parse_options([option])
    assert str(err.value) == message


@pytest.mark.parametrize("objective", ["dgi", "infonce"])
def test_dgi_contexts_is_checked_before_the_run_whatever_the_objective(objective, dataset,
                                                                       tmp_path, capsys):
    """``dgi_contexts=foo`` trained a model when the objective was not DGI; with DGI the
    objective refused it once the run had begun. Both are refused by the config, which knows
    the DGI modes without importing the objective (and torch's DGI code)."""
    from musicsage.graph.config import DGI_CONTEXTS, TrainConfig
    from musicsage.graph.dgi import CONTEXT_MODES

    assert DGI_CONTEXTS == CONTEXT_MODES
    with pytest.raises(MusicsageError, match="dgi_contexts must be one of off, corrupt"):
        TrainConfig(dgi_contexts="foo")
    out = tmp_path / "out"
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(out), "--objective", objective, "--max-steps", "5",
                   "--set", "dgi_contexts=corupt"])
    assert rc == 1 and not out.exists()
    assert last_error_line(capsys) == ("musicsage train: --set dgi_contexts must be one of off, "
                                       "corrupt, got 'corupt'")


def test_encoder_sizes_out_of_range_name_the_size_and_its_value():
    from musicsage.graph.model import EncoderConfig

    for field, value, said in (("dim", 0, "dim must be at least 1, got 0"),
                               ("hidden", -2, "hidden must be at least 1, got -2"),
                               ("layers", -1, "layers must be 0 or more, got -1")):
        with pytest.raises(MusicsageError) as err:
            EncoderConfig(**{field: value})
        assert str(err.value) == said


def test_option_values_keep_their_type():
    from musicsage.graph.config import parse_options

    assert parse_options(["dim= 24", "lr=1e-2", "dropout=0", "gate_lr=none", "threads=2",
                          "two_hop=False", "objective=hinge", "pretrain=none"]) == {
        "dim": 24, "lr": 0.01, "dropout": 0.0, "gate_lr": None, "threads": 2,
        "two_hop": False, "objective": "hinge", "pretrain": None}


def test_features_beyond_float32_are_refused_as_such(tmp_path, capsys):
    rng = np.random.default_rng(0)
    members = [(f"p{p}", f"t{t}") for p in range(8) for t in rng.choice(40, 8, replace=False)]
    ds = write_dataset(tmp_path / "ds", rng.normal(size=(40, 4)) * 1e39, members)
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(ds),
                   "--out", str(tmp_path / "out"), "--max-steps", "5"])
    assert rc == 1
    assert "beyond float32's range" in last_error_line(capsys)


def test_a_diverged_model_writes_no_vectors(dataset):
    import torch

    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import make_config, train_and_evaluate

    data = GraphData.from_dataset_dir(dataset)
    result, _, _ = train_and_evaluate(data, config=make_config(max_steps=2), holdout=0)
    with torch.no_grad():
        next(result.model.parameters()).fill_(float("nan"))
    with pytest.raises(MusicsageError, match="training diverged"):
        result.embed(data)


def test_metadata_contexts_on_tracks_without_them_say_what_is_missing(tmp_path, capsys):
    # tracks.csv without album/artist columns: the message was "no contexts switched on"
    rng = np.random.default_rng(0)
    members = [(f"p{p}", f"t{t}") for p in range(8) for t in rng.choice(40, 8, replace=False)]
    ds = write_dataset(tmp_path / "ds", rng.normal(size=(40, 4)).astype(np.float32), members)
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(ds),
                   "--out", str(tmp_path / "out"), "--max-steps", "5",
                   "--contexts", "album,artist"])
    assert rc == 1
    last = last_error_line(capsys)
    assert "--contexts album,artist: the tracks have no album or artist" in last


def test_an_out_folder_under_a_file_is_refused_before_training(dataset, tmp_path, capsys):
    # refused only after the whole training, on the OS's message
    (tmp_path / "afile").write_text("mine")
    progress = []
    from musicsage.graph.jobs import train_dataset

    with pytest.raises(MusicsageError, match="afile is a file, not a directory"):
        train_dataset(dataset, tmp_path / "afile" / "out",
                      progress=lambda *a, **k: progress.append(a))
    assert progress == [] and (tmp_path / "afile").read_text() == "mine"


@pytest.mark.parametrize("file, content, message", [
    # pandas said "No columns to parse from file"
    ("memberships.csv", b"", "memberships.csv is empty: missing column(s) playlist_id, "
                             "track_id; write at least a header row: playlist_id,track_id"),
    ("tracks.csv", b"track_id,title\nt0,Caf\xe9\n",  # "'utf-8' codec can't decode …"
     "tracks.csv is not UTF-8 text (byte 0xe9 on line 2): save it as UTF-8"),
    ("tracks.csv", b"track_id\nt0\n\"\"\nt2\n", "tracks.csv line 3: empty track_id"),  # read
])
def test_a_file_that_cannot_be_read_is_named_with_what_to_do(file, content, message,
                                                             tmp_path, capsys):
    ds = write_dataset(tmp_path / "ds", np.zeros((3, 2), np.float32),
                       [("p", "t0"), ("p", "t2")])
    (ds / file).write_bytes(content)
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", str(ds)])
    last = last_error_line(capsys)
    assert rc == 1 and last.startswith(f"musicsage eval: {ds}/{message}"), last


def test_a_dataset_dir_is_never_trained_into(dataset, tmp_path, capsys):
    """``train --dataset D --out D`` wrote its files into D and marked D as this app's output;
    an ``export D`` then replaced the user's tracks.csv and features.npy without a word. D,
    or another folder holding a dataset dir's tracks.csv, is refused before training."""
    import shutil

    mine = shutil.copytree(dataset, tmp_path / "mine")
    other = shutil.copytree(dataset, tmp_path / "other")
    before = sorted(p.name for p in mine.iterdir())
    for out, message in [(mine, "is the dataset dir itself"),
                         (other, "holds a dataset dir (tracks.csv) that musicsage did not")]:
        rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(mine),
                       "--out", str(out), "--max-steps", "5"])
        assert rc == 1 and message in last_error_line(capsys)
        assert sorted(p.name for p in out.iterdir()) == before  # no mark, nothing written



def test_too_few_memberships_are_refused_in_one_line_that_says_what_to_do(tmp_path, capsys):
    """The window shows this line after Retrain on a library with two small playlists: it
    said what was short, not what to do about it."""
    rng = np.random.default_rng(0)
    members = [(f"p{p}", f"t{t}") for p in range(2) for t in rng.choice(40, 6, replace=False)]
    ds = write_dataset(tmp_path / "ds", rng.normal(size=(40, 4)), members)
    out = tmp_path / "out"
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(ds),
                   "--out", str(out), "--max-steps", "5"])
    assert rc == 1 and not out.exists()
    assert last_error_line(capsys) == ("musicsage train: the graph model needs more playlists: "
                                       "12 playlist memberships; at least 20 are needed — put "
                                       "more tracks in playlists")


@pytest.mark.parametrize("command", ["train", "eval"])
def test_a_tracks_csv_of_a_header_alone_is_refused_as_holding_no_track(tmp_path, capsys,
                                                                       command):
    """A tracks.csv of its header alone was refused as "0 playlist memberships … put more
    tracks in playlists": there were no tracks to put anywhere."""
    d = write_dataset(tmp_path / "ds", np.zeros((0, 4), np.float32), [])
    out = ["--out", str(tmp_path / "out")] if command == "train" else ["--seeds", "1"]
    assert cli.main([command, "--dataset", str(d), *out, "--max-steps", "2"]) == 1
    assert last_error_line(capsys) == (
        f"musicsage {command}: {d / 'tracks.csv'} holds no track (its header alone): nothing "
        "to train on or evaluate; add one row per track")
    assert not (tmp_path / "out").exists()
