"""``import DIR`` in a session whose filesystem encoding is not UTF-8 (``LC_ALL=C`` with UTF-8
mode off): a ``path`` cell of tracks.csv is text, the name's bytes read as UTF-8 (what
``export`` writes, odd bytes as the library's stand-ins), and the import encoded it by the
locale: the first ``é`` crashed it ("unexpected error (UnicodeEncodeError …); this is a
bug"), nothing imported. It stores the cell as it is now, so an export of a library with
such names imports in any session, naming the same files as in a UTF-8 one.

Run in a child process, since a process's filesystem encoding is fixed at its start."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.usecases.library import export_dataset, import_dataset, scan_library

ROOT = Path(__file__).resolve().parents[2]
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
NAMES = [b"Caf\xc3\xa9/Montr\xc3\xa9al.wav", b"caf\xe9.wav", b"plain.wav"]


def import_in_an_ascii_session(data: Path, dataset: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **ASCII_LOCALE, "PYTHONPATH": str(ROOT),
           "XDG_CONFIG_HOME": str(data), "XDG_DATA_HOME": str(data),
           "XDG_CACHE_HOME": str(data)}
    return subprocess.run([sys.executable, "-m", "musicsage", "--data-dir", str(data),
                           "import", str(dataset)], env=env, capture_output=True, timeout=300)


def stored_tracks(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "library.sqlite3") as conn:
        return sorted(conn.execute("SELECT path, status FROM tracks").fetchall())


def test_an_export_with_non_ascii_names_imports_in_an_ascii_session(ctx, tmp_path):
    music = os.fsencode(tmp_path / "music")
    for i, name in enumerate(NAMES):
        write_audio(music + b"/" + name, seconds=1.0, freq=300.0 + 100 * i)
    scan_library(ctx, [os.fsdecode(music)])
    export_dataset(ctx, tmp_path / "export")
    in_utf8 = AppContext.create(tmp_path / "utf8")
    import_dataset(in_utf8, tmp_path / "export")

    child = import_in_an_ascii_session(tmp_path / "ascii", tmp_path / "export")

    assert child.returncode == 0, child.stderr.decode(errors="replace")
    assert b"imported 3 tracks" in child.stdout
    tracks = stored_tracks(tmp_path / "ascii")
    assert tracks == stored_tracks(tmp_path / "utf8")
    assert [status for _path, status in tracks] == ["present"] * 3
