"""A training step's message (the command line's progress line, the window's status line)
quoted its loss in fixed point: a diverging run's loss of 3.4e38 read
"loss 339999999999999996123846586046231871488.000", and one of 3e-07 read "loss 0.000", as
if the model had learned everything. Only the training dock shortened it. Every message now
says a loss in a few digits; an ordinary loss reads as before ("loss 0.693")."""

from __future__ import annotations

import pytest
import torch

from musicsage.graph.config import LoopConfig
from musicsage.graph.objectives import Objective
from musicsage.graph.trainer import Trainer
from musicsage.progress import Progress
from musicsage.text import loss_text


class _Weights(torch.nn.Module):
    """The least a trainer trains: one weight and the skip gate it reads."""

    def __init__(self) -> None:
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(3))
        self.gate = torch.nn.Parameter(torch.zeros(()))


class _Constant(Objective):
    """Every step's loss is ``value`` (through a weight, so the step runs)."""

    def __init__(self, model: _Weights, value: float) -> None:
        self.model, self.value = model, value

    def prepare(self, setup) -> None:  # pragma: no cover - not used by Trainer.fit
        pass

    def loss(self):
        return self.model.w.sum() * 0 + torch.tensor(self.value, dtype=torch.float64)


@pytest.mark.parametrize("loss, said", [(3.4e38, "loss 3.4e+38"), (3e-07, "loss 3e-07"),
                                        (0.6931, "loss 0.693"), (0.0, "loss 0.000")])
def test_a_training_steps_message_says_its_loss_in_a_few_digits(loss, said):
    reports: list[Progress] = []
    model = _Weights()
    Trainer(LoopConfig(lr=0.1, warmup=1, max_steps=20, eval_every=20, select="loss",
                       threads=1), progress=reports.append).fit(model, _Constant(model, loss))
    steps = [p.message for p in reports if p.extra.get("loss") is not None]
    assert steps and all(message.split(" val ")[0] == said for message in steps), steps


@pytest.mark.parametrize("loss, decimals, said", [
    (0.693147, 3, "0.693"), (2.93817, 4, "2.9382"), (0.0, 3, "0.000"), (3.4e38, 3, "3.4e+38"),
    (3e-07, 3, "3e-07"), (123456.7, 4, "1.235e+05"), (float("nan"), 3, "nan")])
def test_a_loss_reads_in_a_few_digits(loss, decimals, said):
    assert loss_text(loss, decimals) == said
