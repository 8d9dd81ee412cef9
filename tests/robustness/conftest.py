"""The robustness corpus reuses the library tests' file writers (library_audio, playlist_traps):
plain modules in tests/library, put on the import path here, before the cases are imported."""

from __future__ import annotations

import sys
from pathlib import Path

LIBRARY_TESTS = Path(__file__).resolve().parents[1] / "library"
if str(LIBRARY_TESTS) not in sys.path:
    sys.path.insert(0, str(LIBRARY_TESTS))
