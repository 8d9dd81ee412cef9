"""Which tracks carry a mark of the selection, and where each is drawn, worked out on arrays.

With a 30,000-track playlist chosen, the map turned its squares into Python tuples and
looked each one up in a dict several times per click (the marked tracks for the layout and
again for the search's rings, the squares where they are drawn for the selected name and
again to draw them): 100-250 ms of the window's thread at each selection, and pyqtgraph
found each square's image one square at a time at each playlist chosen. These take the same
results from whole arrays at once. A module of its own: :mod:`musicsage.gui.map_stacks` and
:mod:`musicsage.gui.map_view` are at their size limit.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


def marked_tracks(own: int | None, ids: np.ndarray, xy: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The ids and places of the tracks ``ids`` (at ``xy``, [n, 2]; a neighbour's ring first,
    then a playlist's squares) each once, where it first comes, but ``own`` (the selected
    track: its square stays under its disc): a playlist may hold a track twice, and a
    neighbour in it is one mark that the layout fans out once."""
    ids = np.asarray(ids, np.int64).reshape(-1)
    xy = np.asarray(xy, float).reshape(-1, 2)
    _unique, first = np.unique(ids, return_index=True)
    keep = np.sort(first)
    if own is not None:
        keep = keep[ids[keep] != own]
    return ids[keep], xy[keep]


def drawn_at(ids: np.ndarray, xy: np.ndarray, drawn: dict[int, np.ndarray]) -> np.ndarray:
    """Where the marks of tracks ``ids`` (at ``xy``, [n, 2]) are drawn: at ``drawn[id]``
    for a mark fanned out of its stack (a few hundred at most), else on its track. ``xy``
    itself when nothing is fanned out (it is not changed)."""
    xy = np.asarray(xy, float).reshape(-1, 2)
    if not drawn or not len(xy):
        return xy
    keys = np.fromiter(drawn, np.int64, len(drawn))
    order = np.argsort(keys)
    keys, places = keys[order], np.asarray(list(drawn.values()), float).reshape(-1, 2)[order]
    at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
    hit = keys[at] == ids
    shown = xy.copy()
    shown[hit] = places[at[hit]]
    return shown


class PlacesOnce:
    """A playlist's squares as (x, y) tuples, what the selected name weighs its places
    against: made once per playlist, then at each selection copied without the selected
    track's own (30,000 tuples made again per click took 40 ms)."""

    def __init__(self) -> None:
        self._of: np.ndarray | None = None  # the places listed (an array set per playlist)
        self._listed: list[tuple[float, float]] = []

    def but(self, ids: np.ndarray, xy: np.ndarray, own: int | None
            ) -> list[tuple[float, float]]:
        """``xy`` ([n, 2], the places of tracks ``ids``) as tuples, but those of ``own``."""
        if self._of is not xy:
            self._of, self._listed = xy, list(map(tuple, xy.tolist()))
        skip = np.flatnonzero(ids == own) if own is not None else ()
        kept, start = [], 0
        for row in (*map(int, skip), len(self._listed)):
            kept += self._listed[start:row]
            start = row + 1
        return kept


STYLE_FIELDS = ("symbol", "size", "pen", "brush")
"""A scatter spot's own style, each field its item's where the spot has none."""


class OneStyleScatter(pg.ScatterPlotItem):
    """A scatter item whose spots have no style of their own (the playlist's squares, all
    alike): pyqtgraph finds each new spot's image in its atlas one spot at a time (30,000
    squares: 60 ms at each playlist chosen); here the first one's serves all. Spots with a
    style of their own, or another pyqtgraph's records, are left to pyqtgraph."""

    def updateSpots(self, dataSet=None) -> None:  # noqa: N802 - pyqtgraph API
        data = self.data if dataSet is None else dataSet
        try:
            new = np.flatnonzero(data["sourceRect"]["w"] == 0)
            alike = self.opts["pxMode"] and self.opts["useCache"] and not self.opts["hoverable"] \
                and all(np.equal(data[field][new], default).all() for field, default in
                        zip(STYLE_FIELDS, (None, -1, None, None)))
            if alike and len(new) > 1:
                style = list(zip(*self._style(list(STYLE_FIELDS), data=data, idx=new[:1])))
                data["sourceRect"][new] = tuple(self.fragmentAtlas[style][0])
                self.invalidate()  # pyqtgraph's own pass finds no new spot, so draws nothing new
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            pass  # records of another make: pyqtgraph's own way
        super().updateSpots(dataSet)
