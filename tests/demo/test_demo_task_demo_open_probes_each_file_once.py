"""Open demo library runs its checks on the window's thread: the status, the build's checks
(the same ones the build runs again), the folders a repair writes into. Each looked at every
demo track in doubt again — a probe of the whole file for a track whose tags the user
removed — and every Open again: a 240-track demo froze the window 2.5 s on a local disk.
A file is probed once while it stays as it is; a file written since is probed again.
(A file changed in the last 2 s is probed at each look — see
test_fix_demo_rewrite_in_the_same_second.py — so these Opens come, by the checks' clock, a
minute after the user's edits.)"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import mutagen
import pytest

import musicsage.demo.manifest as manifest
import musicsage.library.tags as tags
from musicsage.demo.library import MANIFEST
from musicsage.usecases.demo import build_demo, check_demo, demo_status

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


@pytest.fixture
def counted_probes(monkeypatch) -> Counter:
    """Every probe of a file by the scan's reader, counted by path."""
    seen: Counter = Counter()
    real = tags.probe

    def probe(path: str, *args, **kwargs):
        seen[path] += 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(tags, "probe", probe)
    return seen


@pytest.fixture
def a_minute_later(monkeypatch) -> None:
    """The demo's checks see the time as a minute from now: every file changed long ago."""
    monkeypatch.setattr(manifest, "now_ns", lambda: time.time_ns() + 60_000_000_000)


def test_opening_the_demo_twice_probes_each_track_in_doubt_once(ctx, counted_probes,
                                                                a_minute_later):
    music = build_demo(ctx, until="generate", **TINY).music_dir
    names = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    tracks = [music.joinpath(*n.split("/")) for n in names if Path(n).suffix != ".m3u8"
              and Path(n).suffix != ".xspf"]
    for path in tracks[1:]:
        mutagen.File(path).delete()  # "Remove tags": smaller than written, in doubt
    tracks[0].unlink()  # one track gone: Open checks the build too

    for _ in range(2):  # two clicks on Open demo library, as the window checks
        demo_status(ctx)
        check_demo(ctx)

    assert counted_probes, "the tracks in doubt were probed"
    assert max(counted_probes.values()) == 1, counted_probes

    again = tracks[1]
    again.write_bytes(again.read_bytes()[: again.stat().st_size // 2])  # cut short since
    check_demo(ctx)
    assert counted_probes[str(again)] == 2, "a file written since is looked at again"
