"""MusiCNN's front end on the CPU: the oneDNN path (conv and mel max as oneDNN ops) against the
dense path (``F.conv2d`` into an NCHW map, then ``amax``; what a GPU runs, and what the CPU ran
before), laid out as the embed job lays the network out.

    .venv/bin/python bench/musicnn_frontend_paths.py [--seconds 10] [--rounds 8]

First checks that both paths give the same outputs on the converted MSD checkpoint (they run the
same convolution; a max is exact in any order). Then alternates the two paths in rounds of
``--seconds``: the network alone on the job's lanes (one single-threaded lane per core, passes
of ``CPU_CHUNK`` patches, ``bench/scale_children.py``'s ``network_alone``), so both sides of
the ratio see the same load on a shared machine. Reports CPU ms per patch and patches/s
(medians) and the ratio of CPU per patch round by round. Results:
bench/results/musicnn_frontend_paths.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def max_output_difference(module, model_code) -> float:
    """Largest absolute difference of any output between the two paths (16 random patches)."""
    import numpy as np

    from musicsage.audio.musicnn.network import run_network

    patches = np.random.default_rng(1).uniform(0, 4, (16, 187, 96)).astype(np.float32)
    real = model_code._onednn_applies
    fast = run_network(module, patches, chunk=2)
    model_code._onednn_applies = lambda x: False
    try:
        dense = run_network(module, patches, chunk=2)
    finally:
        model_code._onednn_applies = real
    return max(float((fast[k] - dense[k]).abs().max()) for k in fast)


def main() -> int:
    from bench_files import results_out  # --out checked before the run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="length of one round")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--out", type=results_out,
                    default=str(REPO / "bench" / "results" / "musicnn_frontend_paths.json"))
    args = ap.parse_args()

    from musicsage.audio.musicnn import model as model_code
    from musicsage.audio.musicnn.network import load_network
    from musicsage.context import AppContext
    from scale_children import network_alone

    with tempfile.TemporaryDirectory() as tmp:
        module = load_network(AppContext.create(Path(tmp) / "data"), "MSD_musicnn").module
    difference = max_output_difference(module, model_code)
    print(f"largest output difference, oneDNN vs dense path: {difference}", flush=True)
    real = model_code._onednn_applies
    paths = {"dense": lambda x: False, "onednn": real}
    runs: dict[str, list[dict]] = {name: [] for name in paths}
    load_before = os.getloadavg()
    try:
        for r in range(args.rounds):
            for name, applies in paths.items():
                model_code._onednn_applies = applies
                n, wall, cpu = network_alone(module, args.seconds)
                runs[name].append({"cpu_ms_per_patch": 1000 * cpu / n, "patches_per_s": n / wall,
                                   "load": os.getloadavg()[0]})
                print(f"round {r + 1} {name:>6}: {1000 * cpu / n:.2f} ms CPU per patch, "
                      f"{n / wall:.1f} patches/s", flush=True)
    finally:
        model_code._onednn_applies = real
    median = {name: {k: statistics.median(run[k] for run in v) for k in v[0]}
              for name, v in runs.items()}
    ratio = statistics.median(b["cpu_ms_per_patch"] / a["cpu_ms_per_patch"]
                              for a, b in zip(runs["dense"], runs["onednn"]))
    result = {"max_output_difference": difference, "median": median,
              "cpu_per_patch_ratio_onednn_over_dense": ratio, "runs": runs,
              "load_before": load_before, "load_after": os.getloadavg(),
              "cpu_count": os.cpu_count()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    for name, m in median.items():
        print(f"{name:>6}: {m['cpu_ms_per_patch']:.2f} ms CPU per patch, "
              f"{m['patches_per_s']:.1f} patches/s (medians)")
    print(f"oneDNN / dense CPU per patch: {ratio:.3f}; load {load_before[0]:.1f} → "
          f"{result['load_after'][0]:.1f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
