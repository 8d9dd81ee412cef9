"""DGL's first import must leave the user's home folder and stdout alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_dgl_writes_nothing_in_the_home_folder_nor_on_stdout(tmp_path):
    # DGL's first import wrote ~/.dgl/config.json and printed a line on stdout, ahead of
    # the JSON of the first `train --json` a machine ran.
    env = {k: v for k, v in os.environ.items() if k != "DGLBACKEND"}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", "import musicsage.graph.train"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and not (tmp_path / ".dgl").exists()
