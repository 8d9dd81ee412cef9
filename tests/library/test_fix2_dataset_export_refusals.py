"""What ``export DIR`` refuses in a folder it wrote before, and what it no longer refuses.

- Its own advice must not loop: an export without vectors makes ``train --dataset DIR`` say
  "put the vectors in DIR/features.npy, import that dir again, then export again"; the export
  then refused that features.npy ("there is no features.json beside it"). A features.npy
  holding the very vectors the export writes loses nothing when replaced.
- A hand-written features.json (no fingerprints) was removed, or replaced, once the user had
  moved only features.npy away as the refusal told them: it is refused even alone, and the
  refusal of the pair names both files.
- A features.npy and features.json moved in together from another export were taken as this
  folder's own (only the vectors were compared): the vectors the folder's mark records are
  compared now (test_fix3_dataset_export_marks.py).
- A folder (or a FIFO) named like one of the export's files: the refusal blamed features.npy,
  or the export unlinked tracks.csv and then failed on "Is a directory" — the earlier export
  lost. Refused now, named as what it is, nothing written.
- "If an export was interrupted, delete it" fitted older versions only: "move it away".
- A broken link was refused as "not the vectors features.json describes" or "no
  features.json beside it": said as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from dataset_export_support import (entries, exported_beside, library, move_pair_in,
                                    store_vectors)

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library.dataset import EXPORT_FILES
from musicsage.library.dataset_files import check_training_dataset
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset

HAND_WRITTEN = json.dumps({"model_id": "spectral-mine", "model_version": "7"})


def _library(tmp_path: Path, name: str, n: int, value: float | None) -> AppContext:
    """A library of ``n`` tracks without audio files, each with the vector ``value``
    repeated (none when None)."""
    ctx = library(tmp_path, name, range(1, n + 1))
    if value is not None:
        store_vectors(ctx, value, plus_id=False)
    return ctx


def test_the_apps_advice_for_an_export_without_vectors_is_followed_to_the_end(tmp_path):
    a = _library(tmp_path, "a", 2, None)
    e = tmp_path / "E"
    export_dataset(a, e)
    b = AppContext.create(tmp_path / "data-b")
    import_dataset(b, e)
    export_dataset(b, e)  # B's export into the folder it came from: no vectors
    with pytest.raises(MusicsageError, match=r"put the vectors in .*features\.npy, import that "
                                             r"dir again, then export again"):
        check_training_dataset(e)
    mine = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.save(e / "features.npy", mine)  # as told
    import_dataset(b, e)

    assert export_dataset(b, e).features == (2, 3)  # it refused: "no features.json beside it"
    assert (np.load(e / "features.npy") == mine).all()
    assert "features_sha1" in json.loads((e / "features.json").read_text())
    check_training_dataset(e)


def test_other_vectors_without_a_features_json_are_still_refused(tmp_path):
    ctx = _library(tmp_path, "a", 2, None)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    store_vectors(ctx, 1.0, plus_id=False)
    np.save(out / "features.npy", np.full((2, 3), 2.0, dtype=np.float32))
    before = entries(out)
    with pytest.raises(MusicsageError, match="there is no features.json beside it"):
        export_dataset(ctx, out)
    assert entries(out) == before


@pytest.mark.parametrize("vectors", [False, True], ids=["no-vectors", "vectors"])
def test_a_hand_written_features_json_is_kept_once_the_vectors_are_moved_away(tmp_path,
                                                                              vectors):
    ctx = _library(tmp_path, "a", 2, None)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    if vectors:
        store_vectors(ctx, 1.0, plus_id=False)
    np.save(out / "features.npy", np.arange(10, dtype=np.float32).reshape(2, 5))
    (out / "features.json").write_text(HAND_WRITTEN)

    with pytest.raises(MusicsageError, match=r"features\.npy is not the one the last finished "
                                             r"export wrote \(features\.json beside it has no "
                                             r"fingerprints\): move it and features\.json "
                                             r"beside it away"):
        export_dataset(ctx, out)
    os.rename(out / "features.npy", tmp_path / "mine.npy")  # only the one file named
    before = entries(out)
    with pytest.raises(MusicsageError, match=r"features\.json is not the one the last finished "
                                             r"export wrote \(it has no fingerprints\): move it "
                                             r"away .*nothing was written"):
        export_dataset(ctx, out)
    assert entries(out) == before
    assert (out / "features.json").read_text() == HAND_WRITTEN


def test_the_exports_own_features_json_alone_is_still_removed(tmp_path):
    """Its fingerprints are those of the vectors the folder's mark records: the export's own,
    as before."""
    ctx = _library(tmp_path, "a", 2, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    (out / "features.npy").unlink()
    conn = connect(ctx)
    conn.execute("DELETE FROM audio_embeddings")
    conn.commit()
    assert export_dataset(ctx, out).features is None
    assert not (out / "features.json").exists()


def test_a_pair_moved_in_from_another_export_is_refused(tmp_path):
    a = _library(tmp_path, "a", 2, 1.0)
    b = _library(tmp_path, "b", 3, 5.0)
    out = exported_beside(a, b, tmp_path)
    move_pair_in(tmp_path, out)  # mv other/features.* out/
    before = entries(out)

    with pytest.raises(MusicsageError, match=r"features\.json beside it fingerprints other "
                                             r"vectors\): move it and "
                                             r"features\.json beside it away"):
        export_dataset(a, out)
    assert entries(out) == before


@pytest.mark.parametrize("name", EXPORT_FILES)
def test_a_folder_named_like_an_export_file_is_refused_before_anything_goes(tmp_path, name):
    ctx = _library(tmp_path, "a", 2, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    (out / name).unlink()
    (out / name).mkdir()
    before = entries(out)
    store_vectors(ctx, 2.0, plus_id=False)

    with pytest.raises(MusicsageError, match=rf"{name.replace('.', r'[.]')} is a folder, not a "
                                             r"file: move it away, then export again \(nothing "
                                             r"was written\)"):
        export_dataset(ctx, out)
    assert entries(out) == before


def test_a_folder_named_features_json_in_an_export_without_vectors(tmp_path):
    """The reviewer's case: no features.npy, so no check ran; after the refusal blamed
    features.npy the export unlinked tracks.csv, then failed on "Is a directory"."""
    ctx = _library(tmp_path, "a", 2, None)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    (out / "features.json").mkdir()
    before = entries(out)
    store_vectors(ctx, 1.0, plus_id=False)
    with pytest.raises(MusicsageError, match=r"features\.json is a folder, not a file"):
        export_dataset(ctx, out)
    assert entries(out) == before


def test_an_interrupted_exports_vectors_are_moved_away_not_deleted(tmp_path):
    ctx = _library(tmp_path, "a", 2, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    np.save(out / "features.npy", np.full((2, 3), 2.0, dtype=np.float32))
    with pytest.raises(MusicsageError) as refused:
        export_dataset(ctx, out)
    assert "delete" not in str(refused.value)
    assert "move it away (yours, or left by an interrupted export), then export again" in \
        str(refused.value)
    os.rename(out / "features.npy", tmp_path / "kept.npy")
    assert export_dataset(ctx, out).features == (2, 3)


@pytest.mark.parametrize("name", ["features.npy", "features.json"])
def test_a_broken_link_is_said_as_it_is(tmp_path, name):
    ctx = _library(tmp_path, "a", 2, 1.0)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    os.replace(out / name, tmp_path / name)
    os.symlink(tmp_path / "unmounted" / name, out / name)
    before = entries(out)
    with pytest.raises(MusicsageError, match=rf"{name.replace('.', r'[.]')} is a broken link "
                                             r"\(to .*unmounted.*which does not exist\): move "
                                             r"it away"):
        export_dataset(ctx, out)
    assert entries(out) == before
