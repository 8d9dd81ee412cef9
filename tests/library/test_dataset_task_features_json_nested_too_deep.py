"""A features.json nested deeper than Python's JSON reader can follow (``[[[[…]]]]``: a file
damaged, or no features.json at all) is refused in one line naming it, like any other
features.json that is not usable — by ``import`` and ``train --dataset`` alike, and an
``export`` into a folder holding one refuses to replace it, as it refuses any features.json
that is not its own. Read as JSON, it raised RecursionError: "unexpected error … this is a
bug", a crash log, and no word of which file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.library.dataset_read import read_dataset
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset

DEEP = "[" * 100_000 + "]" * 100_000


def _dataset(d: Path) -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text("track_id\nt1\nt2\n", encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\np,t2\n", encoding="utf-8")
    np.save(d / "features.npy", np.eye(2, dtype=np.float32))
    (d / "features.json").write_text(DEEP, encoding="utf-8")
    return d


def test_import_refuses_a_too_deep_features_json_in_one_line(tmp_path):
    d = _dataset(tmp_path / "ds")
    with pytest.raises(MusicsageError) as caught:
        read_dataset(d)
    assert str(caught.value).startswith(f"{d / 'features.json'}: not usable (")
    assert "fix it, or delete it" in str(caught.value)


def test_train_dataset_refuses_it_the_same_way(tmp_path):
    d = _dataset(tmp_path / "ds")
    from musicsage.graph.data import GraphData

    with pytest.raises(MusicsageError, match="features.json: not usable"):
        GraphData.from_dataset_dir(d)


def test_export_keeps_a_too_deep_features_json_it_did_not_write(ctx, tmp_path):
    src = _dataset(tmp_path / "ds")
    (src / "features.json").unlink()
    from musicsage.usecases.library import import_dataset

    import_dataset(ctx, src)
    out = tmp_path / "out"
    export_dataset(ctx, out)  # marks the folder as the export's
    (out / "features.json").write_text(DEEP, encoding="utf-8")
    with pytest.raises(MusicsageError, match="nothing was written"):
        export_dataset(ctx, out)
    assert (out / "features.json").read_text(encoding="utf-8") == DEEP
    connect(ctx).close()
