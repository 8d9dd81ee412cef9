"""A dataset dir's ``features.npy`` and ``features.json``, read and checked (docs/dataset-dir.md).

Both readers of dataset dirs — ``import`` (:mod:`musicsage.library.dataset`) and
``train``/``eval --dataset`` (:meth:`musicsage.graph.data.GraphData.from_dataset_dir`) — load the
features here, so a file that is no array, holds no numbers, or holds a value no float32 can
carry is refused in one line naming the file and the cell, the same way for each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.text import CONTROLS, counted

NPY_MAGIC = b"\x93NUMPY"
FLOAT32_MAX = float(np.finfo(np.float32).max)


def load_features(path: Path) -> np.ndarray:
    """The array in a dataset dir's ``features.npy``, refused in one line unless it is a
    whole NumPy ``.npy`` file of real numbers, each finite and within float32's range (the
    shape check is the caller's).

    An empty file, an ``.npz`` archive saved under this name, a pickle, an array of strings or
    a file cut short is a :class:`MusicsageError` instead of whatever numpy raises. The file is
    memory-mapped first: a header that claims more data than the file holds is refused before
    anything is allocated.
    """
    with open(path, "rb") as fh:
        if fh.read(len(NPY_MAGIC)) != NPY_MAGIC:
            raise MusicsageError(f"{path.name}: not a NumPy .npy file (empty, or another "
                                 "format; save it with numpy.save)")
    try:
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, EOFError) as exc:
        raise MusicsageError(f"{path.name}: not a readable array ({exc})") from exc
    if mapped.dtype.kind not in "fiub":
        raise MusicsageError(f"{path.name}: holds {mapped.dtype} values, not real numbers")
    feats = np.array(mapped)
    del mapped  # closes the map
    check_feature_values(feats, path.name)
    return feats


def check_feature_values(feats: np.ndarray, name: str) -> None:
    """Refuse a NaN, an infinity, or a value beyond float32's range (±3.4e38), naming the
    first such cell: ``features.npy: row 2, column 1 (from 0): too large a feature value
    (1e+300, …)``.

    The features are stored and trained as float32. A float64 (or long double) ``1e300``
    became an infinity in that cast, with numpy's "overflow encountered in cast" warning on
    stderr and a message about NaN the file never held; the check runs on the values as the
    file has them, so no arithmetic on them can overflow first.
    """
    if feats.dtype.kind != "f" or feats.size == 0:
        return  # integers and booleans always fit (a uint64 loses precision, not range)
    with np.errstate(all="ignore"):
        bad = ~np.isfinite(feats) | (np.abs(feats) > FLOAT32_MAX)
    if not bad.any():
        return
    cell = tuple(int(i) for i in np.argwhere(bad)[0])
    value = feats[cell]
    where = (f"row {cell[0]}, column {cell[1]} (from 0)" if len(cell) == 2
             else f"index {list(cell)}")
    count = int(bad.sum())
    more = f"; {counted(count - 1, 'more such value')}" if count > 1 else ""
    if not np.isfinite(value):
        what = "NaN (not a number)" if np.isnan(value) else "an infinite value"
        raise MusicsageError(f"{name}: {where}: {what}{more}; features must be finite numbers")
    shown = np.format_float_scientific(value, precision=3, trim="-")
    raise MusicsageError(f"{name}: {where}: too large a feature value ({shown}, beyond "
                         f"float32's range of ±3.4e+38){more}; rescale the features")


def plain_text(value: object, key: str) -> str:
    """``features.json``'s ``key`` (``model_id``, ``model_version``) as text, refused in one
    line when it holds a line break or another control character: the id names the vectors
    in the library, in ``stats`` and in every list header, where such a character would break
    the line or drive the terminal."""
    text = str(value)
    bad = CONTROLS.search(text)
    if bad:
        raise MusicsageError(f"features.json: {key} holds a control character "
                             f"(U+{ord(bad.group()):04X}); use plain text")
    return text
