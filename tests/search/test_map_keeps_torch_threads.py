"""A map leaves torch's thread count as it found it.

numba's first parallel call starts its OpenMP threads with its own count (every logical CPU)
in the OpenMP runtime torch shares, and torch then ran on that count too: on a machine with
more logical CPUs than torch's default (it takes the physical cores) or than the user's
``OMP_NUM_THREADS``, the first map of a process changed what every later torch call used.
Found with a faked 16-core machine: the in-process CLI tests saw torch go from 2 threads to 16.
"""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
import numpy as np, torch
from musicsage.search.projection import MapParams, layout
torch.set_num_threads(2)  # as torch's default on 2 physical cores, or OMP_NUM_THREADS=2
torch.ones(256, 256).sum(dim=1)  # torch's OpenMP threads started (a training, an embed)
rng = np.random.default_rng(0)
xy, method = layout(rng.normal(size=(40, 8)).astype(np.float32), params=MapParams(n_epochs=20))
print(method, torch.get_num_threads())
"""


def test_the_first_map_of_a_process_keeps_torchs_thread_count():
    # a fresh process: numba starts its threads once per process; 4 of them, as on a machine
    # with 4 logical CPUs, whatever this one has
    env = {**os.environ, "NUMBA_NUM_THREADS": "4"}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    assert out.split() == ["umap", "2"]
