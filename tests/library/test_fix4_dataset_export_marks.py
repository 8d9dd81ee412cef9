"""The record of an export's vectors in its folder's mark, after review of fb921d4.

- ``train --dataset … --out DIR`` into an export's folder rebuilt the folder's mark from
  scratch: the list of the vectors the export wrote was gone, and a features.npy and
  features.json moved in from another export were replaced without a word. The mark keeps
  what else it records; and a mark without the list (every folder marked before it) refuses
  a pair whose features.json fingerprints other tracks than the tracks.csv beside it, as
  before the list.
- A float64 features.npy (or one reshaped) whose numbers, cast to float32, were vectors the
  list records was taken as the export's own and replaced by a rounded copy.
- An older version exporting into the folder leaves the mark (and its list) as it was: the
  next export by this version refused its consistent files as "yours". This version
  rewrites the mark after every export; a tracks.csv newer than it lets the files'
  fingerprints decide too.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from dataset_export_support import (exported, exported_beside, file_bytes, library,
                                    move_pair_in, store_vectors)

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.files import OUTPUT_MARKER, claim_output_dir
from musicsage.graph.jobs import TRAIN_OUT_FILES
from musicsage.usecases.library import export_dataset


def _moved_in(tmp_path: Path, ids: range) -> tuple[AppContext, Path]:
    """A's export in ``out``; then B's features.npy and features.json (of the tracks
    ``ids``) moved into it from B's own export."""
    a, b = library(tmp_path, "a", range(1, 3)), library(tmp_path, "b", ids)
    store_vectors(a, 1.0)
    store_vectors(b, 7.0)
    return a, exported_beside(a, b, tmp_path)


@pytest.mark.parametrize("ids", [range(1, 3), range(50, 52)], ids=["same-ids", "other-ids"])
def test_a_pair_moved_in_after_train_out_wrote_into_the_folder_is_kept(tmp_path, ids):
    a, out = _moved_in(tmp_path, ids)
    claim_output_dir(out, TRAIN_OUT_FILES, "train", "--out")  # what train --out does first
    mark = json.loads((out / OUTPUT_MARKER).read_text())
    assert mark["commands"] == ["export", "train"] and mark["features_sha1"]
    move_pair_in(tmp_path, out)  # mv other/features.* out/
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.json beside it fingerprints other "
                                             r"vectors\): move it and features\.json beside "
                                             r"it away"):
        export_dataset(a, out)
    assert file_bytes(out) == before


def test_a_pair_of_other_tracks_moved_into_a_folder_an_older_version_marked_is_kept(tmp_path):
    a, out = _moved_in(tmp_path, range(50, 52))
    (out / OUTPUT_MARKER).write_text(json.dumps(  # as versions before the list wrote it
        {"app": "musicsage", "command": "export", "commands": ["export"]}) + "\n")
    move_pair_in(tmp_path, out)  # mv other/features.* out/
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.json beside it fingerprints other "
                                             r"tracks than tracks\.csv lists\): move it and "
                                             r"features\.json beside it away"):
        export_dataset(a, out)
    assert file_bytes(out) == before


def test_a_float64_copy_of_the_exports_vectors_is_not_rounded_over(tmp_path):
    ctx, out = exported(tmp_path, 0.5)
    mine = np.load(out / "features.npy").astype(np.float64) + 1e-12  # float32 cast: the same
    np.save(out / "features.npy", mine)
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"it holds the vectors as float64 of shape "
                                             r"\(2, 3\); the export writes float32"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before


def test_the_exports_vectors_reshaped_are_not_replaced(tmp_path):
    ctx, out = exported(tmp_path, 0.5)
    store_vectors(ctx, 2.0)  # the export writes other vectors now
    np.save(out / "features.npy", np.load(out / "features.npy").reshape(3, 2))
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before


def test_a_pair_moved_in_stays_refused_after_the_user_edited_tracks_csv(tmp_path):
    """Where the mark lists the vectors exports wrote, only that list decides: a tracks.csv
    the user edited since (newer than the mark) let the older fingerprint rule pass a pair
    moved in from another export of the same tracks, and the export overwrote it (the final
    review of dda6437). An older version's export into such a folder is refused the same
    way — move its files away, nothing is lost."""
    ctx, out = exported(tmp_path, 0.5)
    store_vectors(ctx, 2.0)
    export_dataset(ctx, tmp_path / "other")  # the same tracks, other vectors
    for name in ("features.npy", "features.json"):
        shutil.copyfile(tmp_path / "other" / name, out / name)
    marked = os.stat(out / OUTPUT_MARKER).st_mtime_ns
    os.utime(out / "tracks.csv", ns=(marked + 10**9, marked + 10**9))  # edited after it
    moved_in = (out / "features.npy").read_bytes()
    store_vectors(ctx, 3.0)

    with pytest.raises(MusicsageError, match="move it"):
        export_dataset(ctx, out)
    assert (out / "features.npy").read_bytes() == moved_in


def test_every_export_leaves_its_mark_newer_than_its_tracks_csv(tmp_path):
    ctx, out = exported(tmp_path, 0.5)
    past = os.stat(out / "tracks.csv").st_mtime_ns - 10**10
    os.utime(out / "tracks.csv", ns=(past, past))
    os.utime(out / OUTPUT_MARKER, ns=(past + 10**9, past + 10**9))  # the mark the newer
    export_dataset(ctx, out)  # the same vectors again: the list is unchanged
    assert os.stat(out / OUTPUT_MARKER).st_mtime_ns >= os.stat(out / "tracks.csv").st_mtime_ns
