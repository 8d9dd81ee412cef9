"""Planetoid citation graphs (Cora, CiteSeer) as musicsage dataset dirs, labels kept aside.

Run: ``.venv/bin/python bench/cora.py [DIR] [--name citeseer --raw RAW_DIR]`` (default
``bench/results/datasets/<name>``) — reads the Planetoid files ``ind.<name>.*`` (Cora from
``../shared/data/cora``; CiteSeer: get ``data/ind.citeseer.*`` from the Planetoid repository,
https://github.com/kimiyoung/planetoid (MIT), e.g. ``git clone --depth 1`` it and pass
``--raw planetoid/data``, or put them in ``bench/results/raw/citeseer``) and writes:

- ``tracks.csv``       track_id = paper index 0..2707 (the standard loaders' node order)
- ``features.npy``     float32 [2708, 1433], the bag of words row-normalised (each paper's
                       word flags divided by its word count: DGI's preprocessing, so that
                       ``--set input_scaling=global`` keeps the words' relative weights)
- ``memberships.csv``  one context per paper ``c<p>`` = p plus every paper it cites or is
                       cited by, so one track→context→track step is one citation hop
- ``labels.npy``       int64 class (0..6) of every paper — never read by training
- ``split.npz``        ``train`` (140), ``val`` (500), ``test`` (1,000) node indices
- ``converted_from.json`` the converter and the raw folder: DIR must be missing, empty or
                       such a conversion (a user's dataset dir there is refused, not replaced)

Node order and split follow the standard Planetoid loaders: features/labels are allx (1,708
rows for Cora) followed by tx (1,000 rows), and the rows of tx are moved to the positions
named by ``ind.<name>.test.index`` (the test papers are listed in a shuffled order); train =
the first len(y) papers, val = the next 500, test = the sorted test indices. CiteSeer lists
15 test indices with no paper: like the standard loaders, they get zero rows (isolated
papers without words), so every index in the test range exists.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORA_RAW = REPO.parent / "shared" / "data" / "cora"
DEFAULT_OUT = REPO / "bench" / "results" / "datasets" / "cora"
CONVERTER = "bench/cora.py"
RAW = {"cora": CORA_RAW, "citeseer": REPO / "bench" / "results" / "raw" / "citeseer"}
PLANETOID_PARTS = ("x", "y", "allx", "ally", "tx", "ty", "graph", "test.index")
PLANETOID_SOURCE = "https://github.com/kimiyoung/planetoid, folder data/ (MIT)"


def require_raw(raw: Path, name: str, then: str = "pass their folder as --raw DIR") -> Path:
    """``raw`` when it holds every ``ind.<name>.*`` file; else exit 1 with one line saying
    which folder is needed, where to get it (a traceback tells a user neither) and ``then``
    what to do with it: the benchmarks that convert on first use take no --raw, so they name
    this converter's command instead."""
    missing = [p for p in PLANETOID_PARTS if not (raw / f"ind.{name}.{p}").is_file()]
    if missing:
        what = (f"ind.{name}.*" if len(missing) == len(PLANETOID_PARTS)
                else ", ".join(f"ind.{name}.{p}" for p in missing))
        sys.exit(f"{raw} has no Planetoid {what} files: get the {name} files of "
                 f"{PLANETOID_SOURCE} and {then}")
    return raw


@dataclass(frozen=True)
class Planetoid:
    features: np.ndarray  # float32 [n, d], binary
    labels: np.ndarray  # int64 [n]
    neighbours: list[set[int]]  # undirected citation neighbours, no self loops
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


class _PlanetoidUnpickler(pickle.Unpickler):
    """Planetoid's pickles name their matrices by SciPy's old module paths
    (``scipy.sparse.csr.csr_matrix``), deprecated since SciPy 1.8: read as they were, each
    load printed a DeprecationWarning (and its source line) before the summary. The same
    classes are looked up in ``scipy.sparse`` itself, where they live now."""

    def find_class(self, module: str, name: str):
        import scipy.sparse as sp

        if module.startswith("scipy.sparse.") and hasattr(sp, name):
            return getattr(sp, name)
        return super().find_class(module, name)


def load_planetoid(root: Path = CORA_RAW, name: str = "cora") -> Planetoid:
    """The Planetoid files in the standard loaders' node order (see module doc)."""
    import scipy.sparse as sp

    def read(part: str):
        with open(root / f"ind.{name}.{part}", "rb") as f:
            return _PlanetoidUnpickler(f, encoding="latin1").load()

    x, y, allx, ally, tx, ty, graph = (read(p) for p in
                                       ("x", "y", "allx", "ally", "tx", "ty", "graph"))
    test_listed = np.loadtxt(root / f"ind.{name}.test.index", dtype=np.int64)
    test_sorted = np.sort(test_listed)
    full = test_sorted[-1] - test_sorted[0] + 1
    if full > tx.shape[0]:  # CiteSeer: test indices without a paper get zero rows
        at = test_sorted - test_sorted[0]
        tx_full = sp.lil_matrix((full, tx.shape[1]), dtype=tx.dtype)
        tx_full[at, :] = tx
        ty_full = np.zeros((full, ty.shape[1]), dtype=ty.dtype)
        ty_full[at, :] = ty
        tx, ty = tx_full, ty_full
    features = sp.vstack([allx, tx]).tolil()
    features[test_listed, :] = features[test_sorted, :]
    onehot = np.vstack([ally, ty])
    onehot[test_listed, :] = onehot[test_sorted, :]
    n = features.shape[0]
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, cited in graph.items():
        for b in cited:
            if a != b:
                neighbours[a].add(int(b))
                neighbours[int(b)].add(int(a))
    return Planetoid(features=np.asarray(features.todense(), dtype=np.float32),
                     labels=onehot.argmax(1).astype(np.int64), neighbours=neighbours,
                     train=np.arange(len(y)), val=np.arange(len(y), len(y) + 500),
                     test=test_sorted)


