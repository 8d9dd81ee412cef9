"""Helpers for the search/map tests (a module with a unique name, importable from any test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

AUDIO_MODEL = "spectral-test"


def add_track(conn, path: str, *, title: str | None, artist: str | None,
              duration: float | None = 180.0, status: str = "present") -> int:
    cur = conn.execute(
        "INSERT INTO tracks(path, size, mtime_ns, format, title, artist, duration, status,"
        " needs_analysis) VALUES (?, 1, 1, 'wav', ?, ?, ?, ?, 0)",
        (path, title, artist, duration, status))
    return int(cur.lastrowid)


def clustered_vectors(n: int, dim: int = 16, clusters: int = 4, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)) * 3
    return (centres[np.arange(n) % clusters] + rng.normal(size=(n, dim))).astype(np.float32)


class Library:
    """A handle on the test library: its ids and the vectors stored for them."""

    def __init__(self, ctx, root: Path) -> None:
        from musicsage.library.db import connect

        self.ctx = ctx
        self.root = root
        self.conn = connect(ctx)
        self.ids: list[int] = []

    def add(self, n: int, *, start: int = 0) -> list[int]:
        new = []
        for i in range(start, start + n):
            path = self.root / f"artist{i % 5}" / f"song{i:03d}.wav"
            new.append(add_track(self.conn, str(path), title=f"Song {i:03d}",
                                 artist=f"Artist {i % 5}", duration=120.0 + i))
        self.ids += new
        return new

    def embed(self, vectors: np.ndarray, ids: list[int] | None = None,
              model_id: str = AUDIO_MODEL) -> None:
        from musicsage.library.queries import store_embeddings

        ids = self.ids if ids is None else ids
        store_embeddings(self.conn, zip(ids, vectors), model_id, "v1")

    def set_missing(self, track_id: int) -> None:
        self.conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (track_id,))


def add_playlist(conn, path: str, name: str, track_ids: list[int]) -> int:
    """A playlist as an import stores one (no file behind it)."""
    cur = conn.execute("INSERT INTO playlists(path, name, format, size, mtime_ns) VALUES (?, ?, 'm3u', 0, 0)",
                       (path, name))
    pid = int(cur.lastrowid)
    conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, track_id) VALUES (?, ?, ?, ?)",
                     [(pid, i, f"t{t}", t) for i, t in enumerate(track_ids)])
    return pid


def run_cli(capsys, ctx, *args) -> tuple[int, str, str]:
    """The command line in-process on ``ctx``'s library: exit status, stdout, stderr."""
    from musicsage import cli

    rc = cli.main([*args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    return rc, out, err
