"""bench/cora.py printed SciPy's DeprecationWarning (``scipy.sparse.csr`` namespace), and
its source line, before its summary: Planetoid's pickles name their matrices by that old
module path. They are now read through ``scipy.sparse`` itself."""

from __future__ import annotations

import importlib.util
import io
import pickle
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp


def load_cora_module(monkeypatch):
    path = Path(__file__).resolve().parents[2] / "bench" / "cora.py"
    spec = importlib.util.spec_from_file_location("bench_cora_under_test", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def old_style_pickle(matrix) -> bytes:
    """``matrix`` pickled as SciPy < 1.8 wrote it (protocol 2: the module path as text)."""
    data = pickle.dumps(matrix, protocol=2)
    assert b"scipy.sparse._csr\n" in data
    return data.replace(b"scipy.sparse._csr\n", b"scipy.sparse.csr\n")


def test_planetoid_matrices_load_without_a_deprecation_warning(monkeypatch):
    cora = load_cora_module(monkeypatch)
    matrix = sp.csr_matrix(np.array([[0, 1.0], [2.0, 0]]))
    data = old_style_pickle(matrix)
    with pytest.warns(DeprecationWarning, match="scipy.sparse.csr"):
        pickle.loads(data)  # as bench/cora.py read them
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = cora._PlanetoidUnpickler(io.BytesIO(data), encoding="latin1").load()
    assert isinstance(found, sp.csr_matrix)
    assert (found != matrix).nnz == 0
