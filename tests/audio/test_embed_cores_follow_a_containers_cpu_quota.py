"""``embed`` keeps as many cores busy as the container's CPU quota allows, not the host's.

``docker --cpus 1`` (or a Kubernetes CPU limit) sets a cgroup quota, not the affinity mask:
on a 64-core host such a container ran 64 inference lanes and 64 decoders for one core's
worth of time, every lane's feature maps in memory at once. The cgroup files are written
into a temporary folder standing for ``/sys/fs/cgroup``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import threads
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library


def _affinity() -> int:
    return len(os.sched_getaffinity(0))


@pytest.fixture
def cgroup(tmp_path, monkeypatch):
    root = tmp_path / "cgroup"
    (root / "cpu").mkdir(parents=True)
    monkeypatch.setattr(threads, "CGROUP_ROOT", root)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(64)))  # a big host
    return root


def test_a_cgroup_v2_quota_caps_the_cores(cgroup):
    (cgroup / "cpu.max").write_text("150000 100000\n")  # 1.5 cores: two threads busy
    assert threads.cpu_cores() == 2
    (cgroup / "cpu.max").write_text("max 100000\n")  # no quota: the affinity mask
    assert threads.cpu_cores() == 64


def test_a_cgroup_v1_quota_caps_the_cores(cgroup):
    (cgroup / "cpu" / "cpu.cfs_quota_us").write_text("300000\n")
    (cgroup / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert threads.cpu_cores() == 3
    (cgroup / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert threads.cpu_cores() == 64


def test_embed_lays_out_its_threads_for_the_quota(ctx, tmp_path, cgroup, monkeypatch):
    (cgroup / "cpu.max").write_text("100000 100000\n")
    tone = (0.2 * np.sin(np.arange(22050) / 7)).astype(np.float32)
    conn = connect(ctx)
    for i in range(2):
        path = tmp_path / f"t{i}.wav"
        sf.write(path, tone, 22050)
        conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), path.stem))
    asked: list[int | None] = []
    real = threads.budget_for

    def spy(device, *, cores=None, uses_torch=True):
        asked.append(cores)
        return real(device, cores=cores, uses_torch=uses_torch)

    monkeypatch.setattr(threads, "budget_for", spy)
    assert embed_library(ctx, "spectral", threads=64).embedded == 2
    assert asked == [1]
