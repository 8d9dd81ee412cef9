"""``train`` keeps as many torch threads busy as the container's CPU quota allows.

The graph's count of cores read the affinity mask alone, a second copy of embedding's: in
``docker --cpus 2`` on a 64-core host a training ran 32 torch threads (half the cores) for
two cores' time, each waiting for the others. The cgroup files are written into a temporary
folder standing for ``/sys/fs/cgroup``.
"""

from __future__ import annotations

import os

from musicsage.audio import threads
from musicsage.graph.config import TrainConfig


def test_training_threads_follow_the_cgroup_quota(tmp_path, monkeypatch):
    root = tmp_path / "cgroup"
    root.mkdir()
    (root / "cpu.max").write_text("200000 100000\n")  # docker --cpus 2
    membership = tmp_path / "proc-self-cgroup"
    membership.write_text("0::/\n")
    monkeypatch.setattr(threads, "CGROUP_ROOT", root)
    monkeypatch.setattr(threads, "PROC_SELF_CGROUP", membership)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(64)))  # a big host
    assert TrainConfig().loop.torch_threads == 1  # half of the quota's two cores
    assert TrainConfig().with_(threads=16).loop.torch_threads == 2
