"""Plain helpers of the GUI tests: generated music, a tone file, waiting for the window.

A module of its own, not conftest.py: several folders have a conftest.py, and
``from conftest import …`` would get whichever of them pytest imported last.
"""

from __future__ import annotations

def write_tone(path, *, seconds=2.0, sr=22050, channels=2, freq=440.0):
    """A short test file whose every sample is predictable (ramp + tone)."""
    import numpy as np
    import soundfile as sf

    n = int(seconds * sr)
    t = np.arange(n) / sr
    left = 0.5 * np.sin(2 * np.pi * freq * t)
    ramp = np.linspace(-0.9, 0.9, n)
    data = np.stack([left, ramp][:channels], axis=1).astype(np.float32)
    sf.write(str(path), data, sr)
    return sf.read(str(path), dtype="float32", always_2d=True)[0]


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


def settle(qtbot, window, timeout=60_000):
    """Wait until the window has loaded the library and no background job runs."""
    qtbot.waitUntil(lambda: window.snapshot is not None and not window.workers.busy, timeout=timeout)
