"""Each rule by which an export tells its own features.npy and features.json in its folder
from a file it must not replace, pinned where no other test pinned it (the review of
``dataset_export._foreign_features``): a file that cannot be read is refused, not
overwritten; a folder an older version marked (no record of the vectors) keeps the older
fingerprint rule, which passes that version's own consistent pair, where tracks.csv cannot
be read too, and after an export killed before its swap; a mark whose record is not a list
of strings counts as such an older mark; a features.json fingerprinting the very vectors
this export writes is replaced; a folder without tracks.csv (an export killed in its swap)
is replaced."""

from __future__ import annotations

import json

import numpy as np
import pytest
from dataset_export_support import exported, file_bytes, mark_as_an_older_version, store_vectors

from musicsage.errors import MusicsageError
from musicsage.files import OUTPUT_MARKER
from musicsage.usecases.library import export_dataset


def _first_column(out) -> list[float]:
    return np.load(out / "features.npy")[:, 0].tolist()


@pytest.mark.parametrize("content", [b"not a numpy file at all\n", b""], ids=["text", "empty"])
def test_a_features_npy_that_cannot_be_read_is_kept(tmp_path, content):
    ctx, out = exported(tmp_path, 1.0)
    (out / "features.npy").write_bytes(content)
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(it cannot be read as a \.npy"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before


def test_a_features_json_that_is_not_json_is_kept(tmp_path):
    ctx, out = exported(tmp_path, 1.0)
    (out / "features.json").write_text("{model_id: mine\n")
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"features\.json is not the one the last finished "
                                             r"export wrote \(it is not JSON\): move it away"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before


@pytest.mark.parametrize("record", [None, "abc", [1], {"a": 1}],
                         ids=["no-record", "a-string", "not-strings", "a-dict"])
def test_an_older_versions_own_export_is_replaced(tmp_path, record):
    """A mark without a list of strings is an older version's: its consistent pair passes
    by the fingerprint rule (tracks.csv's ids and the vectors)."""
    ctx, out = exported(tmp_path, 1.0)
    mark_as_an_older_version(out)
    if record is not None:
        mark = json.loads((out / OUTPUT_MARKER).read_text())
        (out / OUTPUT_MARKER).write_text(json.dumps({**mark, "features_sha1": record}))
    store_vectors(ctx, 5.0)

    assert export_dataset(ctx, out).features == (2, 3)
    assert _first_column(out) == [6.0, 7.0]


def test_an_older_versions_export_beside_a_tracks_csv_that_cannot_be_read(tmp_path):
    """The track-id check cannot be made: the vectors alone decide."""
    ctx, out = exported(tmp_path, 1.0)
    mark_as_an_older_version(out)
    (out / "tracks.csv").write_bytes(b"track_id,title\n\xff\xfe\"1,T1\n")
    store_vectors(ctx, 5.0)

    assert export_dataset(ctx, out).features == (2, 3)
    assert _first_column(out) == [6.0, 7.0]


def test_an_export_killed_before_its_swap_in_an_older_versions_folder(tmp_path, monkeypatch):
    """The record made before the swap lists the older version's vectors still there."""
    ctx, out = exported(tmp_path, 1.0)
    mark_as_an_older_version(out)
    store_vectors(ctx, 2.0)

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr("musicsage.library.dataset.save_npy_atomically", killed)
        with pytest.raises(KeyboardInterrupt):
            export_dataset(ctx, out)
    assert _first_column(out) == [2.0, 3.0]  # the older version's, kept
    store_vectors(ctx, 5.0)
    assert export_dataset(ctx, out).features == (2, 3)
    assert _first_column(out) == [6.0, 7.0]


def test_a_features_json_of_the_very_vectors_the_export_writes_is_replaced(tmp_path):
    """Alone (the vectors moved away), it fingerprints vectors the mark does not list yet:
    those of this export, so nothing is lost."""
    ctx, out = exported(tmp_path, 1.0)
    store_vectors(ctx, 2.0)
    export_dataset(ctx, tmp_path / "other")
    (out / "features.npy").unlink()
    (tmp_path / "other" / "features.json").replace(out / "features.json")

    assert export_dataset(ctx, out).features == (2, 3)
    assert _first_column(out) == [3.0, 4.0]


def test_a_folder_without_tracks_csv_is_taken_as_an_export_killed_in_its_swap(tmp_path):
    """The swap removes tracks.csv first and puts it back last: what is there without it is
    an export's, half swapped in."""
    ctx, out = exported(tmp_path, 1.0)
    mark_as_an_older_version(out)
    (out / "tracks.csv").unlink()
    (out / "features.json").unlink()
    np.save(out / "features.npy", np.full((2, 3), 9.0, dtype=np.float32))
    store_vectors(ctx, 5.0)

    assert export_dataset(ctx, out).features == (2, 3)
    assert _first_column(out) == [6.0, 7.0]


def test_the_very_vectors_reshaped_beside_their_features_json_are_kept(tmp_path):
    """Where the mark lists vectors, a features.json fingerprinting the vectors this export
    writes does not make a reshaped copy of them the export's own."""
    ctx, out = exported(tmp_path, 1.0)
    store_vectors(ctx, 2.0)
    export_dataset(ctx, tmp_path / "other")
    (tmp_path / "other" / "features.json").replace(out / "features.json")
    np.save(out / "features.npy", np.load(tmp_path / "other" / "features.npy").reshape(3, 2))
    before = file_bytes(out)

    with pytest.raises(MusicsageError, match=r"it holds the vectors as float32 of shape "
                                             r"\(3, 2\); the export writes float32 of shape "
                                             r"\(2, 3\)"):
        export_dataset(ctx, out)
    assert file_bytes(out) == before
