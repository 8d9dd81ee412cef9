"""An export's folder whose CSV files the user removed, then put a features.npy and a
features.json of their own into (a hand-made dataset dir begun in an old export's folder):
the next ``export`` there removed both (an export without vectors: "obsolete") or wrote over
them, exit 0 — files the app did not write, which docs/dataset-dir.md says it never replaces
("a features.npy or features.json put into that folder since is yours"). Without a
tracks.csv beside them they were taken for an export's swap cut short; the folder's mark
tells that case apart (it lists the vectors of the export being swapped in, and of the one
before), so they are refused in one line and kept, as they are beside a tracks.csv."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.usecases.library import export_dataset, import_dataset

OWN_JSON = '{"model_id": "spectral-mine"}\n'


@pytest.mark.parametrize("vectors", [True, False], ids=["export-with-vectors", "without"])
def test_export_refuses_to_replace_features_put_into_its_folder_without_a_tracks_csv(
        ctx, tmp_path, vectors):
    src = tmp_path / "src"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id\nt1\nt2\n", encoding="utf-8")
    if vectors:
        np.save(src / "features.npy", np.eye(2, 3, dtype=np.float32))
    import_dataset(ctx, src)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    for csv_file in out.glob("*.csv"):
        csv_file.unlink()
    for name in ("features.npy", "features.json"):
        (out / name).unlink(missing_ok=True)
    own = np.arange(6, dtype=np.float64).reshape(3, 2)
    np.save(out / "features.npy", own)
    (out / "features.json").write_text(OWN_JSON, encoding="utf-8")

    with pytest.raises(MusicsageError) as refused:
        export_dataset(ctx, out)

    assert "nothing was written" in str(refused.value)
    assert "features.npy" in str(refused.value)
    assert np.array_equal(np.load(out / "features.npy"), own)
    assert (out / "features.json").read_text(encoding="utf-8") == OWN_JSON
    assert not (out / "tracks.csv").exists()
