"""A music folder that is a single file (``scan song.wav``), damaged in place with its time put
back (a tag editor's "preserve timestamps" gone wrong), heard by the watch: its read error is
kept. Unplugged, its error became "not found (…)"; plugged back at its stored stamp, a plain
scan took it for back and read — the read error was lost for good, and ``stats`` said 0."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from musicsage.library.db import connect
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import library_stats, scan_library

sys.path.insert(0, str(Path(__file__).parent))
from library_audio import write_audio  # noqa: E402


def _errors(ctx) -> list[str]:
    return [m for (m,) in connect(ctx).execute("SELECT message FROM errors WHERE stage = 'scan'")]


def test_a_lone_file_damaged_in_place_keeps_its_read_error_once_back(ctx, tmp_path):
    solo = write_audio(tmp_path / "L" / "solo.wav", seconds=0.3)
    scan_library(ctx, [solo], [])
    st = os.stat(solo)
    data = bytearray(solo.read_bytes())
    data[:16] = b"RIFF\0\0\0\0WAVEjunk"  # damaged where its header lies, its size kept
    solo.write_bytes(bytes(data))
    os.utime(solo, ns=(st.st_atime_ns, st.st_mtime_ns))  # its time put back
    apply_changes(connect(ctx), WatchPlan(roots=[str(solo)]), Batch(paths={str(solo): False}))
    assert len(_errors(ctx)) == 1 and not _errors(ctx)[0].startswith("not found")

    away = tmp_path / "away.wav"
    os.rename(solo, away)  # unplugged
    scan_library(ctx)
    assert _errors(ctx)[0].startswith("not found (")
    os.rename(away, solo)  # plugged back, at the stamp stored
    scan_library(ctx)
    scan_library(ctx)

    errors = _errors(ctx)
    assert len(errors) == 1 and not errors[0].startswith("not found"), errors
    assert library_stats(ctx).errors == 1
