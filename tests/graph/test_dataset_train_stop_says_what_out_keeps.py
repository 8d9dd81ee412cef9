"""`train --dataset DIR --out OUT` stopped by Ctrl-C or SIGTERM says what OUT holds: it said
"interrupted" alone, and a user whose OUT held an earlier run's files could not tell whether
they were kept or half replaced (a library's `train` names the model it keeps)."""

from __future__ import annotations

import signal

import pytest

from dataset_files import last_error_line, round_robin_dataset
from musicsage import cli
from musicsage.commands.stopping import Terminated
from musicsage.usecases import training


def _stop_training(monkeypatch, stop: BaseException, write_first=None) -> None:
    """Make the dataset run stop with ``stop`` (a Ctrl-C, a SIGTERM) part way, after
    ``write_first(out)`` when given (another run into OUT that ended meanwhile)."""
    def stopped(dataset, out, **_options):
        if write_first is not None:
            write_first(out)
        raise stop

    monkeypatch.setattr(training, "train_graph_dataset", stopped)


def _train(tmp_path, dataset, out) -> int:
    return cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     "--out", str(out), "--max-steps", "2"])


@pytest.fixture
def trained_out(tmp_path):
    """A dataset dir, and an OUT holding the files of a finished run into it."""
    dataset = round_robin_dataset(tmp_path / "ds")
    out = tmp_path / "out"
    assert _train(tmp_path, dataset, out) == 0
    return dataset, out


def test_a_stop_says_the_earlier_files_of_out_are_kept(trained_out, tmp_path, monkeypatch,
                                                        capsys):
    dataset, out = trained_out
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    _stop_training(monkeypatch, KeyboardInterrupt())
    assert _train(tmp_path, dataset, out) == 128 + signal.SIGINT
    assert last_error_line(capsys) == (f"musicsage train: interrupted: {out} keeps the files "
                                       "it had (nothing of this run was written)")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_stop_says_nothing_was_written_to_a_new_out(tmp_path, monkeypatch, capsys):
    dataset = round_robin_dataset(tmp_path / "ds")
    out = tmp_path / "out"
    _stop_training(monkeypatch, Terminated())
    assert _train(tmp_path, dataset, out) == 128 + signal.SIGTERM
    assert last_error_line(capsys) == (f"musicsage train: terminated: nothing was written to "
                                       f"{out}")


def test_a_stop_says_when_the_files_of_out_changed_meanwhile(trained_out, tmp_path,
                                                             monkeypatch, capsys):
    """Another run into OUT, waited for, may have replaced its files before the stop: "kept"
    would then be false."""
    dataset, out = trained_out
    capsys.readouterr()

    def another_run(folder) -> None:
        metrics = out / "metrics.json"
        replacement = out / "metrics.json.new"
        replacement.write_text(metrics.read_text())
        replacement.replace(metrics)

    _stop_training(monkeypatch, KeyboardInterrupt(), another_run)
    assert _train(tmp_path, dataset, out) == 128 + signal.SIGINT
    assert last_error_line(capsys) == (f"musicsage train: interrupted: {out} holds the files "
                                       "of a run that ended meanwhile (this one's or "
                                       f"another's): see {out / 'metrics.json'}")


def test_a_stop_as_this_runs_save_finished_says_out_holds_a_whole_run(tmp_path, monkeypatch,
                                                                      capsys):
    """The save into a new OUT finished just as Ctrl-C came: OUT holds that run's files,
    whole — "the files in OUT changed while it ran" read as if they were half written."""
    dataset = round_robin_dataset(tmp_path / "ds")
    finished = tmp_path / "finished"
    assert _train(tmp_path, dataset, finished) == 0
    out = tmp_path / "out"
    capsys.readouterr()

    def own_save(folder) -> None:
        out.mkdir()
        for name in ("embeddings.npy", "model.pt", "metrics.json"):
            (out / name).write_bytes((finished / name).read_bytes())

    _stop_training(monkeypatch, KeyboardInterrupt(), own_save)
    assert _train(tmp_path, dataset, out) == 128 + signal.SIGINT
    line = last_error_line(capsys)
    assert line == (f"musicsage train: interrupted: {out} holds the files of a run that ended "
                    f"meanwhile (this one's or another's): see {out / 'metrics.json'}")
    assert "changed while it ran" not in line
