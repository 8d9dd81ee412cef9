"""Turn public data sets into musicsage dataset dirs (tracks.csv, features.npy, memberships.csv).

Run: ``.venv/bin/python bench/datasets.py [--csv spotify_songs.csv] [--out DIR]`` — writes
``bench/results/datasets/spotify_songs`` from ``../shared/data/spotify_songs/spotify_songs.csv``
(or ``--csv``; where to get it: bench/graph_datasets.md).
Benchmarks call :func:`spotify_songs_dir`, which converts once and reuses the result; a
``--csv`` other than the one converted (path, size or time changed) is converted again.
A converter writes only into a missing or empty folder, or one it wrote itself (its
``converted_from.json`` names the converter and source): never over a user's dataset dir.

spotify_songs has one row per (track, playlist) membership; a track's descriptors repeat on
each of its rows. Features = the 12 audio descriptors (raw scale: the model z-scores them),
album = ``track_album_id`` (album names collide across artists), artist = ``track_artist``;
``playlists.csv`` names the playlists (``playlist_name``), so that an import shows them by name.
The album column is the album *context* the benchmarks score with, so it stays the id that the
published figures were measured on (an import shows the id as the album's name); a dataset dir
has no duration column (docs/dataset-dir.md), so an imported track's Duration stays blank.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPOTIFY_CSV = SHARED / "data" / "spotify_songs" / "spotify_songs.csv"
RESULTS = REPO / "bench" / "results"
CONVERTER = "bench/datasets.py"

SPOTIFY_DESCRIPTORS = ["danceability", "energy", "key", "loudness", "mode", "speechiness",
                       "acousticness", "instrumentalness", "liveness", "valence", "tempo",
                       "duration_ms"]


#: what a converter records in the folder it wrote (converter, source path, size, time)
MARKER = "converted_from.json"


def source_of(converter: str, path: Path) -> dict:
    """What a conversion is made from: the converter and the source path, with a file's size
    and modification time (a changed file is a different source)."""
    path = Path(path).resolve()
    out = {"converter": converter, "source": str(path)}
    if path.is_file():
        out.update(size=path.stat().st_size, mtime_ns=path.stat().st_mtime_ns)
    return out


def conversion_source(out: Path) -> dict | None:
    """The source recorded in the dataset dir ``out`` (None: none recorded)."""
    try:
        found = json.loads((Path(out) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def claim_dir(out: Path, converter: str, default: Path) -> None:
    """Exit with one line unless ``out`` may be written by ``converter``: missing, empty, its
    own earlier conversion, or the converter's default folder under bench/results. Converting
    into any other folder replaced a user's tracks.csv, features.npy and memberships.csv."""
    from bench_files import claim_folder, occupied_refusal

    out = Path(out)
    claim_folder(out, occupied_refusal(out),
                 ours=out.exists() and _is_ours(out, conversion_source(out), converter, default))


def _is_ours(out: Path, source: dict | None, converter: str, default: Path) -> bool:
    """``out`` is ``converter``'s to reuse or rewrite: its default folder, or one its earlier
    conversion marked (``source``: :func:`conversion_source` of ``out``, read once)."""
    return (Path(out).resolve() == Path(default).resolve()
            or (source or {}).get("converter") == converter)


def record_source(out: Path, source: dict) -> None:
    """Write ``source`` (:func:`source_of`) into the converted dataset dir ``out``."""
    (Path(out) / MARKER).write_text(json.dumps(source, indent=1), encoding="utf-8")


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
    ../shared/data/spotify_songs/spotify_songs.csv) and again when ``csv`` is given and is
    not the file converted (module doc)."""
    default = RESULTS / "datasets" / "spotify_songs"
    out = Path(out) if out else default
    if csv is not None and not Path(csv).is_file():
        sys.exit(f"{csv} is absent: pass the path of spotify_songs.csv "
                 "(where to get it: bench/graph_datasets.md)")
    # reused only when it is this converter's: another dataset dir (a user's, Cora) in --out
    # was printed as the spotify_songs conversion, and benchmarked as one
    source = conversion_source(out)
    made = (out / "memberships.csv").is_file() and _is_ours(out, source, CONVERTER, default)
    if made and (csv is None or source == source_of(CONVERTER, csv)):
        return out
    claim_dir(out, CONVERTER, default)
    csv = Path(csv) if csv else SPOTIFY_CSV
    if not csv.is_file():
        sys.exit(f"{csv} is absent: get spotify_songs.csv (bench/graph_datasets.md) and "
                 "convert it first: .venv/bin/python bench/datasets.py --csv FILE")
    convert_spotify_songs(csv, out)
    record_source(out, source_of(CONVERTER, csv))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None,
                    help="a new or empty folder (default bench/results/datasets/spotify_songs)")
    ap.add_argument("--csv", type=Path, default=None,
                    help="spotify_songs.csv (converted again when it is not the file converted)")
    args = ap.parse_args(argv)
    out = spotify_songs_dir(args.out, args.csv)
    print(out)


if __name__ == "__main__":
    main()
