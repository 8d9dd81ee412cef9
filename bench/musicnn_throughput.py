"""MusiCNN throughput: seconds per 4-minute track on CPU, and patches/s against this machine's
fp32 matmul bound.

    .venv/bin/python bench/musicnn_throughput.py [--threads 2] [--rounds 5] [--track-reps 5]

Measures, in one run, interleaved round by round (load from other processes on a shared
machine then hits every side of a ratio alike):

- fp32 matmul GFLOP/s (square sgemm: the best case for the CPU's vector units);
- MSD_musicnn patches/s (3-s patches, the converted checkpoint) for inference chunks of 1, 4
  and 16 patches; the share of the matmul bound = patches/s ÷ (GFLOP/s ÷ GFLOP per patch).

Then end to end, the embed job's own path (decode the policy's spans, resample to 16 kHz, mel,
patches, network, pooling) on a 4-minute 44.1 kHz stereo Ogg Vorbis file made of the
../shared/audio recordings (a synthetic signal when they are absent):

- the default frame policy (``musicnn-msd-max_pool``: 4 excerpts of 5 patches = 60 s heard);
- the whole track (80 patches, what the original ``musicnn`` extractor computes).

Target: ≤ 2 s per 4-minute track on 2 cores. Medians, with the load average before and after
(the development machine is shared with other jobs). Wall time on a loaded machine measures the
other jobs as much as this code, so the CPU time of all threads is reported too: divided by the
thread count it estimates the wall time on idle cores (an estimate: it assumes both threads
stay busy). Results: bench/results/musicnn_throughput.json.
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

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED_AUDIO = REPO.parent / "shared" / "audio"
TRACK_SECONDS = 240


def network_gflop_per_patch(frames: int = 187, mels: int = 96) -> float:
    """2 × multiply-adds of every convolution and dense layer, from the layer shapes."""
    macs = frames * (mels - 38 + 1) * 204 * 7 * 38 + frames * (mels - 67 + 1) * 204 * 7 * 67
    macs += frames * mels * 51 * (128 + 64 + 32)
    macs += frames * 64 * 7 * (561 + 64 + 64)
    macs += 1506 * 200 + 200 * 50
    return 2 * macs / 1e9


def matmul_gflops(torch, n: int = 1024, reps: int = 8) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9


def patches_per_second(torch, module, chunk: int, n_patches: int = 16) -> tuple[float, float]:
    """(patches per wall second, CPU milliseconds of all threads per patch)."""
    from musicsage.audio.musicnn.network import run_network

    x = np.random.default_rng(0).uniform(0, 4, (n_patches, 187, 96)).astype(np.float32)
    run_network(module, x[:chunk], chunk=chunk)  # warm-up for this shape
    t, cpu = time.perf_counter(), time.process_time()
    run_network(module, x, chunk=chunk)
    return n_patches / (time.perf_counter() - t), 1000 * (time.process_time() - cpu) / n_patches


def four_minute_track(path: Path) -> tuple[Path, str]:
    """A 240-s 44.1 kHz stereo Ogg Vorbis file: the shared recordings back to back (looped)."""
    import soundfile as sf

    from musicsage.audio import decode

    sr = 44100
    names = ["brahms_hungarian_dance_5.ogg", "kevin_macleod_vibe_ace.ogg",
             "kevin_macleod_sugar_plum_fairy.ogg"]
    if all((SHARED_AUDIO / n).is_file() for n in names):
        parts = [decode.load(SHARED_AUDIO / n, sr=sr) for n in names]
        mono = np.resize(np.concatenate(parts), sr * TRACK_SECONDS)
        source = "shared recordings (Brahms, Vibe Ace, Sugar Plum Fairy), looped"
    else:
        t = np.arange(sr * TRACK_SECONDS) / sr
        rng = np.random.default_rng(0)
        gate = np.sin(2 * np.pi * 2 * t) > 0
        mono = 0.3 * np.sin(2 * np.pi * 220 * t) * gate + 0.02 * rng.standard_normal(t.size)
        source = "synthetic (shared recordings absent)"
    stereo = np.stack([mono, np.roll(mono, 100)], axis=1).astype(np.float32)
    # in blocks: libsndfile's Vorbis encoder can crash on one very large write
    with sf.SoundFile(path, "w", sr, 2, format="OGG", subtype="VORBIS") as out:
        for start in range(0, len(stereo), sr):
            out.write(stereo[start:start + sr])
    return path, source


def seconds_per_track(embedder, path: Path) -> tuple[float, float, int]:
    """One track through the embed job's functions: (wall s, CPU s of all threads, patches)."""
    from musicsage.audio.embed_job import _infer_and_pool, prepare_track

    t, cpu = time.perf_counter(), time.process_time()
    item = prepare_track(embedder, 1, str(path))
    assert item.error is None, item.error
    _infer_and_pool(embedder, [item])
    return time.perf_counter() - t, time.process_time() - cpu, len(item.units)


