"""A model.pt cut short (a full disk, an interrupted copy) was listed "ok" by ``musicsage
models`` and offered in the window's Graph model menu, refused only once picked. The
listing reads the archive's index at its end — not the model — so it stays fast."""

from __future__ import annotations

import pickle
import time
import zipfile
from pathlib import Path

import numpy as np

from musicsage.graph.store import GraphModelInfo
from musicsage.usecases.models import files_problem


def _model(folder: Path, n: int = 0) -> GraphModelInfo:
    folder.mkdir()
    np.save(folder / "embeddings.npy", np.zeros((4, 8), np.float32))
    np.save(folder / "track_ids.npy", np.arange(4, dtype=np.int64))
    with zipfile.ZipFile(folder / "model.pt", "w") as archive:  # torch.save's format
        archive.writestr("model/data.pkl", pickle.dumps(  # a description musicsage writes
            {"format": "musicsage-graph", "version": 4, "pad": b"x" * 200_000}, protocol=2))
    return GraphModelInfo(id=n, name="pinsage-spectral", audio_model="spectral",
                          created_at="", dir=folder, params={}, metrics={}, fingerprint="",
                          is_current=False)


def test_a_truncated_checkpoint_is_listed_damaged(tmp_path):
    info = _model(tmp_path / "m")
    assert files_problem(info) is None
    with open(info.checkpoint_path, "r+b") as fh:
        fh.truncate(info.checkpoint_path.stat().st_size // 2)
    assert files_problem(info) == "model.pt is damaged (cut short?)"


def test_ten_models_are_listed_without_reading_them(tmp_path):
    models = [_model(tmp_path / f"m{n}", n) for n in range(10)]
    started = time.perf_counter()
    assert [files_problem(m) for m in models] == [None] * 10
    print(f"10 models checked in {1000 * (time.perf_counter() - started):.1f} ms")
