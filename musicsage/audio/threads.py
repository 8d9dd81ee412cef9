"""How the embed job shares the CPU: inference lanes, decoder threads, library thread pools.

Measured on the 2-core development machine (``bench/library_scale.py``, profile of scan +
embed of 3-minute tracks), the old layout wasted a third of the CPU:

- **Page faults.** A MusiCNN pass over 16 patches allocates ~150 MB feature maps; glibc
  serves allocations above its mmap threshold (at most 32 MB) with fresh ``mmap`` pages, so
  every pass faulted ~13,000 pages per patch in and out: 27 ms of *system* time per 37 ms
  patch. Small passes (MusiCNN 2 patches, OpenL3 1 frame) stay below the threshold, and
  :func:`keep_freed_memory` tells glibc to keep freed memory for the next pass instead of
  returning it to the kernel.
- **Spinning thread teams.** torch's intra-op threads (OpenMP) and OpenBLAS's threads
  busy-wait for work; with the decoder threads on the same two cores, one of a team is always
  descheduled and the others spin at the barrier. On the CPU the job therefore runs one
  **inference lane per core**, each a single-threaded forward pass over its own batch, and
  limits torch and the BLAS libraries to one thread per caller while it runs: no barrier, no
  spinning, and both cores busy whatever the other processes on the machine do.
- Decoding (libsndfile, FFmpeg, soxr, numpy FFTs) is ~10 % of the work; its threads block in
  C code without holding the GIL, so a small pool keeps the next tracks ready.

A GPU gets one lane with large batches; the CPU threads then only decode.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's ceiling for the threshold on 64-bit
TRIM_THRESHOLD_BYTES = 256 * 1024 * 1024
_heap_tuned = False

_torch_lock = threading.Lock()
_torch_blocks: list[tuple[object, int]] = []
"""The :func:`torch_threads` blocks open on any thread, oldest first, with their ``n``."""
_torch_before = 1
"""torch's thread count before the first of the open blocks entered."""


CGROUP_ROOT = Path("/sys/fs/cgroup")
"""Where the cgroup file systems are mounted (a test points it elsewhere)."""
PROC_SELF_CGROUP = Path("/proc/self/cgroup")
"""This process's cgroups, by hierarchy (a test points it elsewhere)."""


