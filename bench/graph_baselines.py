"""The reference points the graph model has to beat, each a function of the training
memberships only: ``fn(data, train_memberships, contexts, seed) -> embeddings | scorer``.

- ``audio``: the input features z-scored per dimension (cosine) — the protocol's audio-only.
- ``smoothing``: untrained — each track's z-scored features averaged with those of the tracks
  it shares a training context with (1 hop over the switched-on contexts).
- ``itemknn``: item-kNN over the track × context incidence, no features: each track's row of
  IDF-weighted incidence (idf = log(n_tracks / context size)), unit length; one-hop
  similarity S = cosine of those rows; the score is two hops, S·S (it includes the direct
  overlap through the track's own row). A track with no context has no score (all ties).
- ``ease``: EASE (Steck, 2019), the closed-form linear item-item model over the same
  incidence X (tracks × contexts, no IDF): B = argmin ||Xᵀ − Xᵀ·B||² + λ||B||² with
  diag(B) = 0, whose solution is B = I − P / diag(P), P = (X·Xᵀ + λI)⁻¹; the score of j for a
  query q is B[q, j]. A strong simple baseline of recommender research. Solved through the
  Woodbury identity in the contexts' dimension when there are fewer contexts than tracks with
  one; λ (``EASE_LAMBDA``) was chosen on validation splits. No context, no score (ties).
- ``crude``: the crude context-vector model, unit(MLP(features) + mean of learned
  playlist/album/artist vectors), InfoNCE (τ=0.1) on training co-member pairs, batch 512,
  3,000 steps; deliberately small, no validation, no early stop.

The model with its graph layers off (K = 0) is a model variant, not a function here
(``bench/graph_bench.py`` runs it next to these).

Run: ``.venv/bin/python bench/graph_baselines.py [--settings spotify,spotify-playlists]
[--mode val|test] [--seeds 500,501,502] [--only itemknn,crude]``.

On any dataset dir (docs/dataset-dir.md; ``musicsage export DIR`` writes one from a library):
``bench/graph_baselines.py --dataset-dir DIR [--contexts playlist] [--seeds 500,501,502]
[--only audio,smoothing,itemknn,ease,crude,model]`` — the same splits (protocol 3, one per
seed, as ``musicsage eval --dataset DIR --seed 500 --seeds 3`` makes them), the same
baselines and the same table as ``graph_bench.py``; ``model`` adds the graph model with the
current defaults. Nothing is recorded. EASE's λ is 10 there unless ``--lambdas`` names it
(choose it with ``--mode val --lambdas 1,10,100,1000``, then pass the best in test mode).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_common import (REPORT_SEEDS, SETTINGS, TUNING_SEEDS, TrainConfig,  # noqa: E402
                          load_dataset_dir, load_setting, make_split, name_list, positive_floats,
                          record, refuse, run_baseline, run_model, seed_list, set_threads,
                          summarise, table, thread_count)
from musicsage.graph.build import build_context_graph  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402
from musicsage.vectors import zscore  # noqa: E402


def _incidence(data: GraphData, train_memberships: np.ndarray, contexts):
    import scipy.sparse as sp

    cg = build_context_graph(data, train_memberships, contexts)
    e = cg.edges
    return sp.csr_matrix((np.ones(len(e), np.float32), (e[:, 0], e[:, 1])),
                         shape=(data.n_tracks, max(cg.n_contexts, 1)))


def audio_embeddings(data, train_memberships, contexts, seed) -> np.ndarray:
    return zscore(data.features)


def smoothing_embeddings(data, train_memberships, contexts, seed) -> np.ndarray:
    """Mean of a track's own and its 1-hop context neighbours' z-scored features."""
    x = _incidence(data, train_memberships, contexts)
    adj = (x @ x.T).tocsr()
    adj.setdiag(1.0)
    adj.data[:] = 1.0
    z = zscore(data.features)
    return np.asarray(adj @ z) / np.asarray(adj.sum(1))


def itemknn_scorer(data, train_memberships, contexts, seed):
    """Two-hop IDF-weighted cosine over the incidence (module doc), as a scorer."""
    import scipy.sparse as sp

    x = _incidence(data, train_memberships, contexts)
    size = np.asarray(x.sum(0)).ravel()
    idf = np.log(data.n_tracks / np.maximum(size, 1)).astype(np.float32)
    v = (x @ sp.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(v.multiply(v).sum(1)).ravel())
    v = (sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ v).tocsr()
    vt = v.T.tocsr()

    def score(queries: np.ndarray) -> np.ndarray:
        one_hop = (v[queries] @ vt).tocsr()       # [q, n] cosine
        return np.asarray(((one_hop @ v) @ vt).todense())  # [q, n] two hops

    return score


#: EASE's one parameter per setting, chosen on validation splits of seeds 0–2 from
#: ``--lambdas`` (``--mode val --only ease``); docs/model.md has the grid.
EASE_LAMBDA = {"spotify": 1000.0, "spotify-playlists": 10.0, "cora": 100.0, "citeseer": 1000.0,
               "movielens": 30000.0}


def ease_scorer(data, train_memberships, contexts, seed, *, lam: float = 10.0):
    """EASE over the track × context incidence (module doc), as a scorer."""
    return ease_on_incidence(_incidence(data, train_memberships, contexts), lam)


def ease_on_incidence(x, lam: float):
    """``score(queries) -> [len(queries), n_tracks]`` of EASE on the sparse incidence ``x``.

    Only tracks with a context take part (a track without one has an all-zero row, so its
    weights are 0 either way); the rest score 0. With fewer contexts than such tracks the
    inverse is taken in the contexts' dimension (Woodbury), which is what makes EASE cheap on
    471 playlists and 24,520 tracks.
    """
    active = np.flatnonzero(np.asarray(x.sum(1)).ravel() > 0)
    xa = x[active].astype(np.float64)
    where = np.full(x.shape[0], -1)
    where[active] = np.arange(len(active))
    if xa.shape[1] < len(active):
        # P = (I − X M Xᵀ)/λ with M = (λI + XᵀX)⁻¹, so for q ≠ j
        # B[q, j] = (X_q M X_jᵀ) / (1 − X_j M X_jᵀ); the 1/λ cancels.
        m = np.linalg.inv(lam * np.eye(xa.shape[1]) + (xa.T @ xa).toarray())
        xm = np.asarray(xa @ m)
        denominator = 1.0 - np.asarray(xa.multiply(xm).sum(1)).ravel()
        right = (xa.T.multiply(1.0 / denominator)).T.tocsr()

        def block(rows):
            return np.asarray((right @ xm[rows].T).T)
    else:
        p = np.linalg.inv((xa @ xa.T).toarray() + lam * np.eye(len(active)))
        weights = -p / np.diag(p)

        def block(rows):
            return weights[rows]

    def score(queries: np.ndarray) -> np.ndarray:
        out = np.zeros((len(queries), x.shape[0]), np.float32)
        rows = where[queries]
        ok = rows >= 0
        out[np.ix_(np.flatnonzero(ok), active)] = block(rows[ok])
        return out

    return score


def crude_embeddings(data: GraphData, train_memberships, contexts, seed, *, steps: int = 3000,
                     batch: int = 512, dim: int = 64, tau: float = 0.1,
                     lr: float = 1e-3) -> np.ndarray:
    """The crude context-vector model (module doc)."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    cg = build_context_graph(data, train_memberships, contexts)
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
    m = np.asarray(train_memberships, np.int64)
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


