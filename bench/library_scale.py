"""Library scale, end to end: every stage of a real-length audio library, and of a 100k one.

    # N real-length tracks (3-4 min; MP3, FLAC, M4A, Ogg; tags; playlists), built once:
    .venv/bin/python bench/library_scale.py audio --tracks 1000
    # N tracks with generated features and no audio (import → train → map → window → click):
    .venv/bin/python bench/library_scale.py features --tracks 100000
    # N short tagged files in seven formats: scan, re-scan, embed, embed with nothing to do:
    .venv/bin/python bench/library_scale.py files --tracks 10000

Every stage runs as its own process, the way a user runs it (the ``musicsage`` commands; the
window in ``bench/scale_children.py``), so the parent reads each stage's wall time, CPU time
(user and system, from ``wait4``), peak memory (max RSS) and the load average around it.
Stages (audio): ``scan`` (folders + playlists), ``bound`` (the analysis compute bound, measured
in the same run, before and after ``embed``), ``embed`` (default model: MusiCNN excerpts),
``paired`` (200 tracks re-embedded in chunks of 25, each chunk followed by the network alone
for as long: the ratio with both sides under the same load),
``train``, ``map``, ``window`` (first window until the map is drawn, pan/zoom frame times, a
click until both neighbour lists are shown), ``rescan`` (nothing changed), ``embed-noop``.
Stages (features): ``import``, ``train``, ``map``, ``window``, ``embed-noop``.
Stages (files): ``scan``, ``rescan``, ``embed`` (spectral: the files are 0.5 s, so only the
per-file costs are measured), ``embed-noop`` — the re-scan and the nothing-to-do figures at a
size the disk cannot hold in real-length files (10,000 × 3 minutes ≈ 65 GB).

The library is built by ``bench/library_build.py`` (audio), ``bench/scale_data.py``
(features) or ``bench/scan.py``'s generator (files) under ``--work`` (default /tmp/musicsage-scale, outside the repository) and kept
between runs; each run starts from an empty data dir. ``--stages`` runs a subset (a later
stage needs the earlier ones' data dir: pass ``--keep-data`` to reuse it).

The machine is shared: wall times include other people's load, so CPU times are quoted too,
and the compute-bound ratio is given both ways (wall: scan + embed seconds per track over
the network's seconds per track with both cores; CPU: CPU seconds per track of scan + embed
over the network's CPU seconds per track). Writes bench/results/library_scale_<mode>_<N>.json
and prints the stage table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

#: what this script writes into each folder it makes under --work: only those are deleted
DATA_MARKER = "library_scale-data.json"
FILES_MARKER = "files.json"
#: the ``made_by`` in each marker, so that a user's own files.json is never taken for one
MADE_BY = "bench/library_scale.py"

MEMORY_LIMIT_MB = 4096


def run_stage(name: str, argv: list[str], *, env: dict | None = None,
              timeout: float = 6 * 3600) -> dict:
    """Run one stage's process; its wall time, CPU time, peak RSS and the JSON it printed."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = _Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                  env=env or os.environ.copy(), cwd=REPO)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    usage = _usage_of(proc.pid)
    row = {"stage": name, "rc": proc.returncode, "wall_s": round(wall, 2),
           "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
           **usage}
    result = _result(out)
    if result is not None:
        row["result"] = result
    if proc.returncode != 0:
        row["error"] = (err or out).strip().splitlines()[-1:] if (err or out).strip() else []
    return row


_USAGE: dict[int, dict] = {}


def _usage_of(pid: int) -> dict:
    return _USAGE.pop(pid, {})


class _Popen(subprocess.Popen):
    """Popen that reaps with ``wait4``, keeping the child's own rusage: its peak RSS (the
    RUSAGE_CHILDREN figure is the maximum over every child so far, not this one's)."""

    def _try_wait(self, wait_flags):  # noqa: D401 - CPython's hook for waitpid
        try:
            pid, sts, ru = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid == self.pid:
            _USAGE[pid] = {"user_s": round(ru.ru_utime, 2), "sys_s": round(ru.ru_stime, 2),
                           "cpu_s": round(ru.ru_utime + ru.ru_stime, 2),
                           "sys_share": round(ru.ru_stime / max(1e-9, ru.ru_utime + ru.ru_stime), 3),
                           "peak_rss_mb": round(ru.ru_maxrss / 1024, 1)}
        return pid, sts


