"""A run whose vectors are NaN or infinite is refused before any file is written, with one
line that the command line prints and the window shows as it is (the Training dock's
"Training failed: …", its notification through ``window_note``, which maps only the shared
hints). It said "train again with a smaller lr (--set lr=...)": a window user has no --set,
and Retrain trains with the default lr, diverging again. The line now gives the command
line's way on with a value (a tenth of the lr that diverged) and says it is a setting of the
command line, not the window's."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError


@pytest.fixture(scope="module")
def diverged(dataset):
    """(a trained result whose weights were made NaN, its data): a run that diverged."""
    import torch

    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import make_config, train_and_evaluate

    data = GraphData.from_dataset_dir(dataset)
    result, _, _ = train_and_evaluate(data, config=make_config(max_steps=2), holdout=0)
    with torch.no_grad():
        next(result.model.parameters()).fill_(float("nan"))
    return result, data


def _line(result, data) -> str:
    with pytest.raises(MusicsageError) as caught:
        result.embed(data)
    return str(caught.value)


def test_the_line_keeps_the_command_lines_way_on_with_a_value(diverged):
    result, data = diverged
    assert result.config.loop.lr == pytest.approx(1e-3)  # the default, as Retrain trains
    line = _line(result, data)
    assert line.startswith("training diverged: the model's vectors hold NaN or infinite")
    assert "train again with a smaller lr than 0.001 (--set lr=0.0001 on the command line" \
        in line, line
    assert "--set lr=..." not in line and len(line.splitlines()) == 1


def test_the_window_is_told_the_setting_is_the_command_lines(diverged):
    """The window's two places show the use case's line: the dock as it is, the
    notification through ``window_note`` — whose output must not send a window user to a
    flag as if the window had one."""
    from musicsage.controllers.wording import window_note

    result, data = diverged
    line = _line(result, data)
    for shown in (line, window_note(line)):
        assert "the window's Retrain has no such setting" in shown, shown


def test_a_run_at_another_lr_is_told_a_tenth_of_it(diverged):
    from dataclasses import replace

    result, data = diverged
    config = replace(result.config, loop=replace(result.config.loop, lr=0.05))
    line = _line(replace(result, config=config), data)
    assert "a smaller lr than 0.05 (--set lr=0.005 on the command line" in line, line
