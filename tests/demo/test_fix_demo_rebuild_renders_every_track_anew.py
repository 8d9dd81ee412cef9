"""A rebuild with other settings renders every track of the new demo itself. A track whose
size had changed since the demo wrote it but that read whole was kept, and the new demo
adopted it as its own: a copy of it cut at an Ogg page boundary (a copy stopped between two
writes) stayed a third of the length the new demo asks, and a file put in its place stayed
at its own length; both were recorded as written at that size, so no repair ever looked at
them again, and the next rebuild deleted them all the same."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.demo.library import generate_demo, plan_demo
from musicsage.demo.manifest import read_manifest, written_sizes


def _cut_at_a_page(path) -> None:
    """Cut the Ogg file at ``path`` at a page boundary half-way: it still reads whole."""
    data = path.read_bytes()
    pages = [i for i in range(1, len(data)) if data[i:i + 4] == b"OggS"]
    path.write_bytes(data[:pages[len(pages) // 2]])


def test_a_rebuild_with_other_seconds_renders_the_tracks_that_changed(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=3.0, workers=1)
    names = list(written_sizes(read_manifest(music)))
    ogg = next(n for n in names if n.endswith(".ogg"))
    flac = next(n for n in names if n.endswith(".flac"))
    cut, replaced = music.joinpath(*ogg.split("/")), music.joinpath(*flac.split("/"))
    _cut_at_a_page(cut)
    t = np.arange(22050 * 2) / 22050  # two seconds of 440 Hz in the demo track's place
    sf.write(replaced, (0.3 * np.sin(2 * np.pi * 440 * t)).astype("float32"), 22050,
             format="FLAC")

    generate_demo(music, n_tracks=8, seed=0, seconds=6.0, workers=1)

    plan = {t.relpath: t.duration for t in plan_demo(8, seed=0, seconds=6.0).tracks}
    sizes = written_sizes(read_manifest(music))
    for name, path in ((ogg, cut), (flac, replaced)):
        assert sf.info(path).duration == pytest.approx(plan[name], abs=0.1), name
        assert sizes[name] == path.stat().st_size, "recorded as the demo wrote it"
