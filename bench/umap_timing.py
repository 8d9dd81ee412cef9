"""UMAP map of 28k tracks: wall time with numba's cache empty (cold) and filled (warm).

Run: ``.venv/bin/python bench/umap_timing.py [--n N]``

Two child processes run the app's own map pipeline on spotify_songs (28,356 tracks x 12
z-scored descriptors): configure the numba cache dir, import umap (caching switched on for its
functions), take the 15-NN graph, run seeded cosine UMAP
(``musicsage.search.projection.compute_map``, the app's path; the kNN stage includes building
the hnsw index that ``similar`` then reuses). The first child starts with an empty ``NUMBA_CACHE_DIR``
(everything compiles), the second reuses it. Each child counts numba compilations
(``numba:compile`` events) so "the second process does not compile again" is measured, not
assumed. Target: warm <= 60 s on 2 cores. Writes bench/results/umap_timing.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def child(n: int | None, work: Path) -> dict:
    t0 = time.perf_counter()
    from musicsage.search.umap_runtime import configure_numba_cache

    configure_numba_cache(os.environ["NUMBA_CACHE_DIR"])
    from numba.core import event

    compiled: list[str] = []

    class Count(event.Listener):
        def on_start(self, ev):
            compiled.append(str(getattr(ev.data.get("dispatcher"), "py_func", "?").__qualname__
                                if ev.data.get("dispatcher") is not None else "?"))

        def on_end(self, ev):
            pass

    listener = Count()
    event.register("numba:compile", listener)
    import numpy as np
    from search_data import spotify_features

    from musicsage.search.index import SpaceIndex
    from musicsage.search.projection import MapParams, compute_map
    from musicsage.search.umap_runtime import import_umap

    t = time.perf_counter()
    import_umap()
    stages = {"import_umap": time.perf_counter() - t}
    compiles_import = len(compiled)
    _, x = spotify_features()
    if n:
        x = x[:n]
    space = SpaceIndex("audio", np.arange(len(x)), x, model_id="spotify", directory=work / "idx")
    marks: dict[str, float] = {}

    def progress(p) -> None:
        marks.setdefault(p.stage, time.perf_counter())

    t = time.perf_counter()
    res = compute_map(space, params=MapParams(), progress=progress, use_cache=False)
    end = time.perf_counter()
    xy, method = res.xy, res.method
    # from each stage's first progress report to the next one's (kNN includes the index build)
    stages["knn"] = marks["map: fuzzy graph"] - marks["map: neighbours"]
    stages["fuzzy_graph_and_init"] = marks["map: layout"] - marks["map: fuzzy graph"]
    stages["layout"] = end - marks["map: layout"]
    stages["map_total"] = end - t
    stages["total_in_process"] = time.perf_counter() - t0
    assert xy.shape == (len(x), 2) and np.isfinite(xy).all() and method == "umap"
    return {"n": len(x), "stages_s": {k: round(v, 2) for k, v in stages.items()},
            "numba_compiles": len(compiled), "numba_compiles_during_import": compiles_import,
            "compiled_functions": sorted(set(compiled))[:50],
            "index": space.status,
            "xy_checksum": float(np.round(np.abs(xy).sum(), 3))}


def run_child(cache: Path, work: Path, n: int | None) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--work", str(work)]
    if n:
        cmd += ["--n", str(n)]
    load_before = os.getloadavg()
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"child failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = round(wall, 2)
    out["loadavg_before"] = [round(v, 2) for v in load_before]
    out["loadavg_after"] = [round(v, 2) for v in os.getloadavg()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=None, help="use the first N tracks only")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--work", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.n, Path(args.work))))
        return

    from search_data import machine, save

    with tempfile.TemporaryDirectory(prefix="umap-bench-") as tmp:
        cache = Path(tmp) / "numba"
        runs = {}
        for name in ("cold", "warm"):
            work = Path(tmp) / name
            runs[name] = r = run_child(cache, work, args.n)
            files = sum(1 for _ in cache.rglob("*") if _.is_file())
            r["numba_cache_files"] = files
            print(f"{name}: process {r['process_wall_s']:.1f} s, stages {r['stages_s']}, "
                  f"numba compilations {r['numba_compiles']}, cache files {files}, "
                  f"load {r['loadavg_before']} -> {r['loadavg_after']}", flush=True)
    same = runs["cold"]["xy_checksum"] == runs["warm"]["xy_checksum"]
    result = {"machine": machine(), "runs": runs, "same_map_both_runs": same,
              "target_warm_s": 60, "warm_met": runs["warm"]["process_wall_s"] <= 60}
    print(f"\n{'run':<5} {'process s':>9} {'import umap':>11} {'kNN':>6} {'fuzzy+init':>10} "
          f"{'layout':>7} {'map total':>9} {'compiles':>8}")
    for name, r in runs.items():
        s = r["stages_s"]
        print(f"{name:<5} {r['process_wall_s']:>9.1f} {s['import_umap']:>11.1f} "
              f"{s['knn']:>6.1f} {s['fuzzy_graph_and_init']:>10.1f} "
              f"{s['layout']:>7.1f} {s['map_total']:>9.1f} {r['numba_compiles']:>8}")
    print(f"same map in both runs: {same}; warm <= 60 s: {result['warm_met']}; "
          f"{machine()['cpus']} cpus")
    print(f"wrote {save('umap_timing', result)}")


if __name__ == "__main__":
    main()
