"""A new selection or a new playlist on the map: its name placed once, its rows found at once.

Selecting a track with a 30,000-track playlist chosen placed the selected name five or six
times on the window's thread (once per layout of the marks, per key change, per refit and
once more at the end), each time weighing every place beside the point against the
playlist's 30,000 squares; choosing the playlist looked its 30,000 tracks up one by one.
While :func:`name_placed_once` holds, the map's requests to place the name wait, and it is
placed once, as everything stands at the end. A module of its own:
:mod:`musicsage.gui.map_view` is at its size limit.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

import numpy as np

from musicsage.gui.map_name import place_name

if TYPE_CHECKING:
    from musicsage.gui.map_view import MapView


@contextmanager
def name_placed_once(view: "MapView") -> Iterator[None]:
    """Within, :func:`place_unless_held` leaves ``view``'s selected name where it is; on the
    way out (the outermost, an error too), the name is placed once. Still held meanwhile:
    placing it settles a zoom the change made (pyqtgraph applies it when first asked), the
    marks are laid out again for it and ask for the name's place twice more, which the
    placing under way already takes in."""
    view._name_holds = getattr(view, "_name_holds", 0) + 1
    try:
        yield
    finally:
        try:
            if view._name_holds == 1:
                place_name(view)
        finally:
            view._name_holds -= 1


def place_unless_held(view: "MapView") -> None:
    """Place ``view``'s selected name (:func:`~musicsage.gui.map_name.place_name`), unless
    :func:`name_placed_once` holds: it is placed once at its end."""
    if not getattr(view, "_name_holds", 0):
        place_name(view)


def rows_on_map(track_ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The rows of ``track_ids`` (the map's, each once) that hold ``wanted``'s tracks, in
    ``wanted``'s order, those not on the map left out: a sort, not a lookup per track."""
    track_ids = np.asarray(track_ids, np.int64).reshape(-1)
    wanted = np.asarray(wanted, np.int64).reshape(-1)
    if not len(track_ids) or not len(wanted):
        return np.zeros(0, np.intp)
    order = np.argsort(track_ids, kind="stable")
    at = np.searchsorted(track_ids[order], wanted, side="right") - 1  # a twice-listed id: its last
    found = (at >= 0) & (track_ids[order][np.maximum(at, 0)] == wanted)
    return order[at[found]]
