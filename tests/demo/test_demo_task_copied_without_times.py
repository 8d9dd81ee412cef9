"""A demo folder copied without its files' times (``cp -r`` without ``-p``, a restore from a
backup) and then rebuilt with other settings: where the manifest records a file's SHA-256, a
file whose content matches is the demo's whatever its time (deleted, nothing moved aside), and
only a file whose content differs is the user's (moved aside as ``NAME.yours``)."""

from __future__ import annotations

import json
import os
import shutil
import time

from musicsage.demo.library import MANIFEST, generate_demo

SMALL = dict(n_tracks=8, seconds=1.0, workers=1)


def _copied_without_times(tmp_path):
    """A finished demo copied file by file, as ``cp -r`` does: each file's time is that of the
    copy, the manifest's no later than the files' (here: an hour earlier)."""
    built = tmp_path / "built"
    generate_demo(built, seed=0, **SMALL)
    music = tmp_path / "music"
    shutil.copytree(built, music, copy_function=shutil.copyfile)
    manifest = json.loads((music / MANIFEST).read_text(encoding="utf-8"))
    then = time.time_ns() - 3600 * 10**9
    os.utime(music / MANIFEST, ns=(then, then))
    return music, manifest


def test_a_copy_without_times_is_rebuilt_with_nothing_moved_aside(tmp_path):
    music, manifest = _copied_without_times(tmp_path)
    assert manifest["hashes"], "a manifest of this version records hashes"

    report = generate_demo(music, seed=1, **SMALL)

    assert report.kept == [] and not list(music.rglob("*.yours*"))


def test_a_copy_without_times_still_keeps_a_file_whose_content_differs(tmp_path):
    music, manifest = _copied_without_times(tmp_path)
    track = music / next(f for f in manifest["files"] if f.endswith(".flac"))
    with open(track, "ab") as f:
        f.write(b"a cover the user's tag editor added")
    edited = track.read_bytes()

    report = generate_demo(music, seed=1, **SMALL)

    assert report.kept == [track.with_name(track.name + ".yours")]
    assert report.kept[0].read_bytes() == edited
