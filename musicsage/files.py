"""Writing a file so that a reader, or a crash, never meets half of it.

Derived files (map caches, index metadata, the graph model's vectors for new tracks) are read
by other threads and processes while they are rewritten; a crash in the middle of a write must
leave the previous file, not a torn one.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def replace_atomically(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path`` (named by process and thread, so two
    writers never share one), then rename it over ``path``: readers see the old file or the
    new one. ``durable``: fsync before the rename, for data that costs work to recompute. The
    temporary file is removed whatever happens."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
