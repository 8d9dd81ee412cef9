"""Each player reader on a real-shaped export: a 20,000-track library with 150 playlists.

    .venv/bin/python bench/player_readers.py [--tracks 20000] [--playlists 150] [--per 60]

The exports are written in each player's real format by ``tests/library/player_files.py`` (the
sources each writer follows are cited there) and grown to library size here: every track of the
library in iTunes' ``Tracks`` dict with the ~20 keys iTunes writes per track, every song in the
Strawberry/Clementine ``songs`` table. The library DB holds the 20,000 tracks as rows only (the
readers resolve locations against DB paths; no audio is read). Playlists: ``--per`` entries on
average, 2% naming files that are not in the library, in folders for iTunes. The iTunes export
is a Windows one (``file://localhost/C:/Users/…``), so every entry goes through the suffix
match, the slowest resolution rule; the others use this machine's paths.

Per format: file size, parse seconds, import seconds (parse + resolve + store), a second
import of the unchanged file (what a re-scan or the folder watch costs), counts. Prints a
table; writes bench/results/player_readers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import plistlib
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "library"))

from player_files import (Win, file_url, write_clementine, write_itunes,  # noqa: E402
                          write_rhythmbox, write_strawberry)

from musicsage.library import paths as P  # noqa: E402
from musicsage.library.db import open_connection, transaction  # noqa: E402
from musicsage.library.playlists import PLAYER_FORMATS, import_playlists  # noqa: E402


def library_paths(music: Path, n: int) -> list[Path]:
    return [music / f"Artist {i // 120:03d}" / f"Album {i // 12:04d}" / f"{i % 12 + 1:02d} Song {i}.mp3"
            for i in range(n)]


def playlists(paths: list[Path], music: Path, n: int, per: int, windows: bool, seed: int = 0):
    rng = random.Random(seed)
    out = []
    for p in range(n):
        entries = []
        for _ in range(max(1, int(rng.gauss(per, per / 3)))):
            if rng.random() < 0.02:
                entries.append(music / "Gone" / f"missing {rng.randrange(10**6)}.mp3")
                continue
            path = paths[rng.randrange(len(paths))]
            entries.append(Win(str(path.relative_to(music))) if windows else path)
        out.append((f"Playlist {p:03d} ({'Wochenende' if p % 7 == 0 else 'mix'})", entries))
    return out


def grow_itunes(path: Path, paths: list[Path], music: Path) -> None:
    """Every library track in Tracks, with the keys iTunes writes for a file track."""
    doc = plistlib.loads(path.read_bytes())
    tracks = doc["Tracks"]
    known = {t.get("Location") for t in tracks.values()}
    for i, p in enumerate(paths):
        url = file_url(Win(str(p.relative_to(music))), host="localhost")
        if url in known:
            continue
        tid = 100_000 + i
        tracks[str(tid)] = {
            "Track ID": tid, "Size": 7_000_000 + i, "Total Time": 240_000, "Disc Number": 1,
            "Disc Count": 1, "Track Number": i % 12 + 1, "Track Count": 12, "Year": 2001,
            "Bit Rate": 256, "Sample Rate": 44100, "Play Count": i % 9, "Persistent ID": f"{tid:016X}",
            "Track Type": "File", "File Folder Count": 5, "Library Folder Count": 1,
            "Name": p.stem, "Artist": p.parent.parent.name, "Album": p.parent.name,
            "Genre": "Rock", "Kind": "MPEG audio file", "Location": url}
    path.write_bytes(plistlib.dumps(doc, fmt=plistlib.FMT_XML, sort_keys=False))


def grow_songs(path: Path, paths: list[Path], column: str, extra: str) -> None:
    conn = sqlite3.connect(path)
    have = {r[0] for r in conn.execute(f"SELECT {column} FROM songs")}
    rows = [(p.stem, file_url(p)) for p in paths if file_url(p) not in have]
    conn.executemany(f"INSERT INTO songs(title, {column}{extra[0]}) VALUES (?, ?{extra[1]})", rows)
    conn.commit()
    conn.close()


def make_library(db: Path, paths: list[Path]):
    conn = open_connection(db)
    with transaction(conn):
        conn.execute("INSERT INTO library_roots(path) VALUES (?)", (P.from_fs(str(paths[0].parents[2])),))
        conn.executemany("INSERT INTO tracks(path, size, mtime_ns, title, status) VALUES (?, 1, 1, ?, 'present')",
                         [(P.from_fs(str(p)), p.stem) for p in paths])
    return conn


def measure(name: str, source: Path, work: Path, paths: list[Path]) -> dict:
    conn = make_library(work / f"library-{name}.db", paths)
    fmt = PLAYER_FORMATS[name]
    t0 = time.perf_counter()
    library = fmt.read(str(source))
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    reports = import_playlists(conn, [str(source)])
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    import_playlists(conn, [str(source)])
    again = time.perf_counter() - t0
    imported = [r for r in reports if not getattr(r, "skipped", None) and not r.error]
    conn.close()
    return {"format": name, "file_mb": round(source.stat().st_size / 2**20, 2),
            "parse_s": round(parse, 3), "import_s": round(first, 3), "reimport_s": round(again, 3),
            "playlists": len(library.playlists), "skipped": len(library.skipped),
            "entries": sum(r.entries for r in imported),
            "resolved": sum(r.resolved for r in imported),
            "unresolved": sum(len(r.unresolved) for r in imported)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tracks", type=int, default=20_000)
    ap.add_argument("--playlists", type=int, default=150)
    ap.add_argument("--per", type=int, default=60)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="musicsage-bench-players-"))
    music = Path("/home/me/Music")
    paths = library_paths(music, args.tracks)
    rows = []
    try:
        win = playlists(paths, music, args.playlists, args.per, windows=True)
        lin = playlists(paths, music, args.playlists, args.per, windows=False)
        folders = {"Parties": [name for name, _ in win[:10]], "Calm": [name for name, _ in win[10:20]]}
        src = write_itunes(work / "Library.xml", win, folders=folders)
        grow_itunes(src, paths, music)
        rows.append(measure("itunes", src, work, paths))
        rows.append(measure("rhythmbox", write_rhythmbox(work / "playlists.xml", lin), work, paths))
        src = write_strawberry(work / "strawberry.db", lin)
        grow_songs(src, paths, "url", (", source", ", 2"))
        rows.append(measure("strawberry", src, work, paths))
        src = write_clementine(work / "clementine.db", lin)
        grow_songs(src, paths, "filename", (", directory, mtime, ctime, filesize", ", 1, 0, 0, 1"))
        rows.append(measure("clementine", src, work, paths))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'format':<11}{'MB':>7}{'parse s':>9}{'import s':>10}{'again s':>9}"
          f"{'lists':>7}{'skipped':>8}{'entries':>9}{'resolved':>9}{'unres.':>8}")
    for r in rows:
        print(f"{r['format']:<11}{r['file_mb']:>7}{r['parse_s']:>9}{r['import_s']:>10}"
              f"{r['reimport_s']:>9}{r['playlists']:>7}{r['skipped']:>8}{r['entries']:>9}"
              f"{r['resolved']:>9}{r['unresolved']:>8}")
    out = ROOT / "bench" / "results" / "player_readers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"tracks": args.tracks, "rows": rows, "load": os.getloadavg()},
                              indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
