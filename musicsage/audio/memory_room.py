"""Whether the memory can hold one track's analysis, asked before it is decoded.

``embed --max-seconds 1e9`` (or 7200) analyses a long track whole, and the memory that takes
grows with the track: the spectral model's frames of a 2-hour mix are about 10 GiB. Linux
hands out such arrays without having the memory (overcommit) and, once they are filled, its
OOM killer ends the process: the terminal said ``Killed`` and nothing else, and the library's
embedding stopped half done — :func:`musicsage.audio.decode.out_of_memory`, which words a
``MemoryError``, never saw one. So the job asks here first: a track whose analysis needs more
than the memory available (the system's, and its cgroup's limit: a container) fails as one
file short of memory, with the advice to analyse fewer seconds, and the run goes on.

Tracks analysed at once reserve their share: a second long track waits while the first is
analysed, where both would not fit together, rather than failing or being killed.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

_lock = threading.Condition()
_reserved = 0.0
"""Bytes reserved by the analyses under way in this process (decode workers)."""


def available_bytes() -> float | None:
    """The memory this process may still fill, in bytes: the system's ``MemAvailable``, less
    where the cgroup it runs in has a lower limit left; None where neither can be read (not
    Linux), which checks nothing."""
    found = [room for room in (_meminfo_available(), _cgroup_room()) if room is not None]
    return min(found) if found else None


@contextmanager
def room_for(need: float, *, refuse: Callable[[], BaseException]) -> Iterator[None]:
    """Reserve ``need`` bytes while the block runs. Raises ``refuse()`` (an exception) where
    even with nothing else under way they are more than :func:`available_bytes`; waits while
    the other analyses under way hold what it needs."""
    global _reserved
    with _lock:
        while True:
            free = available_bytes()
            if free is None or need <= free - _reserved:
                break
            if _reserved <= 0 or need > free:
                raise refuse()
            _lock.wait(timeout=1.0)  # another track's analysis ends and gives its share back
        _reserved += need
    try:
        yield
    finally:
        with _lock:
            _reserved -= need
            _lock.notify_all()


def _meminfo_available() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room() -> float | None:
    """What the process's memory cgroup (v2, else v1) leaves below its limit; None when it
    has none or it cannot be read."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if controllers == "":  # v2
            room = _room(Path("/sys/fs/cgroup"), path, "memory.max", "memory.current")
        elif "memory" in controllers.split(","):
            room = _room(Path("/sys/fs/cgroup/memory"), path, "memory.limit_in_bytes",
                         "memory.usage_in_bytes")
        else:
            continue
        if room is not None:
            return room
    return None


def _room(mount: Path, path: str, limit_name: str, usage_name: str) -> float | None:
    """Limit less usage of the cgroup at ``path`` under ``mount`` (inside a container the
    namespace's own cgroup is the mount's root)."""
    for folder in (mount / path.lstrip("/"), mount):
        try:
            limit = (folder / limit_name).read_text().strip()
            usage = float((folder / usage_name).read_text().strip())
        except (OSError, ValueError):
            continue
        if limit == "max" or float(limit) >= 2 ** 60:  # no limit (v1 writes a huge number)
            return None
        return max(0.0, float(limit) - usage)
    return None
