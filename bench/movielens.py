"""MovieLens (ml-latest-small) as a musicsage dataset dir: a playlist-like data set of items.

Run: ``.venv/bin/python bench/movielens.py [--raw RAW_DIR] [--out DIR]`` (default raw
``bench/results/raw/ml-latest-small``, out ``bench/results/datasets/movielens``).

Get the data: GroupLens' "ml-latest-small" (https://grouplens.org/datasets/movielens/, research
use; 9,742 movies, 610 users, 100,836 ratings; the files movies.csv and ratings.csv). It is
not part of this repository; unzip it anywhere and pass ``--raw``.

What it becomes (the shape of a music library with weak audio descriptors):

- ``tracks.csv``: one row per movie (``track_id`` = movieId, ``title``); no album/artist.
- ``features.npy``: 21 weak descriptors per movie — the 20 genre flags and the release year
  (from the title; the median year when absent). No rating-derived feature: those would be
  computed from the memberships the evaluation holds out.
- ``memberships.csv``: one "playlist" per user, ``u<userId>``, holding the movies that user
  rated 4.0 or more (what they liked, like the tracks someone puts in a playlist).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "bench" / "results" / "raw" / "ml-latest-small"
DEFAULT_OUT = REPO / "bench" / "results" / "datasets" / "movielens"
CONVERTER = "bench/movielens.py"
SOURCE = "https://grouplens.org/datasets/movielens/ (research use)"
LIKED = 4.0
_YEAR = re.compile(r"\((\d{4})\)\s*$")


def require_raw(raw: Path, then: str = "pass its folder as --raw DIR") -> Path:
    """``raw`` when it holds movies.csv and ratings.csv; else exit 1 with one line saying which
    folder is needed, where to get it (a traceback tells a user neither) and ``then`` what to
    do with it (the benchmarks take no --raw: they name this converter's command)."""
    missing = [f for f in ("movies.csv", "ratings.csv") if not (raw / f).is_file()]
    if missing:
        sys.exit(f"{raw} lacks {' and '.join(missing)}: get ml-latest-small.zip from "
                 f"{SOURCE}, unzip it and {then}")
    return raw


def convert_movielens(raw: Path, out: Path) -> Path:
    """Write the dataset dir (module doc) for the MovieLens files in ``raw`` into ``out``, which
    must be missing, empty or this converter's earlier output (never a user's dataset dir)."""
    import pandas as pd

    from datasets import claim_dir, record_source, source_of

    claim_dir(out, CONVERTER, DEFAULT_OUT)
    movies = pd.read_csv(raw / "movies.csv", dtype={"movieId": str})
    ratings = pd.read_csv(raw / "ratings.csv", dtype={"userId": str, "movieId": str})
    genres = sorted({g for gs in movies["genres"] for g in gs.split("|")})
    flags = np.array([[g in gs.split("|") for g in genres] for gs in movies["genres"]],
                     dtype=np.float32)
    years = np.array([float(m.group(1)) if (m := _YEAR.search(t.strip())) else np.nan
                      for t in movies["title"]], dtype=np.float32)
    years[np.isnan(years)] = np.nanmedian(years)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"track_id": movies["movieId"], "title": movies["title"]}
                 ).to_csv(out / "tracks.csv", index=False)
    np.save(out / "features.npy", np.concatenate([flags, years[:, None]], 1))
    liked = ratings[(ratings["rating"] >= LIKED) & ratings["movieId"].isin(movies["movieId"])]
    pd.DataFrame({"playlist_id": "u" + liked["userId"], "track_id": liked["movieId"]}
                 ).drop_duplicates().to_csv(out / "memberships.csv", index=False)
    record_source(out, source_of(CONVERTER, raw))
    return out


def movielens_dir(out: Path | None = None, raw: Path | None = None) -> Path:
    """The MovieLens dataset dir, converted on first use."""
    out = Path(out) if out else DEFAULT_OUT
    raw = Path(raw) if raw else RAW
    if not (out / "memberships.csv").is_file():
        command = f".venv/bin/python bench/movielens.py --raw DIR --out {out}"
        convert_movielens(require_raw(raw, f"convert it first: {command}"), out)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None,
                    help="a new or empty folder (default bench/results/datasets/movielens)")
    args = ap.parse_args(argv)
    out = convert_movielens(require_raw(args.raw or RAW), args.out or DEFAULT_OUT)
    import pandas as pd

    m = pd.read_csv(out / "memberships.csv")
    n = len(pd.read_csv(out / "tracks.csv"))
    print(f"{out}: {n} movies, {len(m)} memberships in {m['playlist_id'].nunique()} user "
          f"lists; {m['track_id'].nunique()} movies in at least one")


if __name__ == "__main__":
    main()
