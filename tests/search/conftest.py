"""Fixtures for the search/map tests: a small library in the real DB, vectors of our choosing.

Tracks are inserted with plain SQL through the library's own connection (schema and
migrations are the real ones); audio vectors go through ``queries.store_embeddings``. That
keeps these tests independent of audio decoding while exercising the same tables the app uses.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# umap's numba code takes tens of seconds to compile; keep its cache across test runs (the
# app's own default is <cache dir>/numba, see musicsage.search.projection).
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parents[2]
                                              / ".pytest_cache" / "numba"))

from search_helpers import Library  # noqa: E402  (after NUMBA_CACHE_DIR on purpose)


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    return Library(ctx, tmp_path / "music")
