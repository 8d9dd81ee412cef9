"""The graph note reads the version model.pt gives on every ``similar`` and every track the
window selects (:mod:`musicsage.graph.checkpoint_version`): it opened the archive and walked
its description each time. A model.pt is written whole, once: its version is now read once
per file, and read anew where another file was put there (a retraining, a newer musicsage's
model.pt copied in) or the file is gone."""

from __future__ import annotations

import os
import zipfile

import pytest

from musicsage.graph import checkpoint_version
from musicsage.graph.checkpoint_archive import FORMAT


def _write(path, version: int) -> None:
    """A model.pt giving ``version``, written beside ``path`` and moved over it, as a save is."""
    torch = pytest.importorskip("torch")
    part = path.with_name(path.name + ".part")
    torch.save({"format": FORMAT, "version": version}, part)
    os.replace(part, path)


def test_the_version_is_read_once_and_again_for_another_file(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    _write(path, 4)
    opened = []
    real = zipfile.ZipFile
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: opened.append(a[0]) or real(*a, **k))

    assert [checkpoint_version.saved_version(path) for _ in range(3)] == [4, 4, 4]
    assert len(opened) == 1
    _write(path, 5)  # another file at the path: read anew
    assert checkpoint_version.saved_version(path) == 5
    assert len(opened) == 2
    path.unlink()
    assert checkpoint_version.saved_version(path) is None