def _result(stdout: str):
    for line in reversed(stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    text = stdout.strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return None
    return None


def cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "musicsage", "--data-dir", str(data_dir), *args]


def child(what: str, data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, str(HERE / "scale_children.py"), what, str(data_dir), *args]


def child_env() -> dict:
    env = os.environ.copy()
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def audio_commands(library: Path, data: Path, bound_seconds: float) -> dict[str, list[str]]:
    return {
        "scan": cli(data, "scan", str(library), "--playlists", str(library / "Playlists"),
                    "--json"),
        "bound": child("bound", data, "--seconds", str(bound_seconds)),
        "embed": cli(data, "embed", "--json"),
        "bound2": child("bound", data, "--seconds", str(bound_seconds)),
        "paired": child("paired", data, "--tracks", "200", "--chunk", "25"),
        "train": cli(data, "train", "--json"),
        "map": cli(data, "map"),
        "window": child("window", data),
        "rescan": cli(data, "scan", "--json"),
        "embed-noop": cli(data, "embed", "--json"),
    }


def feature_commands(dataset: Path, data: Path) -> dict[str, list[str]]:
    return {
        "import": cli(data, "import", str(dataset), "--json"),
        "train": cli(data, "train", "--json"),
        "map": cli(data, "map"),
        "window": child("window", data),
        "embed-noop": cli(data, "embed", "--json"),
    }  # no re-scan: an imported dataset has no folders (``files`` measures the re-scan)


def file_commands(music: Path, data: Path) -> dict[str, list[str]]:
    return {
        "scan": cli(data, "scan", str(music), "--json"),
        "rescan": cli(data, "scan", "--json"),
        "embed": cli(data, "embed", "--model", "spectral", "--json"),
        "embed-noop": cli(data, "embed", "--model", "spectral", "--json"),
    }


def short_files(root: Path, n: int) -> dict:
    """``bench/scan.py``'s N tagged 0.5-s files (seven formats, 280 folders), made once. The
    folder is claimed (its marker written) before the files, so that only a folder this script
    made is ever deleted to make another N there: one whose marker carries this script's
    ``made_by``. A user's own files.json (one with a ``tracks`` key too), one that cannot be
    read, or an older run's without ``made_by`` is no such marker: the folder is refused."""
    from bench_files import claim_folder, read_marker

    marker = root / FILES_MARKER
    found = read_marker(marker) if marker.is_file() else {}
    if found.get("made_by") == MADE_BY:
        if found.get("tracks") == n:
            return {k: v for k, v in found.items() if k != "made_by"}
        shutil.rmtree(root)
    claim_folder(root, _unmarked(root))
    from scan import generate

    root.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"made_by": MADE_BY, "tracks": None}))  # the count once whole
    info = {"tracks": n, "formats": generate(root, n)}
    marker.write_text(json.dumps({"made_by": MADE_BY, **info}))
    return info


def _unmarked(folder: Path) -> str:
    """The refusal for a folder under --work without this script's marker."""
    from bench_files import unmarked_refusal

    return unmarked_refusal(folder, MADE_BY, "--work")


def fresh_data_dir(data: Path, keep: bool) -> None:
    """Empty the run's data dir (``keep``: reuse it) and claim it with the script's marker;
    only a dir whose marker carries this script's ``made_by`` is deleted, as in
    :func:`short_files` (an older run's marker without it, or a user's file of that name,
    is refused: the folder may hold the user's files), and a file there is refused in one
    line."""
    from bench_files import claim_folder, read_marker

    marker = data / DATA_MARKER
    if data.is_dir() and keep and any(data.iterdir()):
        return
    if data.is_dir() and not keep and read_marker(marker).get("made_by") == MADE_BY:
        shutil.rmtree(data)
    claim_folder(data, _unmarked(data))
    data.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"made_by": MADE_BY}))


