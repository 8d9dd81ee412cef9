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
    """A cgroup mount whose root is this process's cgroup (``0::/``, as in a container)."""
    root = tmp_path / "cgroup"
    (root / "cpu").mkdir(parents=True)
    monkeypatch.setattr(threads, "CGROUP_ROOT", root)
    membership = tmp_path / "proc-self-cgroup"
    membership.write_text("0::/\n")
    monkeypatch.setattr(threads, "PROC_SELF_CGROUP", membership)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(64)))  # a big host
    return root


def test_a_quota_on_the_processs_own_cgroup_below_the_root_caps_the_cores(cgroup):
    """``systemd-run -p CPUQuota=200%`` (or Docker with ``--cgroupns=host`` on cgroup v2)
    sets the quota on the process's own cgroup, below the mount's root, which alone was read:
    the quota was not applied. The tightest from that cgroup up to the root counts."""
    (cgroup.parent / "proc-self-cgroup").write_text("0::/system.slice/run-u7.scope\n")
    own = cgroup / "system.slice" / "run-u7.scope"
    own.mkdir(parents=True)
    (cgroup / "cpu.max").write_text("max 100000\n")
    (own / "cpu.max").write_text("200000 100000\n")
    assert threads.cpu_cores() == 2
    (cgroup / "system.slice" / "cpu.max").write_text("100000 100000\n")  # a tighter parent
    assert threads.cpu_cores() == 1


def test_a_cgroup_v1_quota_on_the_processs_own_cgroup_caps_the_cores(cgroup):
    (cgroup.parent / "proc-self-cgroup").write_text("5:cpuset:/\n4:cpu,cpuacct:/batch/job1\n")
    own = cgroup / "cpu" / "batch" / "job1"
    own.mkdir(parents=True)
    (own / "cpu.cfs_quota_us").write_text("250000\n")
    (own / "cpu.cfs_period_us").write_text("100000\n")
    assert threads.cpu_cores() == 3


@pytest.mark.parametrize("quota", ["inf", "1e400"])
def test_a_quota_that_is_no_whole_number_is_no_quota(cgroup, quota):
    """``inf`` read as a float crashed the rounding up (``math.ceil(inf)``): every embed."""
    (cgroup / "cpu.max").write_text(f"{quota} 100000\n")
    assert threads.cpu_cores() == 64


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
