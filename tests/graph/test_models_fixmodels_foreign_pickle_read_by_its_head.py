"""``models``, ``stats`` and the window check every model's model.pt against its row's data
fingerprint. Another program's plain pickle in its place was read whole to look for that
fingerprint (a 200 MB file: 600 MB of memory, on every listing after it changed), though its
first bytes already say it holds no musicsage graph model. It is now judged by its head; a
musicsage model is still read on to its fingerprint."""

from __future__ import annotations

import pickle
import tracemalloc

from musicsage.graph.checkpoint_archive import FOREIGN, archive_problem

SIZE = 32 << 20  # another program's weights: far more than the head read for the format
FINGERPRINT = "0123456789abcdef"  # a data fingerprint, as a model's row holds one


def test_a_large_foreign_pickle_is_judged_without_reading_it_whole(tmp_path):
    path = tmp_path / "model.pt"
    with open(path, "wb") as fh:
        pickle.dump({"weights": bytes(SIZE), "epoch": 3}, fh, protocol=2)
    tracemalloc.start()
    try:
        problem = archive_problem(path, FINGERPRINT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem == FOREIGN
    assert peak < SIZE // 8, f"{peak / 2**20:.0f} MiB held to judge it"
