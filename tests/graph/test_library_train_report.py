"""``train_graph``'s report counts the tracks left out for want of an audio vector; the window
unpickles it from its child process, so its class must stay as light as TrainReport's."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from musicsage.graph.reports import TrainReport
from musicsage.usecases.training import LibraryTrainReport

REPO = Path(__file__).resolve().parents[2]


def test_the_library_report_is_a_train_report_that_unpickles_without_torch():
    report = LibraryTrainReport(metrics=None, steps=10, best_step=10, best_val_hr10=None,
                                seconds=1.0, contexts=("playlist",), objective="infonce",
                                no_audio_vector=3)
    assert isinstance(report, TrainReport)
    code = ("import pickle, sys\n"
            "report = pickle.loads(sys.stdin.buffer.read())\n"
            "assert report.no_audio_vector == 3 and report.steps == 10\n"
            "print(sorted(m for m in ('torch', 'dgl', 'umap', 'numba') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(report),
                         capture_output=True, cwd=REPO, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().strip() == "[]"
