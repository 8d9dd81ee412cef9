"""Shared pieces of the graph benchmarks: data sets, seeds, splits, one run per (method, seed).

Two modes, so that no choice ever looks at a reported figure (docs/protocol.md, "Choosing
without peeking"):

- ``val`` (tuning): seeds :data:`TUNING_SEEDS`; the test split of a seed is made, and then a
  *validation* split is carved from its training memberships (protocol 3 again, seed + 5000).
  The method trains on that split's training part and is scored on its pairs — the test
  split's held-out memberships are never used. Every default was chosen in this mode.
- ``test`` (reporting): seeds :data:`REPORT_SEEDS`, which no choice looked at; the method
  trains on the test split's training memberships and is scored on its held-out pairs.

Every run appends one JSON line to ``bench/results/graph_runs.jsonl`` (setting, method,
mode, seed, the eval JSON, timings), so tables can be rebuilt from all runs so far.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import NoReturn


REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_files import read_marker  # noqa: E402
from musicsage.graph.build import parse_contexts  # noqa: E402
from musicsage.graph.config import MAX_SEED, TrainConfig  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402
from musicsage.graph.evaluate import aggregate, evaluate, mean_pairwise_cosine  # noqa: E402
from musicsage.graph.split import Split, protocol_split  # noqa: E402
from musicsage.graph.train import train  # noqa: E402

RESULTS = REPO / "bench" / "results"
RUNS = RESULTS / "graph_runs.jsonl"
TUNING_SEEDS = (0, 1, 2)
#: the current defaults' reporting seeds (with the co-member view); 100–102 and 200–202
#: reported the defaults with context vectors from zero, 300–302 those before the two-hop
#: part, 400–402 those before the co-member view; each set was looked at since, so a new
#: default needs new seeds
REPORT_SEEDS = (500, 501, 502)
ALL = ("playlist", "album", "artist")

#: the blocks of an evaluation a part's worth is recorded with
FIGURES = ("graph", "warm", "cold", "new_pairs")

#: setting -> (data set, contexts)
SETTINGS = {
    "spotify": ("spotify_songs", ALL),
    "spotify-playlists": ("spotify_songs", ("playlist",)),
    "cora": ("cora", ("playlist",)),
    "citeseer": ("citeseer", ("playlist",)),
    "movielens": ("movielens", ("playlist",)),
}

_DATA: dict[str, GraphData] = {}


def dataset_dir(name: str) -> Path:
    from cora import cora_dir
    from datasets import spotify_songs_dir
    from movielens import movielens_dir

    if name == "spotify_songs":
        return spotify_songs_dir()
    if name in ("cora", "citeseer"):
        return cora_dir(name=name)
    if name == "movielens":
        return movielens_dir()
    raise SystemExit(f"unknown data set {name}")


def refuse(message: str) -> NoReturn:
    """Exit 2 with one line: a name the user typed is not one of the choices (a KeyError's
    traceback would not say which names there are)."""
    print(message, file=sys.stderr)
    raise SystemExit(2)


def name_list(choices, what: str):
    """An argparse ``type`` for a comma list of names out of ``choices``: an unknown one is
    refused before anything runs, naming the choices (argparse exits 2)."""
    def parse(text: str) -> list[str]:
        names = [s.strip() for s in text.split(",") if s.strip()]
        unknown = [s for s in names if s not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {','.join(unknown) or repr(text)}: choose from "
                f"{','.join(choices)}")
        return names
    return parse


def whole_count(text: str, what: str, note: str = "") -> int:
    """A count option's value: a whole number of at least 1, else argparse's one-line refusal
    naming ``what`` it counts (``note`` said after it)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what}: give a whole "
                                         f"number of at least 1{note}")
    return value


def thread_count(text: str) -> int:
    """``--threads``: a whole number of at least 1 (torch refused 0 with a traceback, after
    the data set was loaded)."""
    return whole_count(text, "threads")


