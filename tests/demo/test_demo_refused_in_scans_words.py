"""``demo`` and ``scan`` refuse a data dir where no library can be made in the same words.

For one cause (the folder, or the one above it, refuses this user a file) ``scan`` said
"cannot make a library in D: the folder is not writable (Permission denied): choose another
--data-dir or make it writable" and ``demo`` "the library folder D is not writable
(Permission denied); this command stores into the library" (no way out said) or "cannot
build the demo in the library folder D: …". Tests run as root here: the runs go through
``setpriv`` (permissions apply then), and skip where that cannot be done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

REPO = Path(__file__).resolve().parents[2]


def _prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def _line(command: list[str], data: Path) -> str:
    proc = subprocess.run([*_prefix(), sys.executable, "-m", "musicsage", *command,
                           "--data-dir", str(data)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    return lines[0].split(": ", 1)[1]  # after "musicsage COMMAND: "


@pytest.mark.parametrize("missing", [False, True], ids=["empty-folder", "folder-to-make"])
def test_demo_says_what_scan_says_for_a_folder_it_cannot_write(tmp_path, missing):
    music = tmp_path / "music"
    music.mkdir()
    sf.write(music / "tone.wav", np.zeros(8000, dtype="float32"), 8000)
    read_only = tmp_path / "ro"
    read_only.mkdir()
    data = read_only / "library" if missing else read_only
    read_only.chmod(0o555)
    try:
        scan = _line(["scan", str(music)], data)
        demo = _line(["demo", "--tracks", "8", "--seconds", "1", "--until", "generate"], data)
    finally:
        read_only.chmod(0o755)
    assert scan.startswith(f"cannot make a library in {data}: "), scan
    assert demo == scan
    assert sorted(read_only.iterdir()) == [], "nothing made"
