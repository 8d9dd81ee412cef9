"""A broken features.json is refused by `import` as docs/dataset-dir.md says — also without a
features.npy beside it, which an import took without a word — in one line naming the file
with its folder, the model families written as words, not as a Python tuple."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.library.dataset_files import check_training_dataset
from musicsage.library.dataset_read import read_dataset
from musicsage.library.db import connect
from musicsage.library.queries import all_tracks
from musicsage.usecases.library import import_dataset


def _dataset(d: Path, features_json: str, *, npy: bool) -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,A\nt2,B\nt3,C\n", encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t1\np,t2\nq,t3\n",
                                       encoding="utf-8")
    (d / "features.json").write_text(features_json, encoding="utf-8")
    if npy:
        np.save(d / "features.npy", np.eye(3, 2, dtype=np.float32))
    return d


@pytest.mark.parametrize("npy", [True, False], ids=["with features.npy", "without"])
@pytest.mark.parametrize("content, words", [
    ('{"model_id": "foo-1"}', "not usable (audio model id 'foo-1' names no known audio model "
                              "family; it must start with openl3, musicnn or spectral); fix it, "
                              "or delete it"),
    ('["openl3"]', "not usable (not a JSON object with a model_id"),
])
def test_import_refuses_a_broken_features_json_naming_it(ctx, tmp_path, npy, content, words):
    d = _dataset(tmp_path / "ds", content, npy=npy)
    with pytest.raises(MusicsageError) as caught:
        import_dataset(ctx, d)
    message = str(caught.value)
    assert message.startswith(f"{d.resolve() / 'features.json'}: {words}"), message
    assert "\n" not in message and "(" + "'openl3'" not in message
    assert all_tracks(connect(ctx)) == [], "refused before anything is stored"
    if npy:  # train/eval --dataset say the same words
        with pytest.raises(MusicsageError, match="names no known audio model family|not a JSON"):
            from musicsage.graph.data import GraphData

            GraphData.from_dataset_dir(d)
    else:
        with pytest.raises(MusicsageError, match="features.npy is missing"):
            check_training_dataset(d)


def test_a_good_features_json_without_features_npy_still_imports(tmp_path):
    """An export's features.json (with fingerprints of vectors no longer there) describes
    nothing once features.npy is deleted: the tracks and playlists import as before."""
    d = _dataset(tmp_path / "ds", '{"model_id": "openl3-mel128-512", "model_version": "1", '
                 '"track_ids_sha1": "0", "features_sha1": "0"}', npy=False)
    read = read_dataset(d)
    assert read.features is None and len(read.keys) == 3
