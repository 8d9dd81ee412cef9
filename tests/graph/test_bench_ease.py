"""The EASE baseline of bench/graph_baselines.py: a baseline that scores wrongly makes every
comparison with it meaningless, so it is checked against the textbook closed form."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from graph_baselines import ease_on_incidence  # noqa: E402


def textbook_ease(x: np.ndarray, lam: float) -> np.ndarray:
    """B = I − P / diag(P), P = (XXᵀ + λI)⁻¹ (tracks as EASE's items), zero diagonal."""
    p = np.linalg.inv(x @ x.T + lam * np.eye(len(x)))
    b = np.eye(len(x)) - p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    return b


def scores_without_diagonal(x: np.ndarray, lam: float) -> np.ndarray:
    s = ease_on_incidence(sp.csr_matrix(x), lam)(np.arange(len(x))).astype(np.float64)
    np.fill_diagonal(s, 0.0)
    return s


def test_ease_with_many_contexts_is_the_textbook_closed_form():
    rng = np.random.default_rng(0)
    x = (rng.random((12, 30)) < 0.3).astype(np.float64)  # more contexts than tracks
    x[3] = 0.0                                            # a track with no context scores 0
    lam = 2.0
    expected = np.zeros((12, 12))
    active = np.flatnonzero(x.sum(1) > 0)
    expected[np.ix_(active, active)] = textbook_ease(x[active], lam)
    np.testing.assert_allclose(scores_without_diagonal(x, lam), expected, atol=1e-5)


def test_ease_through_the_contexts_dimension_gives_the_same_scores():
    rng = np.random.default_rng(1)
    x = (rng.random((40, 6)) < 0.4).astype(np.float64)  # fewer contexts: the Woodbury path
    x[[5, 17]] = 0.0
    lam = 3.0
    expected = np.zeros((40, 40))
    active = np.flatnonzero(x.sum(1) > 0)
    expected[np.ix_(active, active)] = textbook_ease(x[active], lam)
    np.testing.assert_allclose(scores_without_diagonal(x, lam), expected, atol=1e-5)
