"""``make_music``: a small tagged library of generated audio with playlists, for the tests of
the window and of its controllers.

A module of its own, not conftest.py: several folders have a conftest.py, and
``from conftest import …`` would get whichever of them pytest imported last.
"""

from __future__ import annotations

STYLES = [("Rock", 110.0), ("Jazz", 220.0), ("Techno", 440.0), ("Folk", 880.0)]


def make_music(root, *, n_tracks=16, seconds=1.5, sr=16000, seed=0):
    """A small tagged library: n tracks in 4 audibly different styles, 6 M3U8 playlists.

    Returns (music_dir, playlist_dir, paths). Playlists mix styles on purpose (like real ones).
    """
    from pathlib import Path

    import numpy as np
    import soundfile as sf

    root = Path(root)
    music, playlists = root / "music", root / "playlists"
    music.mkdir(parents=True, exist_ok=True)
    playlists.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(n_tracks):
        style, freq = STYLES[i % len(STYLES)]
        t = np.arange(int(seconds * sr)) / sr
        f0 = freq * (1 + 0.03 * (i // len(STYLES)))
        beat = (np.sin(2 * np.pi * (2 + i % 4) * t) > 0.6).astype(np.float32)
        y = 0.3 * np.sin(2 * np.pi * f0 * t) + 0.2 * beat * rng.standard_normal(len(t)) * (i % 4) / 3
        artist = f"{style} Band"
        p = music / artist / f"{i:02d} {style} Song {i}.flac"
        p.parent.mkdir(exist_ok=True)
        with sf.SoundFile(str(p), "w", sr, 1, format="FLAC") as f:
            f.title, f.artist, f.album, f.genre = f"{style} Song {i}", artist, f"{style} Album", style.lower()
            f.write(y.astype(np.float32))
        paths.append(p)
    for j in range(6):
        members = [paths[k] for k in range(n_tracks) if (k * 7 + j) % 6 < 3][:7]
        lines = ["#EXTM3U"] + [f"../music/{m.parent.name}/{m.name}" for m in members]
        (playlists / f"Mix {j + 1}.m3u8").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return music, playlists, paths


def forget_vectors(ctx, n: int) -> list[int]:
    """Drop the audio vectors of ``n`` tracks (the lowest ids): a library whose embedding run
    was closed half-way. Their ids."""
    import sqlite3

    with sqlite3.connect(ctx.data_dir / "library.sqlite3") as db:
        ids = [r[0] for r in db.execute("SELECT DISTINCT track_id FROM audio_embeddings "
                                        "ORDER BY track_id LIMIT ?", (n,))]
        db.executemany("DELETE FROM audio_embeddings WHERE track_id = ?", [(i,) for i in ids])
    db.close()
    return ids
