"""``main.py --select QUERY --screenshot PNG`` on an empty library (task "window"): it saved
the welcome view and exited 0, as if QUERY had been selected, where a library without a match
exits 1 with the reason. A script checking the exit status took the one for the other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_select_in_an_empty_library_fails_with_the_reason(tmp_path):
    png = tmp_path / "selected.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir",
                          str(tmp_path / "empty"), "--select", "Jazz", "--screenshot", str(png),
                          "--screenshot-timeout", "120"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("musicsage: --select 'Jazz': the library is empty"), last
    assert not png.exists()
