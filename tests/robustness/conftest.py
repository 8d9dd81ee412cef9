"""The robustness corpus reuses helpers of other test folders (library_audio, playlist_traps in
tests/library; fake_pypi in tests/audio): plain modules, put on the import path here, before the
cases are imported."""

from __future__ import annotations

import sys
from pathlib import Path

for folder in ("library", "audio"):
    helpers = str(Path(__file__).resolve().parents[1] / folder)
    if helpers not in sys.path:
        sys.path.insert(0, helpers)
