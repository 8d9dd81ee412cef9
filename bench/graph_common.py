"""Shared pieces of the graph benchmarks: one timed run per (method, seed), tables, targets."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from musicsage.graph.evaluate import aggregate, evaluate, mean_pairwise_cosine  # noqa: E402
from musicsage.graph.split import holdout_split  # noqa: E402
from musicsage.graph.config import TrainConfig  # noqa: E402
from musicsage.graph.train import train  # noqa: E402


def set_threads(n: int) -> None:
    import torch

    os.environ["OMP_NUM_THREADS"] = str(n)
    torch.set_num_threads(n)


def machine_load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def run_pinsage(data, seed: int, contexts, config: TrainConfig, *, log=None) -> dict:
    """Train on seed's split, embed every track, evaluate: the eval JSON plus timings."""
    split = holdout_split(data.memberships, seed=seed)
    cfg = config.with_(seed=seed)

    def on_progress(p):
        if log and p.extra.get("val_hr10") is not None:
            log(f"    step {p.extra['step']:5d} loss {p.extra['loss']:.3f} "
                f"val HR@10 {p.extra['val_hr10']:.4f} cos {p.extra['mean_cos']:.3f}")

    t0 = time.perf_counter()
    result = train(data, split.train_memberships, contexts=contexts, config=cfg,
                   progress=on_progress)
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb = result.embed(data)
    t_embed = time.perf_counter() - t0
    out = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
    out.update(mean_cos=mean_pairwise_cosine(emb), train_seconds=t_train,
               embed_seconds=t_embed, steps=result.steps, best_step=result.best_step,
               best_val_hr10=result.best_val_hr10,
               seconds_per_step=t_train / max(result.steps, 1))
    return out


def run_embedding_fn(data, seed: int, contexts, fn) -> dict:
    """Evaluate a baseline ``fn(data, split, contexts, seed) -> embeddings`` on seed's split."""
    split = holdout_split(data.memberships, seed=seed)
    t0 = time.perf_counter()
    emb = fn(data, split, contexts, seed)
    seconds = time.perf_counter() - t0
    out = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
    out.update(mean_cos=mean_pairwise_cosine(emb), train_seconds=seconds)
    return out


def summarise(runs: list[dict]) -> dict:
    agg = aggregate(runs)
    agg["runs"] = runs
    return agg


def row(name: str, agg: dict) -> str:
    g, s = agg["graph"], agg["std"]["graph"]
    c = agg["cold_start"]
    return (f"{name:34s} {g['hr@10']:.4f}±{s['hr@10']:.4f} {g['hr@50']:.4f} {g['hr@100']:.4f} "
            f"{g['mrr']:.4f}±{s['mrr']:.4f}  {c['graph']['hr@10']:.4f}/{c['audio']['hr@10']:.4f}"
            f"  {agg.get('mean_cos', float('nan')):+.3f} {agg.get('train_seconds', 0):7.0f}s")


HEADER = (f"{'method':34s} {'HR@10':13s} {'HR@50':6s} {'HR@100':6s} {'MRR':13s}  "
          f"{'cold HR@10 g/a':15s}  {'cos':6s} {'train':>8s}")


def audio_row(agg: dict) -> str:
    a, s = agg["audio"], agg["std"]["audio"]
    return (f"{'audio-only (z-scored cosine)':34s} {a['hr@10']:.4f}±{s['hr@10']:.4f} "
            f"{a['hr@50']:.4f} {a['hr@100']:.4f} {a['mrr']:.4f}±{s['mrr']:.4f}")


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=float))


def std_ratio(agg: dict) -> float:
    return agg["std"]["graph"]["hr@10"] / max(agg["graph"]["hr@10"], 1e-12)


__all__ = ["np", "run_pinsage", "run_embedding_fn", "summarise", "row", "HEADER", "audio_row",
           "write_json", "std_ratio", "set_threads", "machine_load"]
