"""Model directories: a training killed after creating its folder leaves an orphan that the next
training removes — and nothing else is ever removed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import current_graph_model, train_graph
from musicsage.graph.store import MARKER, new_model_dir, remove_orphan_dirs
from musicsage.library.db import connect


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _orphan(ctx, *, pid: int, name: str = "spectral-48") -> Path:
    d = new_model_dir(ctx, name)
    marker = json.loads((d / MARKER).read_text())
    (d / MARKER).write_text(json.dumps(dict(marker, pid=pid)))
    (d / "model.pt.tmp").write_bytes(b"half a checkpoint")
    return d


def test_only_orphans_of_dead_trainings_are_removed(ctx):
    conn = connect(ctx)
    dead = _dead_pid()
    orphan = _orphan(ctx, pid=dead)
    running = _orphan(ctx, pid=os.getpid(), name="openl3")  # a training still running
    users = ctx.graph_models_dir / "20240101-000000-mine"  # looks like ours, no marker
    users.mkdir()
    (users / "model.pt").write_bytes(b"user data")
    extra = _orphan(ctx, pid=dead, name="musicnn")
    (extra / "notes.txt").write_text("a file we never write")
    plain = ctx.graph_models_dir / "keep-me"
    plain.mkdir()
    (plain / MARKER).write_text(json.dumps({"app": "musicsage", "pid": dead}))

    assert remove_orphan_dirs(conn, ctx) == [orphan]
    assert not orphan.exists()
    for kept in (running, users, extra, plain):
        assert kept.is_dir() and any(kept.iterdir())


def test_next_training_cleans_up_and_keeps_registered_models(ctx, dataset):
    import_dataset(ctx, dataset)
    first = train_graph(ctx, max_steps=5)
    info = current_graph_model(ctx)
    # the registered model's marker names a dead process too: a row protects it
    marker = json.loads((info.dir / MARKER).read_text())
    (info.dir / MARKER).write_text(json.dumps(dict(marker, pid=_dead_pid())))
    orphan = _orphan(ctx, pid=_dead_pid())
    second = train_graph(ctx, max_steps=5)
    assert not orphan.exists()
    assert info.dir.is_dir() and (info.dir / "model.pt").is_file()
    assert current_graph_model(ctx).id == second.model_id != first.model_id


def test_a_models_vectors_reach_the_disk_before_it_can_become_current(ctx, monkeypatch):
    """A power cut after register_model commits must not leave the current model with torn
    files: write_embeddings syncs each file before it is renamed into place."""
    import numpy as np

    from musicsage.graph.store import write_embeddings

    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    d = new_model_dir(ctx, "spectral-48")
    write_embeddings(d, np.arange(3), np.ones((3, 4), np.float32))
    for name in ("embeddings.npy", "track_ids.npy"):  # synced under their temporary names
        assert any(Path(p).parent == d and name in Path(p).name for p in synced), synced
    assert np.load(d / "embeddings.npy").shape == (3, 4)


def test_a_model_keeps_the_curves_its_run_reported(ctx, dataset):
    """The window drew the loss and validation curves only while a run was going; opened
    again, it showed empty plots for the model in use. The run's curves are now saved with
    the model: every loss the progress reports gave, the validations and the step kept."""
    from musicsage.graph.curves import TrainingCurves

    import_dataset(ctx, dataset)
    reports = []
    # 200 steps: 20 losses reported (one per 10 steps), validations at 100 and 200; batches
    # of 64 (not 512) make each step cheap, and what is saved is what was reported all the same
    report = train_graph(ctx, max_steps=200, options={"batch_size": 64},
                         progress=reports.append)
    reported = [(float(p.extra["step"]), float(p.extra["loss"])) for p in reports
                if p.extra.get("loss") is not None]
    validated = [(float(p.extra["step"]), float(p.extra["val_hr10"])) for p in reports
                 if p.extra.get("val_hr10") is not None]
    assert len(reported) >= 20 and len(validated) >= 2

    curves = TrainingCurves.from_params(current_graph_model(ctx).params)
    assert curves is not None
    assert curves.loss == reported  # JSON keeps a float exactly
    assert curves.val_hr10 == validated
    assert curves.best_step == report.best_step
    assert curves.best_step in [step for step, _ in validated]
