"""A batch takes ready tracks while it has fewer units than ``batch_size``, so a long track can
land behind a short one. Its units were then joined to the short one's before the model pass:
a copy of all of them, twice the memory its decode had reserved (a 2-hour track's OpenL3
frames, 1.4 GB more). Now only a chunk that spans two tracks is copied, and every vector is
the one the join gave."""

from __future__ import annotations

import tracemalloc

import numpy as np

from musicsage.audio.embed_job import _infer_and_pool
from musicsage.audio.embed_prepare import Prepared


class _Model:
    """A model pass that keeps what each unit holds apart (sum and spread of its values)."""

    batch_size = 8

    def infer(self, units: np.ndarray) -> np.ndarray:
        assert len(units) <= self.batch_size
        return np.stack([units.sum(axis=1), units.std(axis=1)], axis=1)

    def pool(self, unit_embeddings: np.ndarray) -> np.ndarray:
        return unit_embeddings.mean(axis=0)


def _units(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, 1000)).astype(np.float32)


def _joined_then_sliced(model: _Model, batch: list[Prepared]) -> list[np.ndarray]:
    """What the job computed before: the batch joined, then sliced ``batch_size`` at a time."""
    units = np.concatenate([item.units for item in batch])
    embs = np.concatenate([model.infer(units[i:i + model.batch_size])
                           for i in range(0, len(units), model.batch_size)])
    ends = np.cumsum([len(item.units) for item in batch])
    return [model.pool(part) for part in np.split(embs, ends[:-1])]


def test_a_long_track_behind_a_short_one_is_not_copied_whole():
    model = _Model()
    batch = [Prepared(1, "short.wav", units=_units(3, 1)),
             Prepared(2, "two hours.wav", units=_units(5000, 2))]  # 20 MB of units
    tracemalloc.start()
    try:
        _, vectors = _infer_and_pool(model, batch)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < batch[1].units.nbytes / 4, f"{peak / 1e6:.1f} MB taken by one model pass"
    for got, before in zip(vectors, _joined_then_sliced(model, batch)):
        assert got.tobytes() == before.tobytes()  # the same vectors, to the byte


def test_chunks_spanning_several_tracks_give_the_vectors_the_join_gave():
    model = _Model()
    for sizes in ([3, 5000], [1, 1, 1], [8, 8], [7, 2, 9, 1], [20], [5, 3, 30, 4]):
        batch = [Prepared(i, f"{i}.wav", units=_units(n, i)) for i, n in enumerate(sizes)]
        _, vectors = _infer_and_pool(model, batch)
        before = _joined_then_sliced(model, batch)
        assert [v.tobytes() for v in vectors] == [v.tobytes() for v in before], sizes
