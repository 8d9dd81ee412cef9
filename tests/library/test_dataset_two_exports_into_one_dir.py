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
from musicsage.library.dataset import EXPORT_FILES, export_dataset
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
    first, second = _library(tmp_path, 3), _library(tmp_path, 2)
    out = tmp_path / "out"
    holding, second_returned = threading.Event(), threading.Event()
    real_replace = os.replace

    def held_swap(src, dst, *args, **kwargs):
        """The first export, holding the folder, kept at its swap's first file until the
        second export has returned: the order of the two fixed, however loaded the machine
        (without the lock the second would swap its files in meanwhile)."""
        if (threading.current_thread().name == "first" and Path(dst).parent == out
                and Path(dst).name in EXPORT_FILES and not holding.is_set()):
            holding.set()
            second_returned.wait(120)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", held_swap)
    refusals: list[str] = []

    def run(ctx: AppContext) -> None:
        try:
            export_dataset(connect(ctx), out)
        except MusicsageError as exc:
            refusals.append(str(exc))

    running = threading.Thread(target=run, args=(first,), name="first")
    running.start()
    try:
        assert holding.wait(120), "the first export never reached its swap"
        other = threading.Thread(target=run, args=(second,), name="second")
        other.start()
        other.join(120)
        assert not other.is_alive(), "the second export waited for the first"
    finally:
        second_returned.set()
        running.join(120)
    monkeypatch.setattr(os, "replace", real_replace)

    assert not running.is_alive()
    assert len(refusals) == 1, refusals
    assert refusals[0].startswith(f"another export into {out} is running")
    assert "nothing was written" in refusals[0]
    assert not [p for p in out.iterdir() if p.name.startswith(".musicsage-stage")]
    fresh = AppContext.create(tmp_path / "fresh")
    rep = import_dataset(fresh, out)  # the first export's files, whole
    assert rep.tracks == len(list_tracks(fresh)) == rep.memberships == 3
    assert rep.features == (3, 4)


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
