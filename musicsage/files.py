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
    before the rename, for data that costs work to recompute. A failed write (a full disk)
    names ``path``: the system's error for a write carries no file name."""
    with atomic_replacement(path) as tmp:
        with open(tmp, "wb") as fh:
            try:
                fh.write(data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                exc.filename = exc.filename or os.fspath(path)
                raise


def save_torch_atomically(path: Path, payload, *, durable: bool = False) -> None:
    """``torch.save(payload)`` over ``path`` through :func:`replace_atomically`.

    Serialised in memory first, then written with plain file I/O: a full disk, a file-size
    limit or a read-only folder then arrives as the ``OSError`` it is (one line from the
    command line). Saved straight to a path, torch's own writer reports it as a
    ``RuntimeError`` ("unexpected pos …") that reads like a bug, and leaves the partial file.
    ``durable``: as for :func:`replace_atomically`.
    """
    import io

    import torch

    buffer = io.BytesIO()
    torch.save(payload, buffer)
    replace_atomically(path, buffer.getvalue(), durable=durable)


def save_npy_atomically(path: Path, array, *, durable: bool = False) -> None:
    """``numpy.save(array)`` over ``path`` through :func:`replace_atomically`, serialised in
    memory first: numpy's own file writer reports a full disk as "N requested and M written"
    (no errno, no file) and leaves the file cut short. ``durable``: as there."""
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, array)
    replace_atomically(path, buffer.getvalue(), durable=durable)