def positive_floats(text: str) -> list[float]:
    """A comma list of numbers above 0 (``--lambdas``: EASE's λ; 0 left its matrix singular,
    and ``abc`` was a ValueError's traceback, both after the data set was loaded)."""
    try:
        values = [float(s) for s in text.split(",")]
    except ValueError:
        values = []
    if not values or not all(v > 0 and math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma list of numbers above 0, "
                                         "e.g. 1,10,100")
    return values


def seed_list(text: str) -> list[int]:
    """``--seeds``: a comma list of whole numbers from 0 to ``MAX_SEED``, as ``musicsage eval
    --seed`` takes them (argparse turns the error into one line; -1 was numpy's traceback
    after the data set was loaded)."""
    try:
        seeds = [int(s) for s in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma list of whole numbers, "
                                         "e.g. 500,501,502") from None
    wrong = [s for s in seeds if not 0 <= s <= MAX_SEED]
    if wrong:
        raise argparse.ArgumentTypeError(f"seed {wrong[0]} is out of range: seeds are whole "
                                         f"numbers from 0 to {MAX_SEED}, e.g. 500,501,502")
    return seeds


def load_setting(setting: str) -> tuple[GraphData, tuple[str, ...]]:
    if setting not in SETTINGS:
        refuse(f"unknown setting {setting}: choose from {','.join(SETTINGS)}")
    name, contexts = SETTINGS[setting]
    if name not in _DATA:
        _DATA[name] = GraphData.from_dataset_dir(dataset_dir(name))
    return _DATA[name], parse_contexts(contexts)


def load_dataset_dir(path: Path, contexts: str | None) -> tuple[GraphData, tuple[str, ...]]:
    """Any dataset dir (docs/dataset-dir.md: a user's own, or ``musicsage export``'s) in place
    of a named setting, so that the same splits and baselines run on it; contexts ``None`` =
    all, as ``musicsage eval --dataset`` takes them. A folder that is not one exits with the
    app's one-line message, not a traceback."""
    from musicsage.errors import MusicsageError

    try:
        return GraphData.from_dataset_dir(path), parse_contexts(contexts)
    except MusicsageError as exc:
        raise SystemExit(str(exc)) from None


def make_split(data: GraphData, seed: int, mode: str) -> Split:
    """The split a run trains on and is scored on (module doc)."""
    test = protocol_split(data.memberships, data.n_tracks, seed=seed)
    if mode == "test":
        return test
    if mode != "val":
        raise SystemExit(f"unknown mode {mode}")
    return protocol_split(test.train_memberships, data.n_tracks, seed=seed + 5000)


def set_threads(n: int) -> None:
    import torch

    os.environ["OMP_NUM_THREADS"] = str(n)
    torch.set_num_threads(n)


def machine_load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine_build() -> dict:
    """What decides a run's last floating-point bits besides the code and the seed: the
    versions of torch and numpy and the widest SIMD kernels torch uses. A validation choice
    that rests on a one-pair tie (spotify seed 501's co-member weight) can flip between
    machines that differ here, so every line says which it ran on."""
    import numpy
    import torch

    try:
        simd = torch.backends.cpu.get_cpu_capability()
    except (AttributeError, RuntimeError):
        simd = "?"
    return {"torch": torch.__version__, "numpy": numpy.__version__, "cpu_capability": simd}


def run_model(data: GraphData, contexts, split: Split, config: TrainConfig, *, log=None
              ) -> dict:
    """Train on the split's training memberships, embed every track, evaluate, time it.

    ``two_hop``: the weight validation chose for item-kNN's two-hop part and each weight's
    validation score; ``without_two_hop``: the same run's figures with the model's vectors
    alone (the part's worth, measured without a second run; the figures themselves when
    validation left the part out)."""
    def on_progress(p):
        if log and p.extra.get("val_hr10") is not None:
            log(f"    step {p.extra['step']:5d} loss {p.extra['loss']:.3f} "
                f"val HR@10 {p.extra['val_hr10']:.4f} cos {p.extra['mean_cos']:.3f}")

    t0 = time.perf_counter()
    result = train(data, split.train_memberships, contexts=contexts, config=config,
                   progress=on_progress)
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb = result.embed(data)
    t_embed = time.perf_counter() - t0
    out = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
    out.update(mean_cos=mean_pairwise_cosine(emb), train_seconds=t_train,
               embed_seconds=t_embed, steps=result.steps, best_step=result.best_step,
               best_val_hr10=result.best_val_hr10, gate=float(result.model.gate),
               seconds_per_step=t_train / max(result.steps, 1),
               history=[{k: h[k] for k in ("step", "loss", "val_hr10", "val_mrr") if k in h}
                        for h in result.history],
               two_hop={"gamma": result.two_hop_gamma,
                        "val": {f"{g:g}": v for g, v in result.two_hop_scores.items()}})
    out["without_two_hop"] = (_figures_without(result, "two_hop", data, split)
                              if result.two_hop is not None else
                              {k: out[k] for k in FIGURES})
    if result.comember_scores:
        out["comember"] = {"weight": result.comember_weight,
                           "val": {f"{w:g}": v for w, v in result.comember_scores.items()}}
        if result.comember is not None:
            out["comember"]["without"] = _figures_without(result, "comember", data, split)
    return out


