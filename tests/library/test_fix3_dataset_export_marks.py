"""Which ``features.npy``/``features.json`` an export into its own folder takes for its own.

- The pair's fingerprint of track ids was compared with the ``tracks.csv`` beside it: once
  that tracks.csv listed other ids (the user sorted or removed rows, an older version's export
  was killed before its tracks.csv) and the vectors had changed since, the export that
  ``import`` itself advised ("export again") was refused, blaming features.npy. The export
  records in its folder's mark the vectors it wrote; those are its own, whatever tracks.csv
  lists. A folder marked by an older version (no such record) is judged by features.json's
  fingerprints, of the vectors and of tracks.csv's ids, as before the record
  (test_fix4_dataset_export_marks.py).
- A pair moved in from another export of the same track ids was replaced without a word: its
  vectors are not those the folder's export wrote.
- A features.npy whose vectors, cast to float32, were those the export writes was replaced:
  a float64 file (or one of another shape) lost its precision. Only a float32 file of the
  export's very shape is, and only beside no features.json of the user's (a hand-written one
  was replaced without a word).
- The vectors' fingerprint copied a whole features.npy into memory (``tobytes``).
- A broken link was said to be "yours, or left by an interrupted export": an export never
  leaves one.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from dataset_export_support import (exported, exported_beside, file_bytes, import_tracks, library,
                                    mark_as_an_older_version, move_pair_in, store_vectors)

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library.dataset_features import export_fingerprints
from musicsage.usecases.library import export_dataset, import_dataset


def _exported(out: Path) -> np.ndarray:
    return np.load(out / "features.npy")


@pytest.mark.parametrize("older_mark", [False, True], ids=["mark", "older-mark"])
def test_export_again_after_tracks_csv_lists_other_ids(tmp_path, older_mark):
    """An older version's export killed before its tracks.csv: the new pair beside the old
    tracks.csv; import refuses it and says to export again, which must go through where the
    mark lists the vectors. A mark without the list cannot tell that pair from one moved in
    from another export: refused, saying to move it away (a refusal loses nothing)."""
    ctx = library(tmp_path, "a", range(1, 3))
    store_vectors(ctx, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    old_tracks = (out / "tracks.csv").read_bytes()
    import_tracks(ctx, tmp_path / "more", range(100, 101))
    store_vectors(ctx, 1.0)
    export_dataset(ctx, out)
    (out / "tracks.csv").write_bytes(old_tracks)
    if older_mark:
        mark_as_an_older_version(out)
    store_vectors(ctx, 2.0)

    if older_mark:
        with pytest.raises(MusicsageError, match=r"fingerprints other tracks than tracks\.csv "
                                                 r"lists\): move it and features\.json beside "
                                                 r"it away"):
            export_dataset(ctx, out)
        return
    assert export_dataset(ctx, out).features == (3, 3)  # refused, blaming features.npy
    assert _exported(out)[:, 0].tolist() == [3.0, 4.0, 102.0]


@pytest.mark.parametrize("edit", ["sorted", "row-removed"])
def test_export_again_after_the_user_edited_tracks_csv(tmp_path, edit):
    ctx = library(tmp_path, "a", range(1, 4))
    store_vectors(ctx, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    header, *rows = (out / "tracks.csv").read_text().splitlines(True)
    rows = rows[::-1] if edit == "sorted" else rows[:-1]
    (out / "tracks.csv").write_text(header + "".join(rows))
    with pytest.raises(MusicsageError):  # the import's refusal: it says to export again
        import_dataset(AppContext.create(tmp_path / "probe"), out)
    store_vectors(ctx, 2.0)

    assert export_dataset(ctx, out).features == (3, 3)
    assert _exported(out)[:, 0].tolist() == [3.0, 4.0, 5.0]


def test_a_pair_moved_in_from_another_export_of_the_same_tracks_is_kept(tmp_path):
    a, b = library(tmp_path, "a", range(1, 3)), library(tmp_path, "b", range(1, 3))
    store_vectors(a, 1.0)
    store_vectors(b, 7.0)
    out = exported_beside(a, b, tmp_path)
    move_pair_in(tmp_path, out)  # mv other/features.* out/
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(features\.json beside it "
                                             r"fingerprints other vectors\): move it and "
                                             r"features\.json beside it away"):
        export_dataset(a, out)
    assert file_bytes(out) == before


def test_a_float64_features_npy_is_not_replaced_by_a_rounded_copy(tmp_path):
    ctx, out = exported(tmp_path, None)
    mine = np.array([[0.1, 0.2, 0.3], [1 / 3, 2 / 3, 1e-9]], dtype=np.float64)
    np.save(out / "features.npy", mine)  # as train --dataset advises, in the user's dtype
    import_dataset(ctx, out)
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(it holds the vectors as float64 "
                                             r"of shape \(2, 3\); the export writes float32 "
                                             r"of shape \(2, 3\)\): move it away"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before
    os.replace(out / "features.npy", tmp_path / "mine.npy")
    assert export_dataset(ctx, out).features == (2, 3)


def test_float32_vectors_of_another_shape_are_not_replaced(tmp_path):
    """The same float32 numbers as the export's, in 3 rows of 2: other vectors."""
    ctx, out = exported(tmp_path, None)
    np.save(out / "features.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
    import_dataset(ctx, out)
    np.save(out / "features.npy", np.arange(6, dtype=np.float32).reshape(3, 2))
    before = file_bytes(out)
    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before


def test_the_very_vectors_beside_a_hand_written_features_json(tmp_path):
    ctx, out = exported(tmp_path, None)
    np.save(out / "features.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
    (out / "features.json").write_text(json.dumps(
        {"model_id": "spectral-mine", "model_version": "7", "note": "from my notebook"}))
    import_dataset(ctx, out)
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.json is not the one the last finished "
                                             r"export wrote \(it has no fingerprints\): move "
                                             r"it away"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before
    os.replace(out / "features.json", tmp_path / "mine.json")
    assert export_dataset(ctx, out).features == (2, 3)  # the vectors alone: the export's


def test_the_vectors_fingerprint_copies_no_file_into_memory(tmp_path):
    vectors = np.arange(1 << 21, dtype=np.float32).reshape(-1, 8)  # 8 MiB
    np.save(tmp_path / "features.npy", vectors)
    mapped = np.load(tmp_path / "features.npy", mmap_mode="r")
    tracemalloc.start()
    try:
        found = export_fingerprints((), mapped)["features_sha1"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del mapped
    assert peak < 1 << 20, f"{peak:,} bytes held to fingerprint an 8 MiB file"
    assert found == export_fingerprints((), vectors.astype(np.float64))["features_sha1"]


def test_a_broken_link_is_not_said_to_be_left_by_an_export(tmp_path):
    ctx = library(tmp_path, "a", range(1, 3))
    store_vectors(ctx, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    os.replace(out / "features.npy", tmp_path / "features.npy")
    os.symlink(tmp_path / "unmounted" / "features.npy", out / "features.npy")
    with pytest.raises(MusicsageError) as refused:
        export_dataset(ctx, out)
    assert "is a broken link" in str(refused.value)
    assert "interrupted" not in str(refused.value)
    assert str(refused.value).endswith(": move it away, then export again (nothing was written)")


@pytest.mark.parametrize("where", ["before-the-swap", "after-the-swap"])
def test_an_export_killed_mid_way_leaves_a_folder_the_next_one_replaces(tmp_path,
                                                                        monkeypatch, where):
    """Killed before the swap the folder holds the earlier vectors, after it the new ones,
    while the mark may not have been brought up to date: either is the export's own."""
    ctx = library(tmp_path, "a", range(1, 3))
    store_vectors(ctx, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    store_vectors(ctx, 2.0)
    target = ("musicsage.library.dataset.save_npy_atomically" if where == "before-the-swap"
              else "musicsage.files.fsync_folder")

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(target, killed)
        with pytest.raises(KeyboardInterrupt):
            export_dataset(ctx, out)
    assert _exported(out)[:, 0].tolist() == ([2.0, 3.0] if where == "before-the-swap"
                                             else [3.0, 4.0])
    store_vectors(ctx, 3.0)
    assert export_dataset(ctx, out).features == (2, 3)
    assert _exported(out)[:, 0].tolist() == [4.0, 5.0]
