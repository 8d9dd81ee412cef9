"""What ends the refusal of a data set's own CSV (the spotify_songs download) where ``import``
or ``train``/``eval --dataset`` want a dataset dir: "is not a dataset dir (no tracks.csv)"
alone left a user with the file in hand and no word of how to make one of it.

Only words: nothing here reads a dataset dir's files (:mod:`~musicsage.library.dataset_files`
refuses them, and asks this module how the line ends).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from musicsage.errors import MusicsageError

CONVERTED = re.compile(r"spotify_songs ?(\(\d+\))?\.csv", re.IGNORECASE)
"""The download ``bench/datasets.py`` turns into a dataset dir, and a browser's numbered copy
of it (``spotify_songs (1).csv``)."""
SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "datasets.py"
"""The converter, where musicsage runs from its source (an install without it has none)."""
OWN_FILES = frozenset({"features.npy", "features.json", "memberships.csv", "playlists.csv"})
"""A dataset dir's other files (docs/dataset-dir.md): a folder holding one is a dataset dir
that lost its tracks.csv, not a data set's own CSV."""


def raw_csv_hint(src: Path) -> str:
    """What ends the refusal of ``src``, a folder without a tracks.csv, where it holds CSV
    files instead (": convert …", ": rename …"), or ''."""
    found = _raw_csvs(src)
    if not found:
        return ""
    wrong_case = next((p for p in found if p.name.lower() == "tracks.csv"), None)
    if wrong_case is not None:  # Tracks.csv: the name is read as written
        return f": rename {wrong_case.name} to tracks.csv"
    spotify = next((p for p in found if CONVERTED.fullmatch(p.name)), None)
    if spotify is not None:
        return f": {_convert(spotify)}"
    return (f": {found[0].name} is no dataset dir's file; write a tracks.csv as "
            "docs/dataset-dir.md says (bench/datasets.py converts spotify_songs.csv)")


def refuse_raw_csv(path: Path, suffix: str = " (nothing was imported)") -> Path:
    """``path``, refused where it is the spotify_songs download itself (given where its
    folder, made a dataset dir, was wanted: "it is a file, not a folder" named no way on);
    ``suffix`` ends the line (what was not done: ``import``'s words by default)."""
    if CONVERTED.fullmatch(path.name) and os.path.isfile(path):
        raise MusicsageError(f"{path} is not a dataset dir: it is a file, not a folder; "
                             f"{_convert(path)}{suffix}")
    return path


def _raw_csvs(src: Path) -> list[Path]:
    """The CSV files in ``src``; none where it holds a dataset dir's own file, or cannot be
    listed (the usual refusal says why)."""
    try:
        names = {p.name: p for p in src.iterdir()}
    except OSError:
        return []
    if OWN_FILES & names.keys():
        return []
    return sorted(p for p in names.values() if p.suffix.lower() == ".csv" and os.path.isfile(p))


def _convert(csv: Path) -> str:
    """The command that converts ``csv``, as it runs from any folder: this interpreter (the
    one with pandas: a bare ``python`` had none, or was no command at all) and the source's
    script by their absolute paths, each path quoted (a space split "My Downloads"). An
    install without the source names the script in words."""
    csv = Path(os.path.abspath(csv))  # `train --dataset spot` gave "spot/…": run from "/" it failed
    there = SCRIPT.is_file()
    command = (f"{shlex.quote(sys.executable)} "
               f"{shlex.quote(str(SCRIPT)) if there else 'bench/datasets.py'} "
               f"--csv {shlex.quote(str(csv))} --out NEW_DIR")
    source = "" if there else " (bench/datasets.py from musicsage's source)"
    return f"convert {csv.name} into one with `{command}`{source}, and give NEW_DIR instead"
