"""Training time by torch thread count, on an idle machine and beside busy processes.

    .venv/bin/python bench/graph_threads.py DATASET_DIR [--steps 300] [--busy 2]
        [--threads default,0,1] [--repeats 3]

Each run is ``musicsage train --dataset DATASET_DIR`` in a fresh process (``--set
min_steps=STEPS`` so that early stopping does not end runs at different steps), for each
thread setting — ``default`` (half the cores, at least one: ``default_training_threads`` in
``musicsage/graph/config.py``), ``0`` (torch's own default, every core) or a number — first
with the machine as it is, then beside ``--busy`` processes that each keep a core busy (what a
desktop does meanwhile: the window drawing the map, an embedding run, a browser). The runs of
one round alternate between the settings, so a change in the machine's load falls on all of
them; the table gives the median wall time of each (seconds, process start included).

Why it exists: with every core (torch's default) a training on 2 cores took 64 s for 300 steps
on the demo library beside two busy processes, against 10 s on one thread — torch's OpenMP
threads spin while they wait for each other — and about 8.5 s against 10 s on an idle machine.
Writes ``bench/results/graph_threads.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "graph_threads.json"
BUSY_LOOP = "while True: pass"


def run_once(dataset: Path, steps: int, threads: str, work: Path) -> float:
    """Wall seconds of one training run in a fresh process."""
    argv = [sys.executable, "-m", "musicsage", "--data-dir", str(work / "data"), "train",
            "--dataset", str(dataset), "--out", str(work / "out"), "--max-steps", str(steps),
            "--set", f"min_steps={steps}", "--json"]
    if threads != "default":
        argv += ["--set", f"threads={threads}"]
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:  # was CalledProcessError's traceback, without train's reason
        said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        sys.exit(f"musicsage train failed (threads {threads}), so nothing was measured: {said}")
    return time.perf_counter() - t0


def measure(dataset: Path, steps: int, settings: list[str], repeats: int, busy: int,
            work: Path) -> dict[str, float]:
    """Median seconds per setting with ``busy`` spinning processes alongside."""
    spinners = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(busy)]
    try:
        times: dict[str, list[float]] = {s: [] for s in settings}
        for _ in range(repeats):
            for setting in settings:
                times[setting].append(run_once(dataset, steps, setting, work))
    finally:
        for p in spinners:
            p.kill()
            p.wait()
    return {s: statistics.median(t) for s, t in times.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path, help="a dataset dir (docs/dataset-dir.md)")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--busy", type=int, default=2, help="busy processes in the second round")
    ap.add_argument("--threads", default="default,0,1")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    settings = args.threads.split(",")
    sys.path.insert(0, str(REPO))
    from musicsage.graph.config import default_training_threads

    out = {"steps": args.steps, "dataset": str(args.dataset), "repeats": args.repeats,
           "default_threads": default_training_threads(), "rounds": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for busy in (0, args.busy):
            out["rounds"][str(busy)] = measure(args.dataset, args.steps, settings,
                                               args.repeats, busy, Path(tmp))
    print(f"{'threads':>10} " + " ".join(f"{f'{b} busy':>9}" for b in out["rounds"]))
    for s in settings:
        name = f"{s} ({out['default_threads']})" if s == "default" else s
        print(f"{name:>10} " + " ".join(f"{r[s]:8.1f}s" for r in out["rounds"].values()))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