def _figures_without(result, part: str, data: GraphData, split: Split) -> dict:
    """The same run's figures with the part named ``part`` ('two_hop', 'comember') taken
    out for a moment: its worth, without a second run (the other part stays as validation
    chose it)."""
    kept = getattr(result, part)
    setattr(result, part, None)
    try:
        alone = evaluate(result.embed(data), data.features, split, data.n_tracks,
                         data.n_playlists)
    finally:
        setattr(result, part, kept)
    return {k: alone[k] for k in FIGURES}


def run_baseline(data: GraphData, contexts, split: Split, fn, seed: int) -> dict:
    """Evaluate ``fn(data, train_memberships, contexts, seed) -> embeddings | scorer``."""
    t0 = time.perf_counter()
    emb = fn(data, split.train_memberships, contexts, seed)
    seconds = time.perf_counter() - t0
    out = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
    if not callable(emb):
        out["mean_cos"] = mean_pairwise_cosine(emb)
    out["train_seconds"] = seconds
    return out


def record(setting: str, method: str, mode: str, seed: int, result: dict, **extra) -> dict:
    """Append one run to :data:`RUNS` (and return the line written)."""
    line = {"setting": setting, "method": method, "mode": mode, "seed": seed,
            "time": time.strftime("%Y-%m-%d %H:%M:%S"), "load": machine_load(),
            "build": machine_build(), **extra,
            "result": result}
    RUNS.parent.mkdir(parents=True, exist_ok=True)
    with open(RUNS, "ab+") as f:
        f.seek(0, os.SEEK_END)
        if f.tell():  # after a cut-off last line, start a line of its own
            f.seek(-1, os.SEEK_END)
            start = b"" if f.read(1) == b"\n" else b"\n"
        else:
            start = b""
        f.write(start + (json.dumps(line, default=float) + "\n").encode())
    return line


