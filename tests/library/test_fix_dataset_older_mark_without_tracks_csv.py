"""A folder an older version's export marked (its mark lists no vectors: every export made
before the mark recorded them) that holds no tracks.csv.

- An older version's export cut short in its swap leaves a lone float32 features.npy there
  (the CSV files and features.json unlinked, the new ones not yet in). This version's export
  took it for its own then; but once one export failed after recording the folder's vectors
  (a full disk while staging, Ctrl-C), the record listed vectors without that file, and every
  later export refused it for good ("there is no features.json beside it").
- A user's own features.npy (float64) and hand-written features.json put there (a dataset dir
  begun in an old export's folder) were removed or written over, exit 0; a features.json
  nested too deeply to read was removed (it crashed before). They are refused and kept now,
  as in a folder this version marked: only an export's files — a pair whose fingerprints
  match, or the lone float32 features.npy such a swap leaves — pass.
"""

from __future__ import annotations

import errno
import json

import numpy as np
import pytest

import musicsage.library.dataset as dataset_module
from musicsage.errors import MusicsageError
from musicsage.library.dataset_features import export_fingerprints
from musicsage.usecases.library import export_dataset, import_dataset

OWN_JSON = '{"model_id": "spectral-mine"}\n'
MARK = ".musicsage-output"


def _older_export(ctx, tmp_path, vectors: bool = True):
    """An export of a two-track library into ``out``, its mark as an older version wrote it
    (no vectors listed), its CSV files gone (tracks.csv first: a swap cut short)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id\nt1\nt2\n", encoding="utf-8")
    if vectors:
        np.save(src / "features.npy", np.eye(2, 3, dtype=np.float32))
    import_dataset(ctx, src)
    out = tmp_path / "out"
    export_dataset(ctx, out)
    mark = json.loads((out / MARK).read_text(encoding="utf-8"))
    mark.pop("features_sha1")
    (out / MARK).write_text(json.dumps(mark), encoding="utf-8")
    for csv_file in out.glob("*.csv"):
        csv_file.unlink()
    return out


def test_a_lone_features_npy_of_an_older_swap_cut_short_survives_a_failed_export(
        ctx, tmp_path, monkeypatch):
    out = _older_export(ctx, tmp_path)
    (out / "features.json").unlink()
    # another export's vectors, left by the older version's swap cut short
    np.save(out / "features.npy", np.full((3, 3), 7, dtype=np.float32))

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(dataset_module, "_write_csv", full_disk)
        with pytest.raises(MusicsageError, match="full"):
            export_dataset(ctx, out)

    export_dataset(ctx, out)  # the disk freed: refused for good before

    assert (out / "tracks.csv").exists()
    assert np.array_equal(np.load(out / "features.npy"), np.eye(2, 3, dtype=np.float32))


@pytest.mark.parametrize("vectors", [True, False], ids=["export-with-vectors", "without"])
def test_older_mark_keeps_features_put_there_without_a_tracks_csv(ctx, tmp_path, vectors):
    out = _older_export(ctx, tmp_path, vectors)
    for name in ("features.npy", "features.json"):
        (out / name).unlink(missing_ok=True)
    own = np.arange(6, dtype=np.float64).reshape(3, 2)
    np.save(out / "features.npy", own)
    (out / "features.json").write_text(OWN_JSON, encoding="utf-8")

    with pytest.raises(MusicsageError, match="nothing was written"):
        export_dataset(ctx, out)

    assert np.array_equal(np.load(out / "features.npy"), own)
    assert (out / "features.json").read_text(encoding="utf-8") == OWN_JSON


def test_older_mark_keeps_a_too_deep_features_json_without_a_tracks_csv(ctx, tmp_path):
    out = _older_export(ctx, tmp_path, vectors=False)
    deep = "[" * 100_000 + "]" * 100_000
    (out / "features.json").write_text(deep, encoding="utf-8")

    with pytest.raises(MusicsageError, match="nested too deeply to read"):
        export_dataset(ctx, out)

    assert (out / "features.json").read_text(encoding="utf-8") == deep


@pytest.mark.parametrize("pair", [True, False], ids=["the-pair", "features-npy-alone"])
def test_older_swap_cut_short_is_still_replaced(ctx, tmp_path, pair):
    out = _older_export(ctx, tmp_path)
    other = np.full((3, 3), 7, dtype=np.float32)  # the vectors of another export, left
    np.save(out / "features.npy", other)
    if pair:  # with the features.json that export wrote, fingerprinting them
        prints = export_fingerprints(["x1", "x2", "x3"], other)
        (out / "features.json").write_text(json.dumps({"model_id": "spectral-dataset", **prints}),
                                           encoding="utf-8")
    else:
        (out / "features.json").unlink()

    export_dataset(ctx, out)

    assert (out / "tracks.csv").exists()
    assert np.array_equal(np.load(out / "features.npy"), np.eye(2, 3, dtype=np.float32))


@pytest.mark.parametrize("content", [b"my notes, not numbers\n", None], ids=["text", "pickled"])
def test_older_mark_keeps_a_lone_features_npy_no_reader_takes(ctx, tmp_path, content):
    """A lone features.npy numpy cannot load (a pickled object array, a text file of the
    user's under that name) was removed, exit 0: no older swap leaves such a file (it moves
    whole files in), so it is the user's, refused and kept."""
    out = _older_export(ctx, tmp_path, vectors=False)
    (out / "features.json").unlink(missing_ok=True)
    path = out / "features.npy"
    if content is None:
        np.save(path, np.array([{"mine": 1}], dtype=object), allow_pickle=True)
    else:
        path.write_bytes(content)
    before = path.read_bytes()

    with pytest.raises(MusicsageError, match="cannot be read as a .npy file"):
        export_dataset(ctx, out)

    assert path.read_bytes() == before
