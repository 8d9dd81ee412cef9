"""Fixtures for the search/map tests: a small library in the real DB, vectors of our choosing.

Tracks are inserted with plain SQL through the library's own connection (schema and
migrations are the real ones); audio vectors go through ``queries.store_embeddings``. That
keeps these tests independent of audio decoding while exercising the same tables the app uses.
"""

from __future__ import annotations

import pytest

from search_helpers import Library


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    return Library(ctx, tmp_path / "music")
