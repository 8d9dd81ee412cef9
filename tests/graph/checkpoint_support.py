"""A model.pt the user may not read, for the tests of what ``models``, ``stats``, the dock
and ``models --use`` say of it."""

from __future__ import annotations

import os


def refuse_reading(monkeypatch, path: str) -> None:
    """``path`` refused by the open itself, as for a file the user may not read (the tests
    may run as root, whom chmod 000 does not stop). The listing's kept answers are dropped:
    a real chmod moves the file's ctime, which tells the listing to read it again."""
    from musicsage.graph import checkpoint_archive

    monkeypatch.setattr(checkpoint_archive, "_ARCHIVE_CHECKS", {})
    real_open = open

    def refused(file, *args, **kwargs):
        if os.fspath(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(checkpoint_archive, "open", refused, raising=False)