def read_runs(path: Path = RUNS) -> list[dict]:
    """Every run recorded in ``path``. A line that is not a whole run (a run killed while it
    wrote, stray bytes that are not text, JSON that is not an object) is skipped with one
    warning naming it: one damaged line must not stop every later run and table (a byte
    that is not UTF-8 made reading the whole file fail, and with it every earlier run)."""
    if not path.is_file():
        return []
    runs = []
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            run = json.loads(line.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError is one too
            run = None
        if isinstance(run, dict):
            runs.append(run)
        elif (str(path), number) not in _WARNED:  # once, not at every look-up of a run
            _WARNED.add((str(path), number))
            print(f"warning: {path} line {number} is not a whole run (cut off?); "
                  "skipped", file=sys.stderr)
    return runs


_WARNED: set[tuple[str, int]] = set()


def summarise(runs: list[dict]) -> dict:
    """Mean ± std over the runs' eval JSONs (the latest run per seed counts)."""
    latest = {}
    for r in runs:
        latest[r["seed"]] = r["result"]
    agg = aggregate(list(latest.values()))
    agg["seed_list"] = sorted(latest)
    return agg


def _hr(block: dict, std: dict, side: str = "graph", key: str = "hr@10") -> str:
    v, s = block[side][key], std[side][key]
    return "  -   " if v is None else f"{v:.3f}±{s:.3f}"


HEADER = (f"{'method':30s} {'HR@10':>11s} {'MRR':>11s} {'warm HR@10':>11s} "
          f"{'cold HR@10':>11s} {'HR@100':>7s} {'cos':>6s} {'train s':>8s} {'pairs':>6s} seeds")


def _cos(agg: dict) -> str:
    """Mean pairwise cosine of the method's vectors; '-' for a scorer with none (item-kNN,
    EASE: the mean over seeds of a missing figure is NaN, which read like a broken run)."""
    value = agg.get("mean_cos")
    return "     -" if value is None or value != value else f"{value:+6.3f}"


def row(name: str, agg: dict, side: str = "graph") -> str:
    s = agg["std"]
    return (f"{name:30s} {_hr(agg, s, side)} {_hr(agg, s, side, 'mrr')} "
            f"{_hr(agg['warm'], s['warm'], side)} {_hr(agg['cold'], s['cold'], side)} "
            f"{agg[side]['hr@100']:7.3f} {_cos(agg) if side == 'graph' else '     -'} "
            f"{agg.get('train_seconds', 0):8.0f} {agg.get('pairs', 0):6.0f} "
            f"{','.join(map(str, agg['seed_list']))}")


def table(block: dict[str, dict]) -> list[str]:
    """The header and one row per method of ``block`` (method -> :func:`summarise`): audio-only
    first, read from the first method's runs (every evaluation scores it beside the method;
    the ``audio`` method's own runs where it ran, which give its cos too); pairs is the mean
    number of evaluation pairs per seed, the same for every method on the same seeds."""
    audio = (row("audio-only", block["audio"]) if "audio" in block
             else row("audio-only", next(iter(block.values())), "audio"))
    return [HEADER, audio,
            *(row(method, agg) for method, agg in block.items() if method != "audio")]


def std_ratio(agg: dict) -> float:
    return agg["std"]["graph"]["hr@10"] / max(agg["graph"]["hr@10"], 1e-12)


def require_results_file(path: Path, bench: str) -> None:
    """Refuse (exit 2, one line, before any run) an ``--out`` of ``bench`` (the script's name)
    that exists but is not its results file: :func:`merged_settings` keeps only ``settings``
    from it and writes the rest anew, so a user's own file, one cut off mid-write, or the
    other bench's results (graph_bench's and graph_ablations' blocks differ) was silently
    replaced after a run of hours."""
    if not path.exists():
        return
    try:
        payload = json.loads(path.read_text())
    except OSError as exc:
        refuse(f"{path} cannot be read ({exc.strerror or exc}), so it is left alone: give "
               f"--out a new file or one {bench} wrote")
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("settings"), dict):
        refuse(f"{path} is not a results file of {bench} (a JSON object with \"settings\"), "
               f"so it is left alone: give --out a new file or one {bench} wrote")
    writer = results_writer(payload)
    if writer not in (None, bench):
        refuse(f"{path} holds {writer}'s results, so it is left alone: give {bench} --out a "
               f"new file or one {bench} wrote")


def results_writer(payload: dict) -> str | None:
    """Which bench wrote the results ``payload``: its ``bench`` key, or for a file written
    before that key, its shape (graph_ablations records a ``mode`` and variants per setting,
    graph_bench its ``config`` and ``methods`` per setting); None when nothing tells."""
    if isinstance(payload.get("bench"), str):
        return payload["bench"]
    if "mode" in payload:
        return "graph_ablations"
    blocks = payload["settings"].values()
    if "config" in payload or any(isinstance(b, dict) and "methods" in b for b in blocks):
        return "graph_bench"
    return None


def merged_settings(path: Path, payload: dict) -> dict:
    """``payload`` with the settings already in ``path`` kept beside its own: docs/model.md
    runs the benches one setting group after another into the same file, and each run must
    add its settings, not wipe the earlier ones (a setting run again is replaced)."""
    old = read_marker(path).get("settings")
    settings = {**(old if isinstance(old, dict) else {}), **payload["settings"]}
    return {**payload, "settings": settings}
