"""Writing a file so that a reader, or a crash, never meets half of it.

Derived files (map caches, the search index and its metadata, the graph model's vectors for
new tracks) are read by other threads and processes while they are rewritten; a crash in the
middle of a write must leave the previous file, not a torn one.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_replacement(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (named by process and thread, so two writers never
    share one) for the caller to write; on a clean exit it is renamed over ``path``, so
    readers see the old file or the new one. The temporary file is removed whatever
    happens; ``path`` is untouched when the block raises."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_atomically(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` over ``path`` through :func:`atomic_replacement`. ``durable``: fsync
    before the rename, for data that costs work to recompute."""
    with atomic_replacement(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
