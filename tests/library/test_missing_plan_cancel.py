"""Remove missing tracks… first checks which missing tracks' files are really gone, one look
at a file each (on a slow or unplugged network drive, seconds apiece). A check the user
cancelled (or one superseded by a newer check) still looked at every remaining file; now it
stops before the next one."""

from __future__ import annotations

import os

import pytest

from musicsage.errors import Cancelled
from musicsage.progress import CancelToken
from musicsage.usecases.library import missing_to_remove, scan_library

N_FILES = 30


@pytest.fixture
def many_missing(ctx, tmp_path, make_audio):
    """A scanned library of N_FILES tracks whose files were all deleted since (its music
    folder is still there, so none is kept as an unplugged drive's)."""
    music = tmp_path / "music"
    files = [make_audio(music / f"t{i:02d}.wav", seconds=0.2) for i in range(N_FILES)]
    (music / "keep.txt").write_text("the folder stays", encoding="utf-8")
    scan_library(ctx, [str(music)], [])
    for f in files:
        f.unlink()
    scan_library(ctx)
    return music


def test_a_cancelled_check_stops_looking_at_files(ctx, many_missing, monkeypatch):
    real, looked, token = os.path.exists, [], CancelToken()

    def look(path):  # the user presses Cancel while the third file is being looked at
        looked.append(path)
        if len(looked) == 3:
            token.cancel()
        return real(path)

    monkeypatch.setattr(os.path, "exists", look)
    with pytest.raises(Cancelled):
        missing_to_remove(ctx, cancel=token)
    assert len(looked) == 3, f"looked at {len(looked)} of {N_FILES} files after Cancel"


def test_an_uncancelled_check_counts_every_missing_track(ctx, many_missing):
    plan = missing_to_remove(ctx, cancel=CancelToken())
    assert (plan.tracks, plan.back, plan.kept) == (N_FILES, 0, [])
