"""Audio embedding throughput: OpenL3 frames/s against this machine's fp32 matmul bound.

    .venv/bin/python bench/embed_throughput.py [--threads 2] [--rounds 5] [--device cpu|cuda]

Measures, in one run and interleaved round by round (so that load from other processes hits
both sides of each ratio alike):

- fp32 matmul GFLOP/s (a square sgemm, the best case for the CPU's vector units);
- OpenL3 mel256 frames/s (random weights: speed does not depend on their values), front-end
  included, batch of ``--batch`` frames, channels_last;
- the ratio of the two: frames/s ÷ (GFLOP/s ÷ 20.4 GFLOP per frame) — 100 % means the network
  runs as fast as if all its FLOPs were one big matmul. Target ≥ 75 % on CPU.

Then end to end under the default frame policy, from a 4-minute 44.1 kHz stereo FLAC (decode
+ resample + frames + network + pooling): seconds per track for OpenL3 (target ≤ 10 s on two
cores) and for the spectral fallback. Medians are reported, with the load average before and
after. Results go to bench/results/embed_throughput.json.
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

GFLOP_PER_FRAME = 20.4  # docs/audio-models.md: ≈ 10.2 GMAC per 1-s mel256 frame


def network_gflop_per_frame(input_bins: int = 256, frames: int = 199) -> float:
    """Convolution FLOPs of the network (2 × MACs), computed from its layer shapes."""
    from musicsage.audio.openl3.network import CONV_CHANNELS

    h, w, c_in, macs = input_bins, frames, 1, 0
    for i, c_out in enumerate(CONV_CHANNELS):
        macs += h * w * 9 * c_in * c_out
        c_in = c_out
        if i in (1, 3, 5):
            h, w = h // 2, w // 2
    return 2 * macs / 1e9


def matmul_gflops(torch, device: str, n: int = 2048, reps: int = 6) -> float:
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    for _ in range(2):
        a @ b
    sync(torch, device)
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    sync(torch, device)
    return 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9


def frames_per_second(torch, net, device: str, batch: int, reps: int) -> float:
    x = torch.randn(batch, 48000, device=device)
    with torch.inference_mode():
        net(x)
        sync(torch, device)
        t = time.perf_counter()
        for _ in range(reps):
            net(x)
        sync(torch, device)
    return batch * reps / (time.perf_counter() - t)


def sync(torch, device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def four_minute_flac(path: Path) -> Path:
    import soundfile as sf

    sr, seconds = 44100, 240
    rng = np.random.default_rng(0)
    t = np.arange(sr * seconds) / sr
    left = 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 2 * t) > 0) + 0.02 * rng.standard_normal(t.size)
    x = np.stack([left, np.roll(left, 100)], axis=1).astype(np.float32)
    sf.write(path, x, sr)
    return path


def seconds_per_track(embedder, path: Path, reps: int) -> list[float]:
    from musicsage.audio.embed_job import _infer_and_pool, prepare_track

    times = []
    for _ in range(reps):
        t = time.perf_counter()
        item = prepare_track(embedder, 1, str(path))
        assert item.error is None, item.error
        _infer_and_pool(embedder, [item])
        times.append(time.perf_counter() - t)
    return times


def main() -> int:
    from bench_files import results_out  # --out checked before the run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--track-reps", type=int, default=3)
    parser.add_argument("--out", type=results_out,
                        default=str(REPO / "bench" / "results" / "embed_throughput.json"))
    args = parser.parse_args()

    import torch

    from musicsage.audio.openl3.embedder import OpenL3Embedder
    from musicsage.audio.openl3.network import OpenL3AudioNet
    from musicsage.audio.openl3.variants import parse_variant
    from musicsage.audio.spectral import SpectralEmbedder

    torch.set_num_threads(args.threads)
    device = args.device
    load_before = os.getloadavg()
    gflop = network_gflop_per_frame()
    net = OpenL3AudioNet(parse_variant("mel256_music_512")).eval().to(device).use_channels_last()
    batch = args.batch if device == "cpu" else max(args.batch, 64)
    reps = 2 if device == "cpu" else 20

    rounds = []
    for r in range(args.rounds):
        mm = matmul_gflops(torch, device, n=2048 if device == "cpu" else 8192)
        fps = frames_per_second(torch, net, device, batch, reps)
        mm2 = matmul_gflops(torch, device, n=2048 if device == "cpu" else 8192)
        bound = statistics.mean([mm, mm2]) / GFLOP_PER_FRAME
        rounds.append({"matmul_gflops": statistics.mean([mm, mm2]), "frames_per_s": fps,
                       "ratio": fps / bound})
        print(f"round {r + 1}: matmul {rounds[-1]['matmul_gflops']:.1f} GFLOP/s, "
              f"OpenL3 {fps:.2f} frames/s, {100 * fps / bound:.0f}% of the matmul bound",
              flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        flac = four_minute_flac(Path(tmp) / "four_minutes.flac")
        openl3 = OpenL3Embedder(parse_variant("mel256_music_512"), None, device=device)
        openl3.net.load_state_dict(net.state_dict())
        n_frames = len(openl3.prepare([np.zeros(int(s[1] * 48000), np.float32)
                                       for s in openl3.spans(240.0)]))
        openl3_times = seconds_per_track(openl3, flac, args.track_reps)
        spectral = SpectralEmbedder()
        spectral_times = seconds_per_track(spectral, flac, max(5, args.track_reps))
    load_after = os.getloadavg()

    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    result = {
        "device": device if device == "cpu" else torch.cuda.get_device_name(0),
        "threads": args.threads, "batch": batch, "torch": torch.__version__,
        "cpu_count": os.cpu_count(), "load_before": load_before, "load_after": load_after,
        "network_gflop_per_frame": gflop, "gflop_per_frame_used": GFLOP_PER_FRAME,
        "rounds": rounds, "median": med,
        "default_policy": {"model_version": openl3.model_version, "frames_per_track": n_frames},
        "openl3_seconds_per_4min_track": {"median": statistics.median(openl3_times),
                                          "all": openl3_times},
        "spectral_seconds_per_4min_track": {"median": statistics.median(spectral_times),
                                            "all": spectral_times},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))

    print()
    print(f"device {result['device']}, torch threads {args.threads}, batch {batch}, "
          f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    print(f"network FLOPs per 1-s mel256 frame: {gflop:.2f} GFLOP (bound uses {GFLOP_PER_FRAME})")
    rows = [
        ("fp32 matmul", f"{med['matmul_gflops']:.1f} GFLOP/s", ""),
        ("OpenL3 mel256 frames/s", f"{med['frames_per_s']:.2f}", ""),
        ("share of matmul bound", f"{100 * med['ratio']:.0f} %", "target ≥ 75 % (CPU)"),
        (f"OpenL3 s / 4-min track ({n_frames} frames)",
         f"{result['openl3_seconds_per_4min_track']['median']:.2f} s", "target ≤ 10 s"),
        ("spectral s / 4-min track", f"{result['spectral_seconds_per_4min_track']['median']:.2f} s",
         ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>14}  {note}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
