"""A training option with a fixed set of values (``--set objective=foo``, ``--objective foo``)
is refused in one line before the library is read: on a large library the read took minutes,
and only then came the refusal."""

from __future__ import annotations

import pytest

import musicsage.usecases.training as training
from musicsage.cli import main
from musicsage.graph import config


def _choice_options() -> list[str]:
    return [key for key in config.option_names() if config._option_type(key)[0] is str]


def test_every_text_option_has_its_choices():
    # a text option without choices took any value and failed once the run had started
    assert _choice_options() and all(config._choices(key) for key in _choice_options())


def test_the_objective_names_are_the_trainers():
    from musicsage.graph.train import objective_names

    assert sorted(config.OBJECTIVE_NAMES) == objective_names()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> str:
    """A library of one scanned track (nothing to train on: any read would fail anyway)."""
    import numpy as np
    import soundfile as sf

    music = tmp_path_factory.mktemp("music")
    data = tmp_path_factory.mktemp("library")
    sf.write(music / "a.wav", np.zeros(22050, np.float32), 22050)
    assert main(["--data-dir", str(data), "scan", str(music)]) == 0
    return str(data)


@pytest.fixture
def no_read(monkeypatch):
    """Reading the library (or a dataset dir) fails the test: the refusal must come first."""
    def read(*_args, **_kwargs):
        raise AssertionError("the data were read before the option was checked")

    for name in ("train_graph", "train_graph_dataset", "evaluate_graph",
                 "evaluate_graph_dataset"):
        monkeypatch.setattr(training, name, read)


def _one_line(capsys, argv: list[str]) -> str:
    assert main(argv) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("command", ["train", "eval"])
@pytest.mark.parametrize("key", _choice_options())
def test_a_bad_choice_is_refused_before_the_data_are_read(data_dir, capsys, no_read, command,
                                                          key):
    line = _one_line(capsys, ["--data-dir", data_dir, command, "--set", f"{key}=foo"])
    assert line.startswith(f"musicsage {command}: --set {key} must be one of ")
    assert line.endswith(", got 'foo'") and config._choices(key)[0] in line


@pytest.mark.parametrize("command", ["train", "eval"])
def test_an_unknown_objective_is_refused_before_the_data_are_read(data_dir, capsys, no_read,
                                                                 command):
    line = _one_line(capsys, ["--data-dir", data_dir, command, "--objective", "foo"])
    assert line == (f"musicsage {command}: --objective must be one of infonce, hinge, dgi, "
                    "got 'foo'")  # the words of --set objective=foo's refusal
