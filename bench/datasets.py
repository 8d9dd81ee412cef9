"""Turn public data sets into musicsage dataset dirs (tracks.csv, features.npy, memberships.csv).

Run: ``.venv/bin/python bench/datasets.py [--csv spotify_songs.csv] [--out DIR]`` — writes
``bench/results/datasets/spotify_songs`` from ``../shared/data/spotify_songs/spotify_songs.csv``
(or ``--csv``; where to get it: bench/graph_datasets.md).
Benchmarks call :func:`spotify_songs_dir`, which converts once and reuses the result.

spotify_songs has one row per (track, playlist) membership; a track's descriptors repeat on
each of its rows. Features = the 12 audio descriptors (raw scale: the model z-scores them),
album = ``track_album_id`` (album names collide across artists), artist = ``track_artist``;
``playlists.csv`` names the playlists (``playlist_name``), so that an import shows them by name.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPOTIFY_CSV = SHARED / "data" / "spotify_songs" / "spotify_songs.csv"
RESULTS = REPO / "bench" / "results"

SPOTIFY_DESCRIPTORS = ["danceability", "energy", "key", "loudness", "mode", "speechiness",
                       "acousticness", "instrumentalness", "liveness", "valence", "tempo",
                       "duration_ms"]


def convert_spotify_songs(csv_path: Path, out: Path) -> Path:
    """Write the dataset dir for spotify_songs.csv into ``out``; return ``out``."""
    import pandas as pd

    rows = pd.read_csv(csv_path, dtype={"track_id": str, "playlist_id": str})
    tracks = rows.drop_duplicates("track_id", keep="first").reset_index(drop=True)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "track_id": tracks["track_id"],
        "title": tracks["track_name"].fillna(""),
        "artist": tracks["track_artist"].fillna(""),
        "album": tracks["track_album_id"].fillna(""),
    }).to_csv(out / "tracks.csv", index=False)
    features = tracks[SPOTIFY_DESCRIPTORS].to_numpy(dtype=np.float32)
    np.save(out / "features.npy", features)
    names = rows.drop_duplicates("playlist_id", keep="first")
    pd.DataFrame({"playlist_id": names["playlist_id"], "name": names["playlist_name"].fillna("")}
                 ).to_csv(out / "playlists.csv", index=False)  # names for an import
    members = rows[["playlist_id", "track_id"]].drop_duplicates()
    members.to_csv(out / "memberships.csv", index=False)
    return out


def spotify_songs_dir(out: Path | None = None, csv: Path | None = None) -> Path:
    """The spotify_songs dataset dir, converted on first use (from ``csv``, default
    ../shared/data/spotify_songs/spotify_songs.csv)."""
    out = out or RESULTS / "datasets" / "spotify_songs"
    csv = csv or SPOTIFY_CSV
    if not (out / "memberships.csv").is_file():
        if not csv.is_file():
            sys.exit(f"{csv} is absent: get spotify_songs.csv (bench/graph_datasets.md) "
                     "and pass --csv")
        convert_spotify_songs(csv, out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--csv", type=Path, default=None, help="spotify_songs.csv")
    args = ap.parse_args()
    out = spotify_songs_dir(args.out, args.csv)
    print(out)


if __name__ == "__main__":
    main()
