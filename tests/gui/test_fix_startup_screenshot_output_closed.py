"""``main.py --screenshot PNG … | head -1``: the reader of the run's output gone before the
run said "screenshot saved to …". The PNG was written, but the line's ``BrokenPipeError`` cut
the finish short before the window closed: the run never ended (a script waiting on it hung
for good). Now the line is let go and the run ends once the PNG is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_screenshot_whose_output_is_no_longer_read_still_ends(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_RUNTIME_DIR=str(tmp_path))
    png = tmp_path / "shot.png"
    run = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir",
                            str(tmp_path / "lib"), "--screenshot", str(png)], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    run.stdout.close()  # the reader is gone (``| head -1`` after its line)
    try:
        run.wait(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        run.wait()
        raise AssertionError("the run did not end once its output was no longer read") from None
    assert png.is_file() and png.stat().st_size > 0