def write_dataset_dir(data: Planetoid, out: Path) -> Path:
    """Write ``data`` as a dataset dir (module doc) into ``out``."""
    import pandas as pd

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = len(data.labels)
    pd.DataFrame({"track_id": np.arange(n), "title": [f"paper {i}" for i in range(n)]}
                 ).to_csv(out / "tracks.csv", index=False)
    words = data.features.sum(1, keepdims=True)
    np.save(out / "features.npy", (data.features / np.maximum(words, 1)).astype(np.float32))
    rows = [(f"c{p}", t) for p in range(n) for t in sorted({p} | data.neighbours[p])]
    pd.DataFrame(rows, columns=["playlist_id", "track_id"]).to_csv(out / "memberships.csv",
                                                                   index=False)
    np.save(out / "labels.npy", data.labels)
    np.savez(out / "split.npz", train=data.train, val=data.val, test=data.test)
    return out


def convert(raw: Path, name: str, out: Path) -> Path:
    """Convert the Planetoid files in ``raw`` into ``out``, which must be missing, empty or
    this converter's earlier output (``datasets.claim_dir``: never over a user's dataset dir)."""
    from datasets import claim_dir, record_source, source_of

    claim_dir(out, f"{CONVERTER} --name {name}", DEFAULT_OUT.parent / name)
    write_dataset_dir(load_planetoid(raw, name), out)
    record_source(out, source_of(f"{CONVERTER} --name {name}", raw))
    return out


def cora_dir(out: Path | None = None, *, name: str = "cora", raw: Path | None = None) -> Path:
    """The dataset dir of Planetoid graph ``name`` (cora | citeseer), converted on first use."""
    out = Path(out) if out else DEFAULT_OUT.parent / name
    raw = Path(raw) if raw else RAW[name]
    if not (out / "split.npz").is_file():
        command = f".venv/bin/python bench/cora.py {out} --name {name} --raw DIR"
        convert(require_raw(raw, name, f"convert them first: {command}"), name, out)
    return out


def load_probe_labels(directory: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(labels, {'train', 'val', 'test'}) of a dataset dir written by this script."""
    split = np.load(Path(directory) / "split.npz")
    return np.load(Path(directory) / "labels.npy"), {k: split[k] for k in ("train", "val", "test")}


def probe_accuracy(embeddings: np.ndarray, labels: np.ndarray, train_idx: np.ndarray,
                   test_idx: np.ndarray, *, C: float = 1.0, standardize: bool = False,
                   seed: int = 0) -> float:
    """Linear probe: logistic regression on ``train_idx`` rows, accuracy on ``test_idx``.

    By default the embeddings go in as they are, as in DGI's evaluation; pick ``C`` on a
    validation split (their scale sets which C fits). ``standardize=True`` z-scores every
    dimension first (statistics of every row: no labels used). On Cora that probe is 0.5–2
    points worse for DGI embeddings: it blows the near-constant ReLU dimensions up to the
    scale of the informative ones.
    """
    from sklearn.linear_model import LogisticRegression

    from musicsage.vectors import zscore

    x = zscore(embeddings) if standardize else np.asarray(embeddings, np.float64)
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(x[train_idx], labels[train_idx])
    return float(clf.score(x[test_idx], labels[test_idx]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path, default=None,
                    help="a new or empty folder (default bench/results/datasets/<name>)")
    ap.add_argument("--name", default="cora", choices=sorted(RAW))
    ap.add_argument("--raw", type=Path, default=None, help="folder of the ind.<name>.* files")
    args = ap.parse_args(argv)
    out = args.dir or DEFAULT_OUT.parent / args.name
    convert(require_raw(args.raw or RAW[args.name], args.name), args.name, out)
    labels, split = load_probe_labels(out)
    import pandas as pd

    m = pd.read_csv(out / "memberships.csv")
    print(f"{out}: {len(labels)} papers, {np.load(out / 'features.npy').shape[1]} words, "
          f"{len(m)} memberships in {m['playlist_id'].nunique()} contexts, "
          f"{labels.max() + 1} classes, split {len(split['train'])}/{len(split['val'])}/"
          f"{len(split['test'])}")


if __name__ == "__main__":
    main()