def summarise(mode: str, n: int, rows: list[dict]) -> dict:
    by = {r["stage"]: r for r in rows}
    out: dict = {}
    if mode == "audio" and {"scan", "embed"} <= set(by):
        bounds = [by[b]["result"] for b in ("bound", "bound2") if "result" in by.get(b, {})]
        scan, embed = by["scan"], by["embed"]
        per_track = (scan["wall_s"] + embed["wall_s"]) / n
        cpu_per_track = (scan.get("cpu_s", 0) + embed.get("cpu_s", 0)) / n
        out["scan_embed_s_per_track"] = round(per_track, 4)
        out["scan_embed_cpu_s_per_track"] = round(cpu_per_track, 4)
        out["scan_embed_sys_share"] = round(
            (scan.get("sys_s", 0) + embed.get("sys_s", 0)) / max(1e-9, scan.get("cpu_s", 0)
                                                                 + embed.get("cpu_s", 0)), 3)
        if bounds:
            wall_bound = sum(b["bound_s_per_track"] for b in bounds) / len(bounds)
            cpu_bound = sum(b["bound_cpu_s_per_track"] for b in bounds) / len(bounds)
            out["bound_s_per_track"] = round(wall_bound, 4)
            out["bound_cpu_s_per_track"] = round(cpu_bound, 4)
            out["ratio_wall"] = round(per_track / wall_bound, 3)
            out["ratio_cpu"] = round(cpu_per_track / cpu_bound, 3)
            out["network_patches_per_s"] = [round(b["patches_per_s"], 2) for b in bounds]
            out["matmul_gflops"] = [round(b["matmul_gflops"], 1) for b in bounds]
            out["network_share_of_matmul_rate"] = [round(b["network_share_of_matmul_rate"], 3)
                                                   for b in bounds]
        if "result" in by.get("paired", {}):
            p = by["paired"]["result"]
            out["paired_ratio_median"] = p["ratio_median"]
            out["paired_cpu_ratio_median"] = p["cpu_ratio_median"]
            out["paired_embed_sys_share"] = p.get("embed_sys_share")
            # scan + embed over the bound: the scan's cost per track added to each pair
            pairs = p.get("pairs", [])
            if pairs:
                out["paired_ratio_with_scan"] = round(statistics.median(
                    (q["embed_s_per_track"] + scan["wall_s"] / n) / q["bound_s_per_track"]
                    for q in pairs), 3)
                out["paired_cpu_ratio_with_scan"] = round(statistics.median(
                    (q["embed_cpu_s_per_track"] + scan.get("cpu_s", 0) / n)
                    / q["bound_cpu_s_per_track"] for q in pairs), 3)
    out["max_peak_rss_mb"] = max((r.get("peak_rss_mb", 0) for r in rows), default=0)
    out["all_stages_under_4gb"] = out["max_peak_rss_mb"] <= MEMORY_LIMIT_MB
    return out


def print_table(mode: str, n: int, rows: list[dict], summary: dict) -> None:
    print(f"\n{mode} library, {n} tracks ({os.cpu_count()} CPUs; wall time includes other "
          "processes' load)")
    print(f"  {'stage':<11} {'wall s':>9} {'CPU s':>9} {'sys %':>6} {'peak MB':>8} "
          f"{'load':>10}  note")
    for r in rows:
        note = _note(r)
        print(f"  {r['stage']:<11} {r['wall_s']:>9.2f} {r.get('cpu_s', 0):>9.2f} "
              f"{100 * r.get('sys_share', 0):>6.1f} {r.get('peak_rss_mb', 0):>8.0f} "
              f"{r['load_before']:>4.1f}→{r['load_after']:<4.1f}  {note}")
    for k, v in summary.items():
        print(f"  {k}: {v}")


