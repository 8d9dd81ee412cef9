"""In a folder an older version's export marked (its mark records no vectors), a features.npy
the user put there in place of that export's vectors is kept: the older fingerprint rule
passes only the vectors features.json fingerprints, not any float32 matrix of 2 dimensions
(the review of 0ed0b02: no test pinned that part of the rule, so accepting every such file,
and overwriting the user's, went unnoticed)."""

from __future__ import annotations

import numpy as np
import pytest
from dataset_export_support import file_bytes, library, mark_as_an_older_version, store_vectors

from musicsage.errors import MusicsageError
from musicsage.usecases.library import export_dataset


@pytest.mark.parametrize("shape", [(2, 3), (4, 5)], ids=["the-exports-shape", "another-shape"])
def test_the_users_vectors_in_an_older_versions_folder_are_kept(tmp_path, shape):
    ctx = library(tmp_path, "a", range(1, 3))
    store_vectors(ctx, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    mark_as_an_older_version(out)
    np.save(out / "features.npy", np.full(shape, 42.0, dtype=np.float32))  # the user's own
    before = file_bytes(out)
    store_vectors(ctx, 5.0)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(its vectors are not those "
                                             r"features\.json describes\): move it away"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before
