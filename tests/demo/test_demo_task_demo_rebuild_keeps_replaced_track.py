"""A demo rebuilt with other settings deletes only the files the demo wrote: a track the user
replaced with a file of their own (another size than the demo wrote) stays, as a repair
keeps it. Before, the rebuild deleted it with the old demo's files, and said nothing. A
track cut short is still the demo's own, and goes."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from musicsage.demo.library import generate_demo, plan_demo


def _own_recording(path) -> bytes:
    """Write a file that is not the demo's (a 440 Hz tone) under ``path``; its bytes."""
    t = np.arange(22050 * 2) / 22050
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype("float32"), 22050, format="FLAC")
    return path.read_bytes()


def test_a_rebuild_with_other_settings_keeps_a_track_the_user_replaced(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    old = plan_demo(8, seed=0, seconds=1.0)
    flac = next(t.relpath for t in old.tracks if t.relpath.endswith(".flac"))
    others = [t.relpath for t in old.tracks if t.relpath != flac]
    replaced, untouched, cut = music / flac, music / others[0], music / others[1]
    mine = _own_recording(replaced)
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])  # a copy stopped half-way

    generate_demo(music, n_tracks=8, seed=1, seconds=1.0, workers=1)

    assert replaced.read_bytes() == mine  # the user's file, not deleted
    assert not untouched.exists()  # the demo's own old track went, as before
    assert not cut.exists()  # and one cut short is still the demo's: it goes too
    new = plan_demo(8, seed=1, seconds=1.0)
    assert all((music / t.relpath).is_file() for t in new.tracks)
