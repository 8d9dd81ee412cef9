"""DGI on Cora: linear-probe accuracy on the standard Planetoid split, mean ± std over seeds.

Run: ``.venv/bin/python bench/dgi_cora.py [--seeds 5] [--max-steps N] [--threads 2]``.
Converts ../shared/data/cora into a dataset dir on first use (``bench/cora.py``), trains the
``dgi`` objective on the PinSage encoder (minibatches of sampled blocks, see
musicsage/graph/dgi.py) with the Cora configuration below, embeds every paper, and fits a
logistic regression on the 140 training labels; accuracy on the 1,000 test papers. The
regularisation C of the probe is picked on the 500 validation papers (no test label is ever
used for a choice). Also probes the raw features and the untrained encoder, for scale.
Writes ``bench/results/dgi_cora.json``.

Targets (issue 9): ≥ 80% (DGI reports 82.3 ± 0.6 with a 512-d GCN; raw features ≈ 48).

Probe: logistic regression on the embeddings as they are (DGI's protocol), C from
``PROBE_CS`` picked on the validation papers. A probe on per-dimension z-scores is reported
too (``test_standardized``): on these embeddings it reads 0.5–2 points lower, because it
blows near-constant ReLU dimensions up to the scale of the informative ones.

Tuning (why ``CORA_CONFIG`` differs from the product defaults; run-to-run spread of one
config ≈ ±1.5 points since DGL's random walks are not bit-reproducible across thread schedules):
- ``aggregator='mean'``: the GCN-style layer (node and weighted neighbours averaged, then one
  linear map), as DGI's own encoder. With PinSage's SAGE layer (neighbours transformed, then
  concatenated with the node) every configuration tried landed at 0.77–0.79 (5 seeds of the
  best: 0.783 ± 0.008) — about what a parameter-free one-round smoothing over the same
  neighbourhoods gives; the untrained encoder probes at 0.58 with the SAGE layer and 0.78 with
  the mean layer.
- 512-d, one layer, no skip, ReLU on the output: DGI's shape (a 512-d one-layer GCN). With
  the skip the output is mostly the node's own words, which the shuffle leaves intact.
- ``input_scaling='global'``: row-normalised bags of words keep their relative weights.
- 10 neighbours from 100 walks, 500 steps of 256, dropout 0.2 (each of the first two: +1 point
  over 30 walks / 300 steps on 5 seeds).
- tried with the SAGE layer without a clear gain: 2 layers, 5/25 neighbours, 100/200 walks,
  1 traversal, termination 0.8/0.9, batch 1024, 3 shuffles averaged (GMI), hidden 512,
  normalize off, 400–600 steps, lr 3e-4/3e-3, dropout 0.3, wider neighbourhoods at inference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

RESULTS = REPO / "bench" / "results"
PROBE_CS = (0.1, 1.0, 10.0, 100.0, 1000.0)

#: The encoder/loop configuration used on Cora (why each differs from the product default:
#: the "Tuning" paragraph of this module's doc).
CORA_CONFIG = dict(objective="dgi", dim=512, hidden=128, layers=1, aggregator="mean",
                   output_activation=True, skip=False, input_scaling="global", batch_size=256,
                   max_steps=500, eval_every=20, patience=1000, select="loss",
                   val_fraction=0.0, lr=1e-3, dropout=0.2, warmup=20, refresh_every=20,
                   num_walks=100, num_neighbors=10)


def row_normalised(features: np.ndarray) -> np.ndarray:
    """Each paper's bag of words divided by its word count (DGI's preprocessing)."""
    return (features / np.maximum(features.sum(1, keepdims=True), 1)).astype(np.float32)


def probe(emb, labels, split) -> dict:
    """Test accuracy at the C that does best on the validation papers."""
    from cora import probe_accuracy

    def pick(standardize: bool, cs) -> dict:
        val = {C: probe_accuracy(emb, labels, split["train"], split["val"], C=C,
                                 standardize=standardize) for C in cs}
        best_c = max(cs, key=lambda c: (val[c], -c))
        return {"test": probe_accuracy(emb, labels, split["train"], split["test"], C=best_c,
                                       standardize=standardize),
                "val": val[best_c], "C": best_c}

    raw, std = pick(False, PROBE_CS), pick(True, (0.001, 0.01, 0.1, 1.0))
    return {**raw, "test_standardized": std["test"], "C_standardized": std["C"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None, help="Cora dataset dir (bench/cora.py)")
    args = ap.parse_args()

    import torch

    from cora import cora_dir, load_probe_labels
    from musicsage.graph.build import build_context_graph
    from musicsage.graph.data import GraphData
    from musicsage.graph.config import TrainConfig
    from musicsage.graph.inference import embed_tracks
    from musicsage.graph.model import build_encoder
    from musicsage.graph.train import train

    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    torch.set_num_threads(args.threads)
    directory = cora_dir(args.dir)
    raw = GraphData.from_dataset_dir(directory)
    data = GraphData(track_ids=raw.track_ids, features=row_normalised(raw.features),
                     memberships=raw.memberships, playlist_keys=raw.playlist_keys)
    labels, split = load_probe_labels(directory)
    settings = dict(CORA_CONFIG, threads=args.threads)
    if args.max_steps:
        settings["max_steps"] = args.max_steps
    base = TrainConfig().with_(**settings)
    contexts = ("playlist",)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Cora: {data.n_tracks} papers, {data.feature_dim} words, {len(data.memberships)} "
          f"memberships; threads {args.threads}; load {load}", flush=True)

    out: dict = {"config": base.to_dict(), "load_at_start": load, "seeds": []}
    out["raw_features"] = probe(data.features, labels, split)
    print(f"raw features (row-normalised) probe: {out['raw_features']['test']:.3f} "
          f"(standardised {out['raw_features']['test_standardized']:.3f})", flush=True)
    graph = build_context_graph(data, data.memberships, contexts)
    torch.manual_seed(0)
    untrained = build_encoder(data.features, graph.n_contexts, base.encoder)
    out["untrained_encoder"] = probe(embed_tracks(untrained, data, graph, base.walk), labels,
                                     split)
    print(f"untrained encoder probe: {out['untrained_encoder']['test']:.3f}", flush=True)

    for seed in range(args.seeds):
        t = time.perf_counter()
        result = train(data, data.memberships, contexts=contexts, config=base.with_(seed=seed))
        seconds = time.perf_counter() - t
        p = probe(result.embed(data), labels, split)
        row = {"seed": seed, **p, "steps": result.steps, "best_step": result.best_step,
               "final_loss": result.history[-1]["loss"], "train_seconds": round(seconds, 1),
               "history": result.history}
        out["seeds"].append(row)
        print(f"seed {seed}: test {p['test']:.3f} (val {p['val']:.3f}, C={p['C']}; "
              f"standardised probe {p['test_standardized']:.3f}) "
              f"steps {result.steps} loss {row['final_loss']:.3f} {seconds:.0f}s "
              f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)

    acc = np.array([r["test"] for r in out["seeds"]])
    acc_std = np.array([r["test_standardized"] for r in out["seeds"]])
    out["summary"] = {"mean": float(acc.mean()), "std": float(acc.std(ddof=0)),
                      "standardized_probe_mean": float(acc_std.mean()),
                      "standardized_probe_std": float(acc_std.std(ddof=0)),
                      "target": 0.80, "met": bool(acc.mean() >= 0.80)}
    print(f"\n{'embedding':34s} {'test accuracy':>16s}")
    print(f"{'raw features (row-normalised)':34s} {out['raw_features']['test']:>16.3f}")
    print(f"{'untrained encoder':34s} {out['untrained_encoder']['test']:>16.3f}")
    print(f"{f'DGI ({args.seeds} seeds)':34s} {acc.mean():>10.3f} ± {acc.std():.3f}")
    print(f"{'DGI, standardised probe':34s} {acc_std.mean():>10.3f} ± {acc_std.std():.3f}")
    print(f"target ≥ 0.80: {'MET' if out['summary']['met'] else 'NOT MET'} "
          f"(DGI paper 0.823 ± 0.006)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "dgi_cora.json"
    path.write_text(json.dumps(out, indent=2, default=float))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
