"""A file of the library the system will not let musicsage read is named as unreadable.

A refused read in the library folder (a cache file or folder made unreadable: mode 000, or
another user's) was said as "the library folder D is not writable": the user made it
writable, and nothing changed. A refused write is still said as before.
"""

from __future__ import annotations

import errno
import os

import pytest

from musicsage.failures import failure_line


def _as_unreadable(monkeypatch, unreadable: set[str]) -> None:
    """``os.access`` as a user who may not read ``unreadable`` would find it (the tests run as
    root, whom mode 000 does not stop)."""
    real = os.access

    def access(path, mode, *a, **k):
        if str(path) in unreadable and mode & os.R_OK:
            return False
        return real(path, mode, *a, **k)

    monkeypatch.setattr(os, "access", access)


def test_an_unreadable_cache_file_is_named_and_not_called_unwritable(ctx, monkeypatch):
    cache = ctx.data_dir / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    blocked = cache / "umap.npy"
    blocked.write_bytes(b"\x93NUMPY")
    _as_unreadable(monkeypatch, {str(blocked)})
    line, details = failure_line(PermissionError(errno.EACCES, "Permission denied",
                                                 str(blocked)), ctx)
    assert line == (f"cannot read {blocked} in the library folder {ctx.data_dir} "
                    "(Permission denied): make it readable by you")
    assert details == ""


def test_an_unreadable_folder_on_the_way_is_the_one_named(ctx, monkeypatch):
    folder = ctx.data_dir / "graph_models"
    folder.mkdir(parents=True, exist_ok=True)
    _as_unreadable(monkeypatch, {str(folder)})
    line, _ = failure_line(PermissionError(errno.EACCES, "Permission denied",
                                           str(folder / "model.pt")), ctx)
    assert line.startswith(f"cannot read {folder} in the library folder"), line


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_refused_write_is_still_said_as_unwritable(ctx, code):
    ctx.data_dir.mkdir(parents=True, exist_ok=True)
    where = ctx.data_dir / "cache" / "new.npy"
    line, _ = failure_line(OSError(code, os.strerror(code), str(where)), ctx)
    assert line.startswith(f"the library folder {ctx.data_dir} is not writable"), line
