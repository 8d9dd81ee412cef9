"""``train --dataset D --out O`` twice at once: the second waits for the first, saying so,
instead of both writing O's three files (the first run's silently replaced, the files
possibly of either run)."""

from __future__ import annotations

import os
import threading

from dataset_files import round_robin_dataset
from musicsage.graph.jobs import make_config, train_dataset
from musicsage.library.lock import OUTPUT_LOCK, output_lock


def _waits_for(folder, run) -> tuple[list[str], threading.Thread, threading.Event]:
    """Start ``run(progress)`` in a thread while ``folder``'s lock is held; return once it
    said it waits (the lock still held by the caller's ``with``)."""
    heard: list[str] = []
    waiting, done = threading.Event(), threading.Event()

    def progress(p) -> None:
        if "waiting for it to finish" in (p.message or ""):
            heard.append(p.message)
            waiting.set()

    def target() -> None:
        run(progress)
        done.set()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    assert waiting.wait(30), "the second run did not wait"
    return heard, thread, done


def test_a_second_training_into_one_out_folder_waits_for_the_first(tmp_path):
    data, out = round_robin_dataset(tmp_path / "ds"), tmp_path / "new" / "out"
    config = make_config(max_steps=2, options={"threads": 1, "choose_contexts": False})
    with output_lock(out):  # a first training into ``out`` runs
        heard, thread, done = _waits_for(out, lambda progress: train_dataset(
            data, out, config=config, holdout=0, progress=progress, device="cpu"))
        assert not done.is_set()
        assert sorted(p.name for p in out.iterdir()) == [OUTPUT_LOCK]  # nothing written
    thread.join(60)
    assert done.is_set()
    assert heard == [f"another training into {out} is running (process "
                     f"{os.getpid()}); waiting for it to finish"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".musicsage-output", "embeddings.npy", "metrics.json", "model.pt"]  # lock removed


def test_a_run_that_writes_nothing_leaves_no_folder_behind(tmp_path):
    out = tmp_path / "a" / "b"
    with output_lock(out):
        assert (out / OUTPUT_LOCK).is_file()
    assert not (tmp_path / "a").exists()


def test_the_lock_leaves_the_folders_files_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with output_lock(out):
        pass
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