def cpu_cores() -> int:
    """CPUs this process may keep busy: its affinity mask (``docker --cpuset-cpus``), less
    when a CPU quota on its cgroup, or one above it, is fewer cores (``docker --cpus 2``, a
    Kubernetes limit, ``systemd-run -p CPUQuota=200%``): on a 64-core host a 2-core container
    ran 64 inference lanes and 64 decoders, each lane's feature maps in memory at once, all
    of them spinning for two cores' time."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        cores = max(1, os.cpu_count() or 1)
    quota = _cgroup_quota_cores()
    return min(cores, quota) if quota is not None else cores


def _cgroup_quota_cores() -> int | None:
    """Cores the tightest CPU quota on this process's cgroup and those above it allows
    (quota / period, rounded up), or None when none sets one or none can be read. Only the
    mount's root was read: a quota on the process's own cgroup below it (``systemd-run -p
    CPUQuota=200%``, Docker with ``--cgroupns=host`` on cgroup v2) was not applied. cgroup
    v2's ``cpu.max`` (``"200000 100000"``, ``"max 100000"``), else v1's
    ``cpu/cpu.cfs_quota_us`` (-1: none) and ``cpu.cfs_period_us``."""
    v2 = [_quota_cores(folder / "cpu.max", None) for folder in _cgroup_chain(CGROUP_ROOT, "")]
    v1 = [_quota_cores(folder / "cpu.cfs_quota_us", folder / "cpu.cfs_period_us")
          for folder in _cgroup_chain(CGROUP_ROOT / "cpu", "cpu")]
    set_quotas = [q for q in v2 + v1 if q is not None]
    return min(set_quotas) if set_quotas else None


def _cgroup_chain(root: Path, controller: str) -> list[Path]:
    """The folders under ``root`` from this process's cgroup up to ``root`` itself, for the
    hierarchy of ``controller`` ("": cgroup v2's ``0::/path`` line) in ``/proc/self/cgroup``.
    Inside a container its own cgroup is often the root (``0::/``), or its path names a
    folder not mounted there: the folders that are not there are passed over."""
    path = ""
    try:
        lines = PROC_SELF_CGROUP.read_text().splitlines()
    except OSError:  # not Linux, or no /proc: the root alone
        lines = []
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, where = rest.partition(":")
        if (hierarchy == "0" and not controller) or (
                controller and controller in controllers.split(",")):
            path = where.strip()
            break
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    return [root.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]


def _quota_cores(quota_file: Path, period_file: Path | None) -> int | None:
    """Cores one cgroup's quota allows, rounded up, or None when it sets none (``max``, -1),
    its files are absent or unreadable, or they hold no whole numbers (``inf``, ``1e400``:
    read as floats, they crashed the rounding up)."""
    try:
        words = quota_file.read_text().split()
        if period_file is not None:
            words += period_file.read_text().split()
        quota, period = int(words[0]), int(words[1])
    except (OSError, ValueError, IndexError):  # absent, "max", unreadable
        return None
    if quota <= 0 or period <= 0:
        return None
    return max(1, -(-quota // period))


@dataclass(frozen=True)
class ThreadBudget:
    """Threads of one embed run. ``torch_threads``/``blas_threads`` None: left as they are."""

    lanes: int  # concurrent inference passes (threads calling the model)
    decoders: int  # decode + prepare threads
    torch_threads: int | None  # torch intra-op threads per pass
    blas_threads: int | None  # numpy's BLAS (OpenBLAS) threads

    def describe(self) -> str:
        torch_part = "" if self.torch_threads is None else f" × {self.torch_threads} torch thread"
        return f"{self.lanes} inference lane(s){torch_part}, {self.decoders} decoder(s)"


def budget_for(device: str, *, cores: int | None = None, uses_torch: bool = True) -> ThreadBudget:
    """The thread layout for an embed run on ``device`` (see the module docstring). A model
    without parallel torch inference (the DSP model: its vector is made in ``prepare``) gets
    ``cores`` decoders, no more: two at least kept two cores busy under ``--threads 1``."""
    cores = cores or cpu_cores()
    decoders = max(2, cores)
    if device.startswith("cuda"):
        return ThreadBudget(lanes=1, decoders=decoders, torch_threads=None, blas_threads=1)
    if not uses_torch:  # the decoders do all the work (spectral's vector is made in prepare)
        return ThreadBudget(lanes=1, decoders=cores, torch_threads=None, blas_threads=1)
    return ThreadBudget(lanes=cores, decoders=decoders, torch_threads=1, blas_threads=1)


@contextlib.contextmanager
def applied(budget: ThreadBudget) -> Iterator[None]:
    """torch's and the BLAS libraries' thread counts set for the block, then restored."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(torch_threads(budget.torch_threads))
        if budget.blas_threads is not None:
            stack.enter_context(_blas_threads(budget.blas_threads))
        keep_freed_memory()
        yield


@contextlib.contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """torch's intra-op thread count set to ``n`` for the block and restored (imports torch);
    None leaves it alone (and torch unimported).

    The count is the process's (what every thread started meanwhile gets), and blocks run at
    once on several threads (an inference on one GUI worker, a training run on another).
    Each block putting back what it saw lost the count when they interleaved (A saves 3,
    sets 1; B saves 1; A puts 3 back; B puts 1 back: one thread for good). So the blocks
    open now are counted (:data:`_torch_blocks`): the count before the first one entered
    comes back when the last one leaves, and one leaving while others run gives back the
    ``n`` of the latest still open (a nested block, its outer one's). While two run with
    different ``n`` the last set wins for both (OpenMP also keeps a count per thread: one
    that left while others ran keeps theirs until it sets one). The lock guards the bookkeeping only, not
    the block: holding it through the block would run the inferences one at a time."""
    if n is None:
        yield
        return
    import torch

    global _torch_before
    mine = (object(), n)  # this entry, even if another asks for the same n
    with _torch_lock:
        if not _torch_blocks:
            _torch_before = torch.get_num_threads()
        _torch_blocks.append(mine)
        torch.set_num_threads(n)
    try:
        yield
    finally:
        with _torch_lock:
            _torch_blocks.remove(mine)
            torch.set_num_threads(_torch_blocks[-1][1] if _torch_blocks else _torch_before)


@contextlib.contextmanager
def _blas_threads(n: int) -> Iterator[None]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # without it numpy's BLAS keeps its default; only slower
        yield
        return
    with threadpool_limits(limits=n, user_api="blas"):
        yield


def keep_freed_memory() -> bool:
    """Ask glibc to serve large tensors from its heap and keep freed memory (once per process).

    Sets ``M_MMAP_THRESHOLD`` to its ceiling (32 MB) and ``M_TRIM_THRESHOLD`` to 256 MB, so a
    feature map freed by one forward pass is reused by the next instead of being unmapped
    and faulted in again. Costs at most the trim threshold in retained memory. A no-op (False)
    on other C libraries.
    """
    global _heap_tuned
    if _heap_tuned:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and \
        bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))
    _heap_tuned = ok
    if not ok:
        log.debug("mallopt refused the heap settings")
    return ok
