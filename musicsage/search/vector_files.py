"""Are saved track vectors fit to search? Checks that say what is wrong in one line.

A graph model's vectors live in files beside it (``embeddings.npy``, ``track_ids.npy``). Files
get damaged: a copy cut short, a disk error, a tool that wrote something else there. A
neighbour list ranked on broken vectors is worse than none — NaN rows score 0.000 against
everything and push real neighbours out — so a space whose vectors fail these checks is
refused as a whole, with a reason a user can act on, and the other space goes on without it
(:mod:`musicsage.usecases.spaces`).

The file checks read only the ``.npy`` header (a few hundred bytes): a header that claims a
huge array is refused before anything is allocated, and a pickled (object) array is never
loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


class BadVectorFile(ValueError):
    """A vector file that cannot be used; the message says why, in one line."""


def npy_shape(path: str | os.PathLike[str], *, ndim: int, kind: str) -> tuple[int, ...]:
    """The shape of the array in the ``.npy`` file at ``path``, read from its header alone.

    Raises :class:`BadVectorFile` unless the file holds an array of ``ndim`` dimensions of
    numpy dtype kind ``kind`` ("f": floats, "i": integers) and is as long as its header says.
    """
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise BadVectorFile(f"{name} is missing" if not path.exists() else f"{name} is not a file")
        size = path.stat().st_size
        if size == 0:
            raise BadVectorFile(f"{name} is empty")
        with open(path, "rb") as fh:
            try:
                shape, dtype = _read_header(fh)
            except (ValueError, EOFError, SyntaxError, TypeError, OverflowError):
                raise BadVectorFile(f"{name} is not a numpy array file (damaged or "
                                    "overwritten)") from None
            data_bytes = size - fh.tell()
    except OSError as exc:
        raise BadVectorFile(f"cannot read {name} ({exc.strerror or exc})") from None
    if dtype.hasobject:
        raise BadVectorFile(f"{name} holds Python objects, not numbers (refused: loading it "
                            "would mean unpickling)")
    if dtype.kind not in ({"f"} if kind == "f" else {"i", "u"}):
        wanted = "floating-point" if kind == "f" else "integer"
        raise BadVectorFile(f"{name} holds {dtype} values, not {wanted} ones")
    if len(shape) != ndim:
        raise BadVectorFile(f"{name} has shape {shape}, not {ndim}-D")
    expected = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if data_bytes < expected:
        raise BadVectorFile(f"{name} is truncated ({data_bytes} of {expected} data bytes)")
    return shape


def _read_header(fh) -> tuple[tuple[int, ...], np.dtype]:
    """(shape, dtype) from an open ``.npy`` file positioned at its start (public numpy API for
    format versions 1 and 2, the ones numpy writes for vectors)."""
    fmt = np.lib.format
    version = fmt.read_magic(fh)
    if version == (1, 0):
        shape, _fortran, dtype = fmt.read_array_header_1_0(fh)
    elif version == (2, 0):
        shape, _fortran, dtype = fmt.read_array_header_2_0(fh)
    else:
        raise ValueError(f"unsupported .npy format version {version}")
    return tuple(shape), dtype


def vectors_problem(track_ids: np.ndarray, matrix: np.ndarray) -> str | None:
    """Why ``matrix`` (row i = the vector of ``track_ids[i]``) cannot be searched, or None.

    Refused: not a 2-D matrix with at least one column, a row count that differs from the
    ids, duplicate ids, and any NaN or infinite value (the evaluation protocol counts
    non-finite vectors as an error, never as a score).
    """
    ids = np.asarray(track_ids)
    m = np.asarray(matrix)
    if m.ndim != 2 or m.shape[1] == 0:
        return f"its vectors have shape {m.shape}, not (tracks, dimensions)"
    if ids.ndim != 1 or len(ids) != len(m):
        return f"{len(m)} vectors for {ids.size} track ids"
    if len(np.unique(ids)) != len(ids):
        return "its track ids repeat"
    if m.dtype.kind not in "fiu":
        return f"its vectors hold {m.dtype} values, not numbers"
    bad = ~np.isfinite(m).all(axis=1) if m.dtype.kind == "f" else np.zeros(len(m), bool)
    if bad.any():
        return f"{int(bad.sum())} of its {len(m)} vectors hold NaN or infinite values"
    return None


def finite_rows(matrix: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``matrix`` whose values are all finite."""
    m = np.asarray(matrix)
    if m.dtype.kind != "f":
        return np.ones(len(m), bool)
    return np.isfinite(m).all(axis=1) if m.ndim == 2 else np.isfinite(m)
