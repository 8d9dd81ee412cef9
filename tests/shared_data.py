"""``shared_path``: files of ../shared for the tests that need them (skipped where absent).

A module of its own, not conftest.py: several folders have a conftest.py, and
``from conftest import …`` would get whichever of them pytest imported last.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with a reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared ships with CI, not with a user's clone)")
    return p