BASELINES = {"audio": audio_embeddings, "smoothing": smoothing_embeddings,
             "itemknn": itemknn_scorer, "ease": ease_scorer, "crude": crude_embeddings}


def baseline(name: str, setting: str, lam: float | None = None):
    """The function for baseline ``name`` on ``setting`` (EASE with that setting's λ)."""
    if name not in BASELINES:
        refuse(f"unknown baseline {name}: choose from {','.join(BASELINES)}")
    if name != "ease":
        return BASELINES[name]
    return functools.partial(ease_scorer, lam=EASE_LAMBDA.get(setting, 10.0) if lam is None
                             else lam)


def runner(name: str, setting: str, lam: float | None, threads: int):
    """``run(data, contexts, split, seed) -> eval JSON`` of baseline ``name`` — or of the graph
    model with the current defaults for ``model``, so that a dataset dir's table can show it
    on the same splits."""
    if name == "model":
        def run(data, contexts, split, seed):
            config = TrainConfig().with_(seed=seed, threads=threads)
            return run_model(data, contexts, split, config)
        return run
    if name not in BASELINES:
        raise SystemExit(f"unknown method {name}: choose from {','.join(BASELINES)},model")
    fn = baseline(name, setting, lam)
    return lambda data, contexts, split, seed: run_baseline(data, contexts, split, fn, seed)


