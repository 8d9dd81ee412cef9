"""Fixtures for the library tests (audio generation lives in library_audio.py)."""

from __future__ import annotations

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
