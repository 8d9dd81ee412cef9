"""Fixtures for the library tests (audio generation lives in library_audio.py)."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio


@pytest.fixture
def make_audio():
    return write_audio


@pytest.fixture
def music(tmp_path):
    """An empty music folder."""
    d = tmp_path / "music"
    d.mkdir()
    return d


@pytest.fixture
def conn(ctx):
    from musicsage.library.db import connect

    return connect(ctx)


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for: the files it was run on; the tags say which content it heard
    (by the file's size)."""
    import musicsage.audio.musicnn.tagger as tagger_mod

    calls: list[str] = []

    def tag_probabilities(_ctx, fs_path, model, **_kw):
        calls.append(os.path.basename(fs_path))
        return [(f"size {os.path.getsize(fs_path)}", 0.9), ("rock", 0.1)]

    monkeypatch.setattr(tagger_mod, "tag_probabilities", tag_probabilities)
    return calls