def main() -> int:
    from bench_files import results_out  # --out checked before the run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--track-reps", type=int, default=5)
    parser.add_argument("--out", type=results_out,
                        default=str(REPO / "bench" / "results" / "musicnn_throughput.json"))
    args = parser.parse_args()

    import torch

    from musicsage.audio.embedder import get_embedder
    from musicsage.audio.musicnn.network import load_network
    from musicsage.context import AppContext

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    gflop = network_gflop_per_patch()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = AppContext.create(Path(tmp) / "data")
        module = load_network(ctx, "MSD_musicnn").module
        chunks = (1, 4, 16)
        rounds = []
        for r in range(args.rounds):
            mm = matmul_gflops(torch)
            measured = {c: patches_per_second(torch, module, c) for c in chunks}
            pps = {c: v[0] for c, v in measured.items()}
            mm = (mm + matmul_gflops(torch)) / 2
            rounds.append({"matmul_gflops": mm,
                           **{f"patches_per_s_chunk{c}": v for c, v in pps.items()},
                           **{f"cpu_ms_per_patch_chunk{c}": v[1] for c, v in measured.items()},
                           **{f"bound_share_chunk{c}": v * gflop / mm for c, v in pps.items()}})
            print(f"round {r + 1}: matmul {mm:.1f} GFLOP/s; patches/s "
                  + ", ".join(f"chunk {c}: {v:.1f} ({100 * v * gflop / mm:.0f}% of bound)"
                              for c, v in pps.items()), flush=True)

        track, source = four_minute_track(Path(tmp) / "four_minutes.ogg")
        policies = {"default": get_embedder("musicnn", ctx, device="cpu"),
                    "whole track": get_embedder("musicnn", ctx, device="cpu",
                                                max_seconds=TRACK_SECONDS + 1)}
        per_track: dict[str, list[float]] = {name: [] for name in policies}
        cpu_per_track: dict[str, list[float]] = {name: [] for name in policies}
        patches: dict[str, int] = {}
        seconds_per_track(policies["default"], track)  # warm-up (first decode, shapes)
        for _ in range(args.track_reps):
            for name, embedder in policies.items():  # interleaved
                seconds, cpu, n = seconds_per_track(embedder, track)
                per_track[name].append(seconds)
                cpu_per_track[name].append(cpu)
                patches[name] = n
    load_after = os.getloadavg()

    median = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    result = {
        "device": "cpu", "threads": args.threads, "torch": torch.__version__,
        "cpu_count": os.cpu_count(), "load_before": load_before, "load_after": load_after,
        "gflop_per_patch": gflop, "rounds": rounds, "median": median, "track_source": source,
        "seconds_per_4min_track": {
            name: {"median": statistics.median(v), "all": v, "patches": patches[name],
                   "cpu_seconds_median": statistics.median(cpu_per_track[name]),
                   "model_version": policies[name].model_version}
            for name, v in per_track.items()},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))

    print()
    print(f"CPU, torch threads {args.threads}, load average before {load_before[0]:.2f} / after "
          f"{load_after[0]:.2f} on {os.cpu_count()} CPUs (shared machine)")
    print(f"network: {gflop:.2f} GFLOP per 3-s patch; track: {source}")
    rows = [("fp32 matmul", f"{median['matmul_gflops']:.1f} GFLOP/s", "")]
    for c in chunks:
        rows.append((f"patches/s, chunk {c}", f"{median[f'patches_per_s_chunk{c}']:.1f}",
                     f"{100 * median[f'bound_share_chunk{c}']:.0f} % of matmul bound, "
                     f"{median[f'cpu_ms_per_patch_chunk{c}']:.0f} CPU ms/patch"))
    for name, v in result["seconds_per_4min_track"].items():
        rows.append((f"s / 4-min track, {name} ({v['patches']} patches)", f"{v['median']:.2f} s",
                     "target ≤ 2 s" if name == "default" else ""))
        rows.append((f"  CPU s (all threads) / track, {name}", f"{v['cpu_seconds_median']:.2f} s",
                     f"≈ {v['cpu_seconds_median'] / args.threads:.2f} s wall on "
                     f"{args.threads} idle cores"))
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>14}  {note}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