def run_all(data, contexts, setting: str, runs, seeds, mode: str, *, keep: bool
            ) -> dict[str, dict]:
    """Every (name, run) of ``runs`` on every seed's split of ``mode``: a line per run,
    recorded in ``bench/results/graph_runs.jsonl`` when ``keep``; method -> mean ± std."""
    block = {}
    for name, run in runs:
        results = []
        for seed in seeds:
            t0 = time.perf_counter()
            r = run(data, contexts, make_split(data, seed, mode), seed)
            if keep:
                record(setting, name, mode, seed, r)
            results.append({"seed": seed, "result": r})
            print(f"{setting} {name} seed {seed}: HR@10 {_four(r['graph']['hr@10'])} "
                  f"MRR {_four(r['graph']['mrr'])} warm {_four(r['warm']['graph']['hr@10'])} "
                  f"cold {_four(r['cold']['graph']['hr@10'])} ({time.perf_counter() - t0:.0f}s)",
                  flush=True)
        block[name] = summarise(results)
    return block


def _four(value: float | None) -> str:
    """A figure as the per-seed lines print it ('-': the split has no pair of that kind)."""
    return "-" if value is None else f"{value:.4f}"


def _require_pairs(data: GraphData) -> None:
    """Exit with the line ``musicsage train`` refuses too few memberships in (a dataset dir
    without them failed formatting the None a split without pairs scores)."""
    from musicsage.errors import MusicsageError
    from musicsage.graph.jobs import require_memberships

    try:
        require_memberships(data)
    except MusicsageError as exc:
        raise SystemExit(str(exc)) from None


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (``argv``, default ``sys.argv``), each value checked before any data
    set is loaded: a bad one is argparse's one line and exit 2."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settings", default="spotify,spotify-playlists",
                    type=name_list(SETTINGS, "setting"))
    ap.add_argument("--dataset-dir", type=Path, default=None,
                    help="any dataset dir (docs/dataset-dir.md) instead of --settings: "
                         "prints the table and records nothing")
    ap.add_argument("--contexts", default=None,
                    help="with --dataset-dir: comma list of playlist,album,artist (default all)")
    ap.add_argument("--mode", default="test", choices=["val", "test"])
    ap.add_argument("--seeds", default=None, type=seed_list,
                    help="comma list (default 500,501,502 in test mode, 0,1,2 in val mode)")
    ap.add_argument("--only", default=",".join(BASELINES),  # checked before the data loads
                    type=name_list((*BASELINES, "model"), "method"),
                    help=f"comma list of {','.join(BASELINES)}, and model (the graph model)")
    ap.add_argument("--threads", type=thread_count, default=1)
    ap.add_argument("--lambdas", default=None, type=positive_floats,
                    help="EASE: try these λ (recorded as ease-λ), e.g. 1,10,100 with --mode val")
    args = ap.parse_args(argv)
    if args.contexts is not None and args.dataset_dir is None:  # was ignored without a word
        ap.error("--contexts is for --dataset-dir: a setting has its own contexts "
                 "(spotify-playlists: playlists only)")
    return args




def main() -> None:
    args = arguments()
    set_threads(args.threads)
    seeds = args.seeds or (REPORT_SEEDS if args.mode == "test" else TUNING_SEEDS)
    if args.dataset_dir is not None:
        settings = [(str(args.dataset_dir), load_dataset_dir(args.dataset_dir, args.contexts))]
        _require_pairs(settings[0][1][0])
    else:
        settings = [(name, None) for name in args.settings]
    for setting, loaded in settings:
        data, contexts = loaded or load_setting(setting)
        runs = [(name, runner(name, setting, None, args.threads))
                for name in args.only]
        if args.lambdas:
            runs = [(f"ease-{lam:g}", runner("ease", setting, lam, args.threads))
                    for lam in args.lambdas]
        block = run_all(data, contexts, setting, runs, seeds, args.mode, keep=loaded is None)
        print(f"\n== {setting}: protocol 3 ({args.mode}), seeds "
              f"{','.join(map(str, seeds))} (mean ± std) ==")
        print("\n".join(table(block)))


if __name__ == "__main__":
    main()