def _note(r: dict) -> str:
    res = r.get("result")
    if r.get("rc"):
        return f"FAILED rc={r['rc']}: {' '.join(r.get('error', []))[:120]}"
    if not isinstance(res, dict):
        return ""
    if r["stage"] in ("bound", "bound2"):
        return (f"{res['patches_per_s']:.1f} patches/s ({res['lanes']} lanes), "
                f"{res['cpu_ms_per_patch']:.1f} ms CPU/patch, matmul {res['matmul_gflops']:.0f} "
                f"GFLOP/s")
    if r["stage"] == "paired":
        return (f"embed job vs network alone, alternated over {res['tracks']} tracks: ratio "
                f"{res['ratio_median']} (wall), {res['cpu_ratio_median']} (CPU)")
    if r["stage"] == "window":
        return (f"map shown {res['map_shown_s']:.1f} s, {res['points']} points, pan frame "
                f"median {res['pan_frame_ms']['median']:.1f} ms (max "
                f"{res['pan_frame_ms']['max']:.1f}), click {res['click_to_neighbours_ms']:.0f} "
                f"ms, query {res['neighbour_query_ms']['median']:.1f} ms")
    if "embedded" in res:
        return f"{res['embedded']} embedded, {res['failed']} failed, device {res['device']}"
    if "added" in res:
        return f"{res['added']} added, {res['unchanged']} unchanged, {res['files']} files"
    if "steps" in res:
        return f"{res['steps']} steps, {res['seconds']} s in training"
    if "tracks" in res and "memberships" in res:
        return f"{res['tracks']} tracks, {res['memberships']} memberships"
    return ""


def main() -> int:
    from bench_files import read_previous, write_json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["audio", "features", "files"])
    ap.add_argument("--tracks", type=int, default=None,
                    help="N (default 1000 audio, 100000 features)")
    ap.add_argument("--work", default="/tmp/musicsage-scale",
                    help="where libraries and data dirs live (outside the repository)")
    ap.add_argument("--stages", default=None, help="comma list (default: all)")
    ap.add_argument("--keep-data", action="store_true",
                    help="reuse the data dir of the last run (else start empty)")
    ap.add_argument("--bound-seconds", type=float, default=30.0)
    ap.add_argument("--unique", type=int, default=250, help="library_build.py --unique")
    args = ap.parse_args()
    n = args.tracks or (1000 if args.mode == "audio" else 100_000)
    work = Path(args.work)
    data = work / f"data-{args.mode}-{n}"
    fresh_data_dir(data, args.keep_data)
    prepared: dict = {}
    if args.mode == "audio":
        from library_build import build_library

        library = work / f"lib{n}"
        prepared = build_library(library, n, unique=args.unique)
        commands = audio_commands(library, data, args.bound_seconds)
    elif args.mode == "features":
        from scale_data import generate

        dataset = work / f"feat{n}"
        prepared = generate(dataset, n, option="--work")
        commands = feature_commands(dataset, data)
    else:
        prepared = short_files(work / f"files{n}", n)
        commands = file_commands(work / f"files{n}" / "music", data)
    wanted = args.stages.split(",") if args.stages else list(commands)
    unknown = set(wanted) - set(commands)
    if unknown:
        ap.error(f"unknown stages {sorted(unknown)}; choose from {', '.join(commands)}")
    rows = []
    env = child_env()
    for name in wanted:
        print(f"stage {name} …", flush=True)
        row = run_stage(name, commands[name], env=env)
        rows.append(row)
        print(f"  {row['wall_s']:.1f} s wall, {row.get('cpu_s', 0):.1f} s CPU, "
              f"{row.get('peak_rss_mb', 0):.0f} MB peak, rc {row['rc']}  {_note(row)}",
              flush=True)
    summary = summarise(args.mode, n, rows)
    result = {"mode": args.mode, "tracks": n, "prepared": prepared, "cpus": os.cpu_count(),
              "command": " ".join([Path(sys.executable).name, *sys.argv]),
              "stages": rows, "summary": summary}
    out = REPO / "bench" / "results" / f"library_scale_{args.mode}_{n}.json"
    if args.stages and out.exists():  # a partial run updates the stages it ran
        old = read_previous(out)
        keep = [r for r in old.get("stages", []) if r["stage"] not in wanted]
        result["stages"] = keep + rows
        result["summary"] = summarise(args.mode, n, result["stages"])
    write_json(out, result)
    print_table(args.mode, n, result["stages"], result["summary"])
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
