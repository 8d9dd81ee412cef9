"""Playlist suggestions: are a playlist's held-out members among its top 10 suggestions?

    .venv/bin/python bench/suggest_bench.py [--datasets demo,spotify] [--demo-dir DIR]
                                            [--seeds 0,1,2] [--threads 1]

For each data set and seed: hold out 20% of the members (at least one) of every playlist with
at least 5 members; import the rest into a fresh temporary library (``import``, as a user
would), train the graph model exactly as ``musicsage train`` does today (its defaults: so a
better graph model on main is measured by rerunning this script), then ask ``suggest`` for
each playlist's top 10 and count the held-out members found — graph model vs audio alone,
for each way of scoring against the members (``centroid``, ``nearest``,
musicsage/search/scoring.py). Members left are excluded from the lists by design, so every
hit is a held-out one.

Metrics per playlist, averaged: ``recall@10`` = held-out members in the top 10 / min(held
out, 10); ``hit@10`` = at least one of them there. Playlists are split in two halves per seed
(seeded): the *validation* half chooses the default scoring (best graph recall@10 summed
over data sets), the *test* half reports it — the choice never sees the reported numbers.

Data: spotify_songs (``bench/datasets.py`` converts ../shared/data/spotify_songs once; 12
audio descriptors as features) and the demo library (``musicsage demo``; its MusiCNN
vectors, exported as a dataset dir). Writes ``bench/results/suggest_bench.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

METHODS = ("centroid", "nearest")
HOLD_OUT = 0.2
MIN_MEMBERS = 5
K = 10


def read_memberships(dataset: Path) -> list[tuple[str, str]]:
    with open(dataset / "memberships.csv", newline="", encoding="utf-8") as fh:
        return [(r["playlist_id"], r["track_id"]) for r in csv.DictReader(fh)]


def split_memberships(pairs: list[tuple[str, str]], seed: int):
    """(kept pairs, {playlist: held-out track ids}, {playlist: 'validation' | 'test'})."""
    rng = np.random.default_rng(seed)
    by_playlist: dict[str, list[str]] = {}
    for pid, tid in dict.fromkeys(pairs):
        by_playlist.setdefault(pid, []).append(tid)
    held: dict[str, set[str]] = {}
    for pid in sorted(by_playlist):
        members = by_playlist[pid]
        if len(members) >= MIN_MEMBERS:
            n = max(1, int(round(HOLD_OUT * len(members))))
            held[pid] = set(rng.choice(members, size=n, replace=False).tolist())
    order = sorted(held)
    rng.shuffle(order)
    half = {pid: ("validation" if i % 2 == 0 else "test") for i, pid in enumerate(order)}
    kept = [(p, t) for p, t in dict.fromkeys(pairs) if t not in held.get(p, ())]
    return kept, held, half


def write_split_dataset(src: Path, dst: Path, kept: list[tuple[str, str]]) -> None:
    dst.mkdir(parents=True)
    for name in ("tracks.csv", "features.npy", "features.json"):
        if (src / name).exists():
            shutil.copy(src / name, dst / name)
    with open(dst / "memberships.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["playlist_id", "track_id"])
        w.writerows(kept)


def library_ids(ctx, split: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Dataset track id → library track id, dataset playlist id → library playlist id, for
    the dataset dir ``split`` imported into ``ctx`` (a track row with a path is found by its
    path, one without by its synthetic ``dataset:<dir>#<id>`` path: docs/dataset-dir.md)."""
    from musicsage.library.paths import from_fs
    from musicsage.usecases.library import list_playlists, list_tracks

    by_path = {t.path: t.id for t in list_tracks(ctx)}
    synthetic = f"dataset:{from_fs(str(split))}#"
    tracks = {}
    with open(split / "tracks.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            path = row.get("path") or ""
            key = (path if path.startswith("/") else str((split / path).resolve())) if path \
                else synthetic + row["track_id"]
            if key in by_path:
                tracks[row["track_id"]] = by_path[key]
    playlists = {p.path[len(synthetic):]: p.id for p in list_playlists(ctx)
                 if p.path.startswith(synthetic)}
    return tracks, playlists


def run_one(name: str, dataset: Path, seed: int, work: Path, log, threads: int = 1) -> dict:
    from musicsage.context import AppContext
    from musicsage.usecases.library import import_dataset
    from musicsage.usecases.spaces import SearchSpaces
    from musicsage.usecases.suggest import suggest_tracks
    from musicsage.usecases.training import train_graph

    kept, held, half = split_memberships(read_memberships(dataset), seed)
    split = work / f"{name}-{seed}-dataset"
    write_split_dataset(dataset, split, kept)
    ctx = AppContext.create(work / f"{name}-{seed}-library")
    import_dataset(ctx, split)
    t0 = time.perf_counter()
    # one torch thread unless told: the same seed then gives the same figures (docs/cli.md);
    # the library default (half the cores) reorders the sums from run to run
    report = train_graph(ctx, seed=seed, options={"threads": threads})
    train_s = time.perf_counter() - t0
    log(f"{name} seed {seed}: trained in {train_s:.0f} s ({report.steps} steps)")
    tracks, playlists = library_ids(ctx, split)
    spaces = SearchSpaces(ctx)
    rows = {m: {"graph": [], "audio": []} for m in METHODS}
    t0 = time.perf_counter()
    for pid in sorted(held):
        if pid not in playlists:
            continue
        wanted = {tracks[t] for t in held[pid] if t in tracks}
        for method in METHODS:
            result = suggest_tracks(ctx, playlists[pid], k=K, method=method, spaces=spaces)
            for space in ("graph", "audio"):
                found = len(wanted & {r["track_id"] for r in result.rows(space)})
                rows[method][space].append((half[pid], found / min(len(wanted), K), found > 0))
    suggest_s = time.perf_counter() - t0
    out = {"seed": seed, "train_seconds": round(train_s, 1), "train_steps": report.steps,
           "playlists": len(held), "suggest_seconds_per_playlist":
               round(suggest_s / max(1, len(held) * len(METHODS)), 4), "halves": {}}
    for which in ("validation", "test"):
        out["halves"][which] = {
            m: {space: {"recall@10": float(np.mean([r for h, r, _ in v if h == which] or [0])),
                        "hit@10": float(np.mean([x for h, _, x in v if h == which] or [0])),
                        "playlists": sum(h == which for h, _, _ in v)}
                for space, v in rows[m].items()}
            for m in METHODS}
    return out


def require_demo(data_dir: Path) -> None:
    """Exit with one line unless ``data_dir`` holds a built demo (its manifest, as
    ``demo_eval.py`` checks) — before ``AppContext.create``, which at a wrong or unbuilt
    folder made an empty library and cache/ there and then died with a traceback."""
    from musicsage.context import DB_FILENAME
    from musicsage.demo.library import read_manifest
    from musicsage.demo.state import read_state
    from musicsage.usecases.demo import DEMO_MUSIC_SUBDIR

    state = read_state(data_dir)
    music = Path(state.music_dir) if state else Path(data_dir) / DEMO_MUSIC_SUBDIR
    if not (Path(data_dir) / DB_FILENAME).is_file() or read_manifest(music) is None:
        sys.exit(f"{data_dir} holds no built demo: run musicsage demo first "
                 f"(musicsage --data-dir DIR demo for another folder)")


def demo_dataset(demo_dir: Path, work: Path) -> Path:
    from musicsage.context import AppContext
    from musicsage.usecases.library import export_dataset

    out = work / "demo-export"
    export_dataset(AppContext.create(demo_dir), out)
    return out


def summarise(results: dict) -> dict:
    """Mean ± std over seeds per data set, half, method and space; the chosen method."""
    summary: dict = {}
    for name, runs in results.items():
        summary[name] = {}
        for which in ("validation", "test"):
            summary[name][which] = {
                m: {space: {metric: [float(np.mean([r["halves"][which][m][space][metric] for r in runs])),
                                     float(np.std([r["halves"][which][m][space][metric] for r in runs]))]
                            for metric in ("recall@10", "hit@10")}
                    for space in ("graph", "audio")}
                for m in METHODS}
    chosen = max(METHODS, key=lambda m: sum(summary[n]["validation"][m]["graph"]["recall@10"][0]
                                            for n in summary))
    return {"by_dataset": summary, "chosen_on_validation": chosen}


def main(argv=None) -> int:
    from graph_common import name_list, seed_list, thread_count
    from musicsage.usecases.demo import demo_data_dir

    from bench_files import results_out  # --out checked before the run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default="demo,spotify", type=name_list(("demo", "spotify"),
                                                                           "data set"))
    ap.add_argument("--demo-dir", default=str(demo_data_dir()),
                    help="a built demo library (default: the one main.py --demo uses)")
    ap.add_argument("--seeds", default="0,1,2", type=seed_list)
    ap.add_argument("--threads", type=thread_count, default=1,
                    help="torch threads, training's too")
    ap.add_argument("--out", type=results_out,
                    default=str(REPO / "bench" / "results" / "suggest_bench.json"))
    args = ap.parse_args(argv)
    names, seeds = args.datasets, args.seeds
    if "demo" in names:
        require_demo(Path(args.demo_dir))

    import torch

    torch.set_num_threads(args.threads)
    t_start = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t_start:7.0f} s] {msg}", flush=True)

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as tmp:
        work = Path(tmp)
        sources = {}
        for name in names:
            if name == "spotify":
                from datasets import spotify_songs_dir

                sources[name] = spotify_songs_dir()
            else:
                sources[name] = demo_dataset(Path(args.demo_dir), work)
        for name, dataset in sources.items():
            results[name] = [run_one(name, dataset, seed, work, log, args.threads)
                             for seed in seeds]
    out = {"k": K, "hold_out": HOLD_OUT, "min_members": MIN_MEMBERS, "seeds": seeds,
           "runs": results, **summarise(results)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2), encoding="utf-8")
    chosen = out["chosen_on_validation"]
    print(f"scoring chosen on the validation playlists: {chosen}")
    print(f"{'data set':<9} {'method':<9} {'graph recall@10':>17} {'audio recall@10':>17} "
          f"{'graph hit@10':>14} {'audio hit@10':>14}   (test playlists, mean ± std over seeds)")
    for name, halves in out["by_dataset"].items():
        for m in METHODS:
            t = halves["test"][m]
            cells = [f"{t[s][metric][0]:.3f} ± {t[s][metric][1]:.3f}"
                     for metric in ("recall@10", "hit@10") for s in ("graph", "audio")]
            print(f"{name:<9} {m:<9} {cells[0]:>17} {cells[1]:>17} {cells[2]:>14} {cells[3]:>14}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
