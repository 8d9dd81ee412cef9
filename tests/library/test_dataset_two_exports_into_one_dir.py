"""Two ``export DIR`` into the same DIR at once (two terminals, the window and a terminal).

Each export stages its own files and swaps them in as a set, but nothing kept the two swaps
apart: both removed the old set and renamed their files in, and when the swaps met the folder
held one export's ``tracks.csv`` beside the other's ``features.npy`` and ``memberships.csv``
(which ``import`` refuses, or worse, reads as one library). The second export is refused now
while the first runs, in one line, and the folder holds the first one's files whole.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library.dataset import export_dataset
from musicsage.library.db import connect
from musicsage.usecases.library import import_dataset, list_tracks


def _library(root: Path, n: int) -> AppContext:
    """A library of ``n`` tracks without audio files, with vectors, in one playlist."""
    src = root / f"src{n}"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n" + "".join(
        f"{i},T{i}\n" for i in range(1, n + 1)))
    (src / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"1,{i}\n" for i in range(1, n + 1)))
    np.save(src / "features.npy", np.arange(n * 4, dtype=np.float32).reshape(n, 4))
    ctx = AppContext.create(root / f"data{n}")
    import_dataset(ctx, src)
    return ctx


def test_a_second_export_into_a_dir_being_written_is_refused_and_never_mixed(
        tmp_path, monkeypatch):
    small, large = _library(tmp_path, 2), _library(tmp_path, 3)
    out = tmp_path / "out"
    both_swapping = threading.Barrier(2, timeout=3)
    real_replace = os.replace

    def slow_swap(src, dst, *args, **kwargs):
        """Both exports in their swap at once, each file put in last by the one whose turn it
        is (the small library's tracks.csv, the large one's other files)."""
        if Path(dst).parent == out:
            try:
                both_swapping.wait()
            except threading.BrokenBarrierError:  # the other export is not swapping
                pass
            if (threading.current_thread().name == "small") == (Path(dst).name == "tracks.csv"):
                threading.Event().wait(0.2)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", slow_swap)
    refusals: list[str] = []

    def run(ctx: AppContext) -> None:
        try:
            export_dataset(connect(ctx), out)
        except MusicsageError as exc:
            refusals.append(str(exc))

    threads = [threading.Thread(target=run, args=(ctx,), name=name)
               for ctx, name in ((small, "small"), (large, "large"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.setattr(os, "replace", real_replace)

    assert len(refusals) == 1, refusals
    assert refusals[0].startswith(f"another export into {out} is running")
    assert "nothing was written" in refusals[0]
    assert not [p for p in out.iterdir() if p.name.startswith(".musicsage-stage")]
    fresh = AppContext.create(tmp_path / "fresh")
    rep = import_dataset(fresh, out)  # one export's files, whole: read as one library
    assert rep.tracks == len(list_tracks(fresh)) == rep.memberships
    assert rep.features == (rep.tracks, 4)


def test_an_export_after_another_ended_is_not_refused(tmp_path):
    ctx = _library(tmp_path, 2)
    out = tmp_path / "out"
    export_dataset(connect(ctx), out)
    assert export_dataset(connect(ctx), out).tracks == 2


def test_an_export_refused_for_another_leaves_the_others_files(tmp_path):
    """The refusal comes before the refused export touches anything: the running export's
    files, and its stage, stay."""
    import fcntl

    ctx = _library(tmp_path, 3)
    out = tmp_path / "out"
    export_dataset(connect(ctx), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fd = os.open(out, os.O_RDONLY)  # another export holding the folder
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(MusicsageError, match="another export into .* is running"):
            export_dataset(connect(ctx), out)
    finally:
        os.close(fd)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
