"""A built demo whose music folder lies under a folder this user may no longer search: the
demo is refused in the words that say which folder and what to do ("cannot read the demo's
music folder … make it readable"), as before the check for an unplugged drive, which let a
bare "Permission denied" out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from musicsage.cli import main

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or (os.geteuid() == 0 and not shutil.which("setpriv")),
    reason="needs Linux, and setpriv to drop root's permission override")

BUILD = ["--tracks", "8", "--seconds", "1", "--until", "generate"]
DROP = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
        if os.geteuid() == 0 else [])


def test_a_folder_above_the_music_that_cannot_be_searched_is_said(tmp_path):
    library, above = tmp_path / "lib", tmp_path / "y"
    music = above / "m" / "demo-music"
    (above / "m").mkdir(parents=True)
    assert main(["--data-dir", str(library), "demo", str(music), *BUILD]) == 0
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    above.chmod(0)
    try:
        run = subprocess.run([*DROP, sys.executable, "-m", "musicsage", "--data-dir",
                              str(library), "demo", *BUILD], capture_output=True, text=True,
                             env=env, timeout=120)
    finally:
        above.chmod(0o755)

    assert run.returncode == 1
    assert run.stderr == (f"musicsage demo: cannot read the demo's music folder {music} "
                          "(Permission denied): make it readable, then try again\n"), run.stderr
