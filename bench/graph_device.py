"""The graph model on the CPU and on a CUDA GPU: training steps per second and inference time.

    PYTHONPATH=$PWD .venv/bin/python bench/graph_device.py [--tracks 20000] [--steps 300]
        [--devices cpu,cuda] [--data DIR] [--threads N]

On a generated library (``bench/scale_data.py``: 753-d features, playlists, albums, artists;
written once into a temporary dir) or a dataset dir given with ``--data``, for each device:

- **training**: the product's defaults (batch 512, 64-d, 2 layers, InfoNCE) for ``--steps``
  steps on a seeded 10% hold-out split; *steps/s* is 1 / the median time between two steps
  (validation steps do not move the median), with the share of it spent sampling on the CPU
  (PinSAGE walks and blocks stay on the CPU whatever the device);
- **inference**: every track embedded over precomputed neighbourhood tables (median of 3; the
  transfers to and from the device included), and the tables' sampling once (CPU);
- **quality**: HR@10 of the trained model on the held-out pairs, so a fast device that learns
  worse shows; and, with both devices, the largest difference between the vectors one
  CPU-trained model gives on the CPU and on the GPU (same weights, same tables).

A device torch does not see is skipped with a message (and recorded as skipped). Writes
``bench/results/graph_device.json``. About 1–2 minutes on a 16-core machine with a GPU.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from musicsage.graph.build import build_context_graph  # noqa: E402
from musicsage.graph.config import TrainConfig  # noqa: E402
from musicsage.graph.data import CONTEXT_TYPES, GraphData  # noqa: E402
from musicsage.graph.evaluate import evaluate  # noqa: E402
from musicsage.graph.inference import embed_tracks, inference_tables  # noqa: E402
from musicsage.graph.sampler import FoldSampler  # noqa: E402
from musicsage.graph.split import protocol_split  # noqa: E402
from musicsage.graph.train import train  # noqa: E402

RESULTS = REPO / "bench" / "results"


class SamplingClock:
    """Seconds spent in ``FoldSampler.sample`` (the CPU part of a step) while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = FoldSampler.sample

    def __enter__(self) -> "SamplingClock":
        clock, original = self, self._original

        def timed(sampler, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(sampler, *args, **kwargs)
            finally:
                clock.seconds += time.perf_counter() - started

        FoldSampler.sample = timed
        return self

    def __exit__(self, *exc) -> None:
        FoldSampler.sample = self._original


def load_data(args) -> tuple[GraphData, str]:
    if args.data:
        return GraphData.from_dataset_dir(args.data), str(args.data)
    from scale_data import generate

    where = Path(tempfile.gettempdir()) / f"musicsage-graph-device-{args.tracks}"
    generate(where, args.tracks)
    return GraphData.from_dataset_dir(where), f"bench/scale_data.py --tracks {args.tracks}"


def train_on(device: str, data: GraphData, split, config: TrainConfig) -> dict:
    """One training run on ``device``: step times, sampling share, total seconds."""
    stamps: list[float] = []
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    with SamplingClock() as sampling:
        result = train(data, split.train_memberships, config=config, device=device,
                       on_step=lambda step, objective: stamps.append(time.perf_counter()))
    gaps = np.diff(stamps)
    step = float(statistics.median(gaps)) if len(gaps) else float("nan")
    return {"result": result, "steps": result.steps, "train_seconds": round(result.seconds, 2),
            "median_step_ms": round(step * 1e3, 2), "steps_per_s": round(1.0 / step, 2),
            "sampling_ms_per_step": round(sampling.seconds / max(1, len(stamps)) * 1e3, 2),
            "gpu_peak_mb": (round(torch.cuda.max_memory_allocated() / 2**20, 1)
                            if device.startswith("cuda") else None)}


def infer_on(model, data: GraphData, graph, walk, tables, repeats: int = 3) -> dict:
    """Every track embedded over ``tables`` where ``model`` is: median seconds of ``repeats``."""
    times, emb = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        emb = embed_tracks(model, data, graph, walk, tables=tables)  # numpy: synchronised
        times.append(time.perf_counter() - started)
    return {"embed_seconds": round(statistics.median(times), 3), "embeddings": emb}


def run_device(device: str, data: GraphData, split, config: TrainConfig) -> dict:
    if device.startswith("cuda") and not torch.cuda.is_available():
        message = "torch sees no CUDA GPU here: the cuda part is skipped"
        print(f"{device}: {message}", flush=True)
        return {"skipped": message}
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    print(f"{device}: training {config.loop.max_steps} steps …", flush=True)
    row = train_on(device, data, split, config)
    result = row.pop("result")
    graph = build_context_graph(data, split.train_memberships, result.contexts)
    started = time.perf_counter()
    tables = inference_tables(graph, config.walk, config.encoder.layers, seed=config.seed + 1)
    row["tables_seconds"] = round(time.perf_counter() - started, 3)
    inferred = infer_on(result.model, data, graph, config.walk, tables)
    metrics = evaluate(inferred.pop("embeddings"), data.features, split, data.n_tracks,
                       data.n_playlists)
    row.update(inferred, graph_hr10=round(metrics["graph"]["hr@10"], 4),
               audio_hr10=round(metrics["audio"]["hr@10"], 4), result=result, graph=graph,
               tables=tables)
    print(f"{device}: {row['steps_per_s']} steps/s (sampling {row['sampling_ms_per_step']} ms "
          f"of {row['median_step_ms']} ms), inference {row['embed_seconds']} s, "
          f"HR@10 {row['graph_hr10']}", flush=True)
    return row


def cross_device_difference(rows: dict, data: GraphData, config: TrainConfig) -> float | None:
    """Largest |difference| between the CPU-trained model's vectors on the CPU and on the
    GPU (same weights, same tables): what moving a model changes by itself."""
    cpu, gpu = rows.get("cpu", {}), next((r for d, r in rows.items() if d.startswith("cuda")
                                         and "skipped" not in r), None)
    if "result" not in cpu or gpu is None:
        return None
    model = cpu["result"].model
    on_cpu = embed_tracks(model, data, cpu["graph"], config.walk, tables=cpu["tables"])
    model.to("cuda")
    try:
        on_gpu = embed_tracks(model, data, cpu["graph"], config.walk, tables=cpu["tables"])
    finally:
        model.to("cpu")
    return float(np.abs(on_cpu - on_gpu).max())


def main() -> int:
    from bench_files import results_out  # --out checked before the run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=20000, help="generated library size")
    ap.add_argument("--steps", type=int, default=300, help="training steps per device")
    ap.add_argument("--devices", default="cpu,cuda", help="comma list (cpu, cuda, cuda:N)")
    ap.add_argument("--data", default=None, metavar="DIR", help="a dataset dir instead")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    ap.add_argument("--out", type=results_out, default=str(RESULTS / "graph_device.json"))
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    data, source = load_data(args)
    config = TrainConfig().with_(max_steps=args.steps, seed=0)
    split = protocol_split(data.memberships, data.n_tracks, fraction=0.1, seed=0)
    rows = {d: run_device(d, data, split, config) for d in args.devices.split(",") if d}
    difference = cross_device_difference(rows, data, config)
    for row in rows.values():
        for key in ("result", "graph", "tables"):
            row.pop(key, None)
    speedup = None
    if "steps_per_s" in rows.get("cpu", {}) and "steps_per_s" in rows.get("cuda", {}):
        speedup = {"train": round(rows["cuda"]["steps_per_s"] / rows["cpu"]["steps_per_s"], 2),
                   "inference": round(rows["cpu"]["embed_seconds"]
                                      / max(rows["cuda"]["embed_seconds"], 1e-9), 2)}
    out = {"data": source, "tracks": data.n_tracks, "feature_dim": data.feature_dim,
           "memberships": int(len(data.memberships)), "contexts": list(CONTEXT_TYPES),
           "steps": args.steps, "torch": torch.__version__, "torch_threads":
           torch.get_num_threads(), "cpu_cores": os.cpu_count(),
           "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
           "devices": rows, "cuda_over_cpu": speedup,
           "max_abs_difference_cpu_model_on_gpu": difference}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2))
    print(json.dumps({k: v for k, v in out.items() if k != "devices"}, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
