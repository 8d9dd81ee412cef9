"""A features.json too deep for the JSON reader was said to be "not a JSON object with a
model_id" even when it is one (an object whose inner value is nested too deeply), and an
export called such valid JSON "not JSON". Both say only that it is nested too deeply to
read."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.library.dataset_read import read_dataset
from musicsage.usecases.library import export_dataset, import_dataset

DEEP_OBJECT = '{"model_id": "spectral-mine", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}"


def test_import_says_only_that_it_is_nested_too_deeply(tmp_path):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id\nt1\nt2\n", encoding="utf-8")
    np.save(d / "features.npy", np.eye(2, dtype=np.float32))
    (d / "features.json").write_text(DEEP_OBJECT, encoding="utf-8")

    with pytest.raises(MusicsageError) as refused:
        read_dataset(d)

    assert str(refused.value) == (f"{d / 'features.json'}: not usable (nested too deeply to "
                                  "read); fix it, or delete it")


def test_export_says_only_that_it_is_nested_too_deeply(ctx, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id\nt1\nt2\n", encoding="utf-8")
    import_dataset(ctx, src)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    (out / "features.json").write_text(DEEP_OBJECT, encoding="utf-8")

    with pytest.raises(MusicsageError) as refused:
        export_dataset(ctx, out)

    assert "(it is nested too deeply to read)" in str(refused.value)
    assert "not JSON" not in str(refused.value)
    assert (out / "features.json").read_text(encoding="utf-8") == DEEP_OBJECT
