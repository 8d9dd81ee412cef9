"""A ``train --out`` folder no one can make is refused, not retried for ever. Making an output
folder is retried when it vanishes at once (another run that gave up removes its empty
folder), but under ``/proc`` mkdir always answers "No such file or directory": root, whom
the permission check lets through, waited there at 60 % CPU until killed."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.lock import output_lock


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs a Linux /proc")
def test_an_output_folder_under_proc_is_refused_in_one_line():
    outcome: list[BaseException | None] = []

    def take() -> None:
        try:
            with output_lock(Path("/proc/musicsage-out")):
                outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - what the user sees is the point
            outcome.append(exc)

    worker = threading.Thread(target=take, daemon=True)
    worker.start()
    worker.join(20)
    assert outcome, "still retrying: the command never ends"
    assert isinstance(outcome[0], MusicsageError)
    assert str(outcome[0]).startswith("cannot write into /proc/musicsage-out (No such file")


def test_a_folder_removed_between_mkdirs_looks_is_made_again(tmp_path, monkeypatch):
    """Another run that gave up removes its empty folder between mkdir's "it exists" and its
    own look that it is a folder: mkdir says "File exists" of a folder no longer there."""
    out = tmp_path / "out"
    real_mkdir, raced = Path.mkdir, []

    def mkdir(self, *args, **kwargs):
        if self == out and not raced:
            raced.append(True)
            raise FileExistsError(17, "File exists", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with output_lock(out):
        assert out.is_dir()
    assert raced


def test_a_file_in_the_way_is_still_refused(tmp_path):
    out = tmp_path / "out"
    out.write_text("mine")
    with pytest.raises(MusicsageError):
        with output_lock(out):
            pass
    assert out.read_text() == "mine"
