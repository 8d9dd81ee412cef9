"""A MusiCNN wheel this user may not read (another user's download, a ``chmod``) is said to be
unreadable, not "damaged (not a zip): delete it": that advice had a user delete a good file
that may not even be theirs. The wheel is left as it is."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from robust_support import REPO, without_dac_override
from musicsage.audio.musicnn import wheel as W

CHILD = r"""
import sys
from pathlib import Path
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.context import AppContext

models = Path(sys.argv[1])
AppContext.model_dirs = property(lambda self: [models])
try:
    W.ensure_wheel(AppContext.create(sys.argv[2]), download=False)
except MissingWeights as exc:
    print("SAID", exc, flush=True)
"""


def test_an_unreadable_wheel_is_said_unreadable_not_damaged(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    wheel = models / W.WHEEL_NAME
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("musicnn/configuration.py", "MSD_LABELS = ['rock']\n")
    wheel.chmod(0)
    try:
        proc = subprocess.run([*without_dac_override(), sys.executable, "-c", CHILD,
                               str(models), str(tmp_path / "data")], cwd=REPO,
                              env=dict(os.environ, PYTHONPATH=str(REPO)),
                              capture_output=True, text=True, timeout=300)
    finally:
        wheel.chmod(0o644)
    said = [ln for ln in proc.stdout.splitlines() if ln.startswith("SAID ")]
    assert len(said) == 1, (proc.returncode, proc.stdout[-1000:], proc.stderr[-2000:])
    assert said[0] == (f"SAID cannot read {wheel} (Permission denied): give your user read "
                       "access to it"), said[0]
    assert zipfile.is_zipfile(wheel)  # left as it was
