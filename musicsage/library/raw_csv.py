"""The refusal of a folder that holds a data set's own CSV (the spotify_songs download)
where ``import`` wants a dataset dir: "is not a dataset dir (no tracks.csv)" alone left a
user with the file in hand and no word of how to make one of it."""

from __future__ import annotations

from pathlib import Path

from musicsage.errors import MusicsageError
from musicsage.library.dataset_files import MISSING, dataset_file, file_problem, interrupted_hint

CONVERTED = "spotify_songs.csv"
"""The download ``bench/datasets.py`` turns into a dataset dir."""
OWN_FILES = frozenset({"features.npy", "features.json", "memberships.csv", "playlists.csv"})
"""A dataset dir's other files (docs/dataset-dir.md): a folder holding one is a dataset dir
that lost its tracks.csv, not a data set's own CSV."""


def check_tracks_csv(src: Path) -> None:
    """Refuse ``src`` unless its tracks.csv can be read (:func:`~.dataset_files.dataset_file`),
    saying how to make a dataset dir where the folder holds other CSV files instead (and no
    export into it was stopped: that refusal says to export again)."""
    found = _raw_csvs(src) if file_problem(src / "tracks.csv") == MISSING else []
    if found and not interrupted_hint(src):
        raise MusicsageError(f"{src} is not a dataset dir (no tracks.csv): {_how(found)}")
    dataset_file(src, "tracks.csv", required=True)


def _raw_csvs(src: Path) -> list[Path]:
    """The CSV files in ``src``; none where it holds a dataset dir's own file, or cannot be
    listed (the usual refusal says why)."""
    try:
        names = {p.name: p for p in src.iterdir()}
    except OSError:
        return []
    if OWN_FILES & names.keys():
        return []
    return sorted(p for p in names.values() if p.suffix.lower() == ".csv" and p.is_file())


def _how(found: list[Path]) -> str:
    """How to make a dataset dir of ``found``: the command for the spotify_songs download,
    the format's description for any other CSV."""
    spotify = next((p for p in found if p.name.lower() == CONVERTED), None)
    if spotify is not None:
        return (f"convert {spotify.name} into one with `python bench/datasets.py --csv "
                f"{spotify} --out NEW_DIR`, then import NEW_DIR")
    return (f"{found[0].name} is no dataset dir's file; write a tracks.csv as "
            "docs/dataset-dir.md says (bench/datasets.py converts spotify_songs.csv)")
