"""Numbers read back from a saved graph model's row (its ``metrics`` and ``params`` JSON): one
test of whether such a value is a number the app can show or compute with.

A hand-edited or damaged row may hold ``true``, ``"3"``, ``NaN``, ``Infinity`` or a whole number
of 401 digits, which JSON reads back as a Python int beyond floats: ``math.isfinite`` and
``float`` raise OverflowError on it, ``f"{x:.3f}"`` too. Four copies of the test, disagreeing,
let that int through to ``stats``, ``models`` and the window's library read (each one's
"unexpected error"); every reader of such a value asks :func:`finite_number` instead (of a
graph figure, :func:`graph_figure`).
"""

from __future__ import annotations

import math


def finite_number(value: object) -> float | None:
    """``value`` as a finite float, or None when it is none: a bool (JSON's ``true`` is no
    figure), a string or anything not a number, NaN or infinite, or a whole number beyond
    floats (float() raises OverflowError on it)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def saved_count(value: object) -> int | None:
    """``value`` as a count (held-out pairs), rounded to the nearest whole number, or
    None where :func:`finite_number` finds no number. Rounded everywhere: the dock truncated
    a count of 3.7 to 3 while ``stats`` and ``models`` rounded it to 4."""
    number = finite_number(value)
    return None if number is None else round(number)


def graph_figure(metrics: object, key: str) -> float | None:
    """The graph space's ``key`` figure (``"hr@10"``, ``"mrr"``) of a saved ``metrics`` dict,
    or None where it is missing or no number (:func:`finite_number`). The one reader of it:
    a ``float(metrics["graph"]["hr@10"])`` left in Retrain raised OverflowError on a row the
    window, ``stats`` and ``models`` showed as having no figure."""
    graph = metrics.get("graph") if isinstance(metrics, dict) else None
    return finite_number(graph.get(key)) if isinstance(graph, dict) else None
