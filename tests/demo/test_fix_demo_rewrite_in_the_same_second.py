"""A demo track written over in place (``dd conv=notrunc`` of zeros, same size) in the same
second as the check before it is found damaged at the next check. The checks remember each
file's verdict while the file stays as it is, told by its size, inode and change time; on a
filesystem whose timestamps are whole seconds (ext3, ext4 with small inodes; FAT: 2 s) that
rewrite kept all three, so the next Open said the demo was ready and reused the zeroed track
for good. A file changed within 2 s of a check is looked at again each time (git's "racy"
rule): a write after that changes its timestamp, even in whole seconds."""

from __future__ import annotations

import os
import time

import pytest

from musicsage.demo.library import generate_demo
from musicsage.demo.manifest import read_manifest, unsound_files

TIMES_NS = ("st_ctime_ns", "st_mtime_ns", "st_atime_ns")


class _WholeSeconds:
    """A stat result as a filesystem with whole-second timestamps gives it."""

    def __init__(self, st: os.stat_result) -> None:
        self._st = st

    def __getattr__(self, name: str):
        value = getattr(self._st, name)
        if name in TIMES_NS:
            return value // 1_000_000_000 * 1_000_000_000
        if name in ("st_ctime", "st_mtime", "st_atime"):
            return float(int(value))
        return value

    def __getitem__(self, index: int):
        return self._st[index]


@pytest.fixture
def whole_seconds(monkeypatch) -> None:
    """Every stat in the test sees whole-second timestamps."""
    real = os.stat

    def stat(*args, **kwargs):
        return _WholeSeconds(real(*args, **kwargs))

    monkeypatch.setattr(os, "stat", stat)


def _start_of_a_second() -> None:
    """Wait for a second just begun: what follows (milliseconds) falls in that second."""
    while time.time() % 1 > 0.2:
        time.sleep(0.01)


def test_a_track_zeroed_in_the_second_it_was_checked_is_found_damaged(tmp_path,
                                                                         whole_seconds):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    manifest = read_manifest(music)
    name = manifest["files"][0]
    path = music.joinpath(*name.split("/"))
    good = path.read_bytes()

    _start_of_a_second()
    path.write_bytes(good)  # the track restored (a copy) this second
    assert unsound_files(music, manifest) == ([], [])  # Open demo library: all sound
    with open(path, "r+b") as f:  # 8 KiB of zeros over its end, same size, same second
        f.seek(len(good) - 8192)
        f.write(bytes(8192))

    assert unsound_files(music, manifest) == ([], [name]), "the next Open finds it damaged"
