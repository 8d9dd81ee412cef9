"""macOS resource forks (``._07 Song.flac``, left beside each file by a Mac's copy onto a USB
drive) are skipped by one rule, :func:`~musicsage.library.walk.is_resource_fork`: the scan's
walk, its count of unsupported formats and the folder watch all ask it, so a name the walk
reads is one the watch follows, and one it skips the watch drops (library/walk.py,
library/watch_targets.py)."""

from __future__ import annotations

from musicsage.library.walk import is_resource_fork, walk_audio_files
from musicsage.library.watch_apply import WatchPlan
from musicsage.library.watch_targets import relevant

NAMES = ["._07 Song.flac", "._.mp3", "07 Song.flac", "._", ".hidden take.wav", "_.flac",
         "._mix.ape", "mix.ape"]


def test_the_rule_names_only_the_dot_underscore_litter():
    assert [n for n in NAMES if is_resource_fork(n)] == ["._07 Song.flac", "._.mp3", "._",
                                                          "._mix.ape"]


def test_walk_and_watch_skip_the_same_resource_forks(music):
    for name in NAMES:
        (music / name).write_bytes(b"\0\5\26\7Mac OS X")
    skipped: dict[str, int] = {}
    read = {f.fs_path.rsplit("/", 1)[1]
            for f in walk_audio_files(str(music), on_error=lambda *_: None, skipped=skipped)}
    plan = WatchPlan(roots=[str(music)])
    followed = {n for n in NAMES if relevant(plan, str(music / n), False)}

    assert read == {"07 Song.flac", ".hidden take.wav", "_.flac"}
    assert followed == read
    assert skipped == {".ape": 1}  # mix.ape, not its resource fork
