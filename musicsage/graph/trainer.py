"""The training loop, once: Adam with warm-up, validation, patience, the best state kept.

Whatever the objective (:mod:`musicsage.graph.objectives`), the loop is the same:

- Adam over the encoder's weights (context vectors in their own group with ``context_lr``, or
  left out when the objective does not train them) plus the objective's own parameters;
  linear warm-up over ``warmup`` steps.
- Every ``eval_every`` steps: the mean loss since the last check, validation HR@10 and the mean
  pairwise cosine (the collapse watch) when a :class:`Validation` is given; the state with the
  best score is kept (``select``), and ``patience`` checks without a new best stop the run —
  never before ``min_steps``.
- With ``ema`` > 0 an exponential moving average of the weights is kept beside them;
  validation scores it, and it is the state kept.
- torch's thread count is set for the run and restored; ``cancel`` is polled every step;
  progress goes out as ``report(progress, stage, step, max_steps, message, step=, loss=
  [, val_hr10=, mean_cos=])`` every 10 steps, ``loss`` the mean of the last 10 steps' losses
  every time. (The checks once reported their own mean since the last check instead: at the
  first check that mean still held the first steps' high losses, and the curve showed a
  spike at step 100 that no step had.) A run that stops early ends with one more report,
  ``done == total`` and the message "stopped early at step N, best at M".
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from musicsage.audio.threads import torch_threads
from musicsage.graph.build import ContextGraph
from musicsage.graph.config import LoopConfig
from musicsage.graph.data import GraphData
from musicsage.graph.evaluate import mean_pairwise_cosine, validation_metrics
from musicsage.graph.inference import embed_tracks, inference_tables
from musicsage.graph.objectives import Objective
from musicsage.graph.reports import VAL_KEYS
from musicsage.graph.sampler import WalkParams
from musicsage.graph.split import Split
from musicsage.progress import KEEP, CancelToken, ProgressFn, check_cancel, report
from musicsage.text import loss_text


#: steps per progress report; the loss a report carries is the mean over them
REPORT_EVERY = 10


class Validation:
    """Validation HR@10 of an encoder on a split carved from the training memberships:
    embeddings on ``graph`` (the split's training part) over neighbourhood tables sampled
    once, so two checks of the same weights give the same score."""

    def __init__(self, data: GraphData, graph: ContextGraph, split: Split, walk: WalkParams,
                 layers: int, *, seed: int) -> None:
        self.data, self.graph, self.split, self.walk = data, graph, split, walk
        self.tables = inference_tables(graph, walk, layers, seed=seed)

    def __call__(self, model) -> dict[str, float]:
        emb = self.embed(model)
        m = self.metrics(emb)
        return {"val_hr10": m["hr@10"], "val_mrr": m["mrr"],
                "mean_cos": mean_pairwise_cosine(emb, sample=1000)}

    def embed(self, model) -> np.ndarray:
        """Every track's vector on the validation graph (the tables sampled once)."""
        return embed_tracks(model, self.data, self.graph, self.walk, tables=self.tables)

    def metrics(self, emb: np.ndarray) -> dict[str, float]:
        """HR@10 and MRR of ``emb`` on the validation pairs."""
        return validation_metrics(emb, self.split, self.data.n_tracks, self.data.n_playlists)


@dataclass
class FitResult:
    history: list[dict] = field(default_factory=list)
    best_step: int = 0
    #: None when no validation ran (no split, or selection by loss): 0.0 read as a score
    best_val_hr10: float | None = None
    steps: int = 0
    seconds: float = 0.0
    #: steps whose batch gave a loss (0: the objective found nothing to learn from)
    loss_steps: int = 0
    #: (step, loss) of every progress report that gave a loss: the curve the window draws,
    #: saved with the model so that it can be drawn again for the model in use
    curve: list[tuple[int, float]] = field(default_factory=list)


class Trainer:
    """Runs an objective on a model with one :class:`LoopConfig` (see module doc)."""

    def __init__(self, loop: LoopConfig, *, stage: str = "train",
                 progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                 on_step: Callable[[int, Objective], None] | None = None) -> None:
        self.loop, self.stage = loop, stage
        self.progress, self.cancel, self.on_step = progress, cancel, on_step

    def fit(self, model, objective: Objective, validation: Validation | None = None
            ) -> FitResult:
        """Train ``model`` in place (``objective`` already prepared); the best state is loaded
        back and the model left in eval mode."""
        with torch_threads(self.loop.torch_threads):  # restored safely beside other threads
            out = self._fit(model, objective, validation)
        self._report_early_stop(out)
        return out

    def _report_early_stop(self, out: FitResult) -> None:
        """A run that early stopping ended before ``max_steps`` says so in one last report,
        its bar complete (``done == total == steps``) and kept on screen (:data:`KEEP`).
        It carries no ``step``: the window's bar, busy while all it knew was the step limit,
        shows the run complete, with the message. Without it the command line's bar stayed
        at "500/3000 17%", as if the run had broken off."""
        if out.steps >= self.loop.max_steps:
            return
        report(self.progress, self.stage, out.steps, out.steps,
               f"stopped early at step {out.steps}, best at {out.best_step}",
               stopped_early=True, best_step=out.best_step, **{KEEP: True})

    def _optimizer(self, model, objective: Objective):
        c = self.loop
        contexts, gate, dense = [], [], []
        for name, p in model.named_parameters():
            (contexts if name.startswith("project.contexts")
             else gate if name == "gate" else dense).append(p)
        groups = [{"params": dense + objective.parameters(), "lr": c.lr},
                  {"params": gate, "lr": c.gate_lr or c.lr}]
        if objective.trains_contexts and contexts:
            groups.append({"params": contexts, "lr": c.context_lr})
        opt = torch.optim.Adam(groups, weight_decay=c.weight_decay)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, (s + 1) / max(1, c.warmup)))
        return opt, sched

    def _validate_start(self, model, validation: Validation, out: FitResult,
                        started: float) -> tuple[float, dict]:
        """The untrained state's validation score and a copy of it: the first state to beat
        (step 0 in the history)."""
        val = validation(model)
        model.train()
        _record(out, 0, None, val, model, started)
        return val[VAL_KEYS[self.loop.val_metric]], copy.deepcopy(model.state_dict())

    def _fit(self, model, objective: Objective, validation: Validation | None) -> FitResult:
        c = self.loop
        started = time.perf_counter()
        model.train()
        opt, sched = self._optimizer(model, objective)
        by_val = c.select == "val" and validation is not None
        out = FitResult()
        best, best_state, bad, losses, step = None, None, 0, [], 0
        # Weight averaging: validate and keep the exponential moving average of the weights.
        averaged = copy.deepcopy(model) if c.ema > 0 else model
        averaged_params = (list(zip(averaged.parameters(), model.parameters()))
                           if c.ema > 0 else [])
        if by_val and c.keep_start:
            best, best_state = self._validate_start(averaged, validation, out, started)
        report(self.progress, self.stage, 0, c.max_steps, "sampling", step=0)
        for step in range(1, c.max_steps + 1):
            check_cancel(self.cancel)
            loss = objective.loss()
            if loss is not None:
                _descend(loss, opt, sched, averaged_params, c.ema)
                losses.append(float(loss.detach()))  # newer torch warns on float(loss)
            if self.on_step is not None:
                self.on_step(step, objective)
            if step % c.eval_every and step != c.max_steps:
                if step % REPORT_EVERY == 0 and losses:
                    recent = _mean_of_last(losses, REPORT_EVERY)
                    out.curve.append((step, recent))
                    report(self.progress, self.stage, step, c.max_steps,
                           f"loss {loss_text(recent)}", step=step, loss=recent)
                continue
            mean_loss, recent = (_mean_of_last(losses, c.eval_every),
                                 _mean_of_last(losses, REPORT_EVERY))
            val = validation(averaged) if validation is not None else {}
            model.train()
            # no loss yet (no batch had a pair): null in the history, NaN is not JSON
            _record(out, step, mean_loss if losses else None, val, model, started)
            if losses:
                out.curve.append((step, recent))
            score = (val[VAL_KEYS[c.val_metric]] if by_val
                     else -mean_loss if losses else -np.inf)
            if best is None or score > best:
                best, out.best_step, bad = score, step, 0
                best_state = copy.deepcopy(averaged.state_dict())
            else:
                bad += 1
            text = (f"loss {loss_text(recent)}"
                    + (f" val HR@10 {val['val_hr10']:.3f}" if val else ""))
            report(self.progress, self.stage, step, c.max_steps, text, step=step,
                   loss=recent, **val)
            if bad >= c.patience and step >= c.min_steps:
                break
        if best_state is not None:
            model.load_state_dict(best_state)
        model.eval()
        out.steps, out.seconds = step, time.perf_counter() - started
        out.loss_steps = len(losses)
        out.best_val_hr10 = max((h["val_hr10"] for h in out.history if "val_hr10" in h),
                                default=None) if by_val else None
        return out


def _record(out: FitResult, step: int, loss: float | None, val: dict, model,
            started: float) -> None:
    """One validation's entry in the run's history (what the loss curve and metrics.json show)."""
    out.history.append({"step": step, "loss": loss, **val, "gate": float(model.gate),
                        "seconds": time.perf_counter() - started})


def _mean_of_last(losses: list[float], n: int) -> float:
    """Mean of the last ``n`` losses (NaN before the first)."""
    return float(np.mean(losses[-n:])) if losses else float("nan")


def _descend(loss, opt, sched, averaged_params, ema: float) -> None:
    """One optimiser step on ``loss``, then the weight average follows (when ``ema`` > 0)."""
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    with torch.no_grad():
        for p_avg, p in averaged_params:
            p_avg.lerp_(p, 1.0 - ema)
