"""A set swapped in by ``replaced_together`` (export, ``train --out``) stopped in its commit
by Ctrl-C, SIGTERM or an error: the new set is never lost, and what is left is found again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from musicsage.files import replaced_together, stale_stages
from musicsage.library.dataset_files import interrupted_hint

NAMES = ("memberships.csv", "tracks.csv")
HINT = ": an export into it was interrupted; export again"


def _old(out: Path) -> Path:
    out.mkdir()
    for name in NAMES:
        (out / name).write_text("old " + name)
    return out


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def _stages(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".musicsage-stage-")]


def _write_new(stage: Path) -> None:
    for name in NAMES:
        (stage / name).write_text("new " + name)


def test_an_error_in_the_renames_keeps_the_new_set_in_its_stage(tmp_path, monkeypatch):
    out, real = _old(tmp_path / "out"), os.replace

    def replace(src, dst):
        if Path(dst).name == "tracks.csv":
            raise KeyboardInterrupt  # what the CLI makes of a Ctrl-C, or an OSError
        real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), replaced_together(out, NAMES) as stage:
        _write_new(stage)
    assert _files(out) == {"memberships.csv": "new memberships.csv"}  # one run's files only
    [kept] = _stages(out)
    assert _files(kept) == {"tracks.csv": "new tracks.csv"}  # the only copy, not deleted
    assert interrupted_hint(out) == HINT
    monkeypatch.setattr(os, "replace", real)
    with replaced_together(out, NAMES) as stage:  # the next run tidies it
        _write_new(stage)
    assert _files(out) == {n: "new " + n for n in NAMES} and not _stages(out)


def test_an_error_on_the_second_delete_leaves_old_files_only_and_the_stage(tmp_path,
                                                                           monkeypatch):
    out, real, calls = _old(tmp_path / "out"), os.unlink, []

    def unlink(path, *a, **k):
        calls.append(Path(path).name)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied", str(path))
        real(path, *a, **k)
    with pytest.raises(PermissionError), replaced_together(out, NAMES) as stage:
        _write_new(stage)
        monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "unlink", real)
    assert calls[0] == "tracks.csv"  # the last name goes first: never read beside old files
    assert _files(out) == {"memberships.csv": "old memberships.csv"}
    [kept] = _stages(out)
    assert _files(kept) == {n: "new " + n for n in NAMES}
    assert interrupted_hint(out) == HINT


def test_a_staged_file_missing_refuses_the_swap_before_anything_goes(tmp_path):
    out = _old(tmp_path / "out")
    with pytest.raises(FileNotFoundError), replaced_together(out, NAMES) as stage:
        (stage / "memberships.csv").write_text("new")
    assert _files(out) == {n: "old " + n for n in NAMES} and not _stages(out)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals reach the main thread only")
def test_ctrl_c_in_the_swap_waits_for_it(tmp_path, monkeypatch):
    out, real = _old(tmp_path / "out"), os.replace

    def replace(src, dst):
        if Path(dst).name == "memberships.csv":
            signal.raise_signal(signal.SIGINT)
        real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), replaced_together(out, NAMES) as stage:
        _write_new(stage)
    assert _files(out) == {n: "new " + n for n in NAMES} and not _stages(out)


def test_a_stage_left_under_this_process_id_is_stale(tmp_path):
    """Where process ids repeat (a container's CLI is process 1 each run), a killed run's
    stage bears the id of the process that runs now."""
    out = _old(tmp_path / "out")
    left = out / f".musicsage-stage-{os.getpid()}-12345.tmp"
    left.mkdir()
    (left / "tracks.csv").write_text("killed run's")
    assert stale_stages(out) == [left]
    with replaced_together(out, NAMES) as stage:
        _write_new(stage)
    assert not _stages(out)


def test_a_stage_being_written_is_neither_stale_nor_an_interrupted_export(tmp_path):
    out = _old(tmp_path / "out")
    (out / "tracks.csv").unlink()
    with replaced_together(out, NAMES) as stage:
        _write_new(stage)
        assert stale_stages(out) == [] and interrupted_hint(out) == ""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # another process's, still running
        other = out / f".musicsage-stage-{sleeper.pid}-1.tmp"
        other.mkdir()
        (other / "tracks.csv").write_text("being swapped in")
        (out / "tracks.csv").unlink()
        assert stale_stages(out) == [] and interrupted_hint(out) == ""
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_training_stage_is_no_interrupted_export(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    left = out / ".musicsage-stage-999999999-1.tmp"  # no such process
    left.mkdir()
    (left / "model.pt").write_bytes(b"x")
    assert stale_stages(out) == [left] and interrupted_hint(out) == ""
    (left / "tracks.csv").write_text("an export's")
    assert interrupted_hint(out) == HINT
