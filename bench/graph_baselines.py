"""The two reference points the graph model has to beat, on the same splits as the benchmark.

- ``smoothing``: untrained — each track's z-scored features averaged with those of its
  training co-members (tracks sharing a training playlist). No learning at all.
- ``crude``: DESIGN.md's crude learned model, unit(MLP(features) + mean of learned
  playlist/album/artist vectors), InfoNCE (τ=0.1) on training co-member pairs, batch 512,
  3,000 steps. Deliberately small (the function below), no validation, no early stop.

Run: ``.venv/bin/python bench/graph_baselines.py [--seeds 3] [--contexts playlist]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from musicsage.graph.build import build_context_graph, parse_contexts  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402
from musicsage.graph.evaluate import membership_matrix  # noqa: E402
from musicsage.vectors import zscore  # noqa: E402


def smoothing_embeddings(data: GraphData, split) -> np.ndarray:
    """Mean of a track's own and its training co-members' z-scored features."""
    m = membership_matrix(split.train_memberships, data.n_tracks, data.n_playlists)
    adj = (m @ m.T).tocsr()
    adj.setdiag(1.0)
    adj.data[:] = 1.0
    z = zscore(data.features)
    return np.asarray(adj @ z) / np.asarray(adj.sum(1))


def crude_embeddings(data: GraphData, split, contexts, *, steps: int = 3000, batch: int = 512,
                     dim: int = 64, tau: float = 0.1, lr: float = 1e-3, seed: int = 0) -> np.ndarray:
    """DESIGN.md's crude context-vector model (see module doc)."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    cg = build_context_graph(data, split.train_memberships, contexts)
    x = torch.from_numpy(zscore(data.features))
    mlp = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, dim))
    ctx = torch.nn.EmbeddingBag(cg.n_contexts + 1, dim, mode="mean")
    torch.nn.init.normal_(ctx.weight, std=0.1)
    opt = torch.optim.Adam([*mlp.parameters(), *ctx.parameters()], lr=lr)

    def embed(rows: np.ndarray) -> torch.Tensor:
        flat, offsets, _ = cg.bags(rows)
        bag = ctx(torch.from_numpy(flat), torch.from_numpy(offsets))  # empty bag -> zeros
        return F.normalize(mlp(x[torch.from_numpy(rows)]) + bag, dim=1)

    # co-member pairs: a random training membership (t, p), then a random other member of p
    m = split.train_memberships
    m = m[np.argsort(m[:, 1], kind="stable")]
    starts = np.searchsorted(m[:, 1], np.arange(data.n_playlists + 1))
    for _ in range(steps):
        i = rng.integers(len(m), size=batch)
        p = m[i, 1]
        size = starts[p + 1] - starts[p]
        j = starts[p] + (rng.random(batch) * size).astype(np.int64)
        ok = (size > 1) & (m[j, 0] != m[i, 0])
        heads, tails = m[i[ok], 0], m[j[ok], 0]
        logits = embed(heads) @ embed(tails).T / tau
        target = torch.arange(len(heads))
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return torch.cat([embed(r) for r in np.array_split(np.arange(data.n_tracks), 16)]).numpy()


BASELINES = {"smoothing": lambda data, split, contexts, seed: smoothing_embeddings(data, split),
             "crude": lambda data, split, contexts, seed: crude_embeddings(data, split, contexts,
                                                                           seed=seed)}


def main() -> None:
    import torch

    from datasets import RESULTS, spotify_songs_dir
    from musicsage.graph.evaluate import aggregate, evaluate, mean_pairwise_cosine
    from musicsage.graph.split import holdout_split

    ap = argparse.ArgumentParser(description="baselines on spotify_songs")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--contexts", default=None)
    ap.add_argument("--only", default=None, help="smoothing | crude")
    args = ap.parse_args()
    torch.set_num_threads(2)
    data = GraphData.from_dataset_dir(spotify_songs_dir())
    contexts = parse_contexts(args.contexts)
    out = {}
    for name, fn in BASELINES.items():
        if args.only and name != args.only:
            continue
        runs = []
        for seed in range(args.seeds):
            split = holdout_split(data.memberships, seed=seed)
            t0 = time.perf_counter()
            emb = fn(data, split, contexts, seed)
            r = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
            r["seconds"] = time.perf_counter() - t0
            r["mean_cos"] = mean_pairwise_cosine(emb)
            runs.append(r)
            print(name, seed, json.dumps({k: round(v, 4) for k, v in r["graph"].items()}),
                  f"cold={r['cold_start']['graph']['hr@10']:.4f}", f"{r['seconds']:.0f}s",
                  flush=True)
        out[name] = aggregate(runs)
        g, s = out[name]["graph"], out[name]["std"]["graph"]
        print(f"{name:10s} contexts={','.join(contexts)} HR@10 {g['hr@10']:.4f}±{s['hr@10']:.4f}"
              f"  MRR {g['mrr']:.4f}±{s['mrr']:.4f}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"graph_baselines_{'-'.join(contexts)}.json"
    path.write_text(json.dumps(out, indent=2))
    print(path)


if __name__ == "__main__":
    main()
