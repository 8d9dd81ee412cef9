"""The map as a tool: search matches highlighted, a region (lasso or rectangle) selected,
played in order or saved as a playlist.

Geometry is done here, on the map's own coordinates (:class:`~musicsage.search.types.MapPoints`
of the space shown), so the widget only reports the shape the user drew. A region plays "in
order": a walk that always steps to the nearest track not visited yet, starting from the
region's leftmost track — neighbours on the map follow each other, so the music changes
gradually across the region.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from musicsage.controllers.tasks import Event, Task
from musicsage.text import counted, elided
from musicsage.usecases.library import search_tracks

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController


KEY_NAME_LIMIT = 24
"""Characters of a playlist's name in the map's key: on a 1024x640 window the map is about
350 px wide, and a longer name pushed the key to a third line over the points."""

NEIGHBOUR_KEY = (("selected", "selected"), ("graph", "graph model"), ("audio", "audio only"),
                 ("both", "both"))


def map_key_entries(neighbours: bool, playlist: str | None = None, matches: int = 0,
                    region: int = 0) -> list[tuple[str, str]]:
    """(kind, words) of each entry of the key under the map, for the marks on it now: the
    selection and its neighbours' rings while drawn, a highlighted playlist (``playlist``:
    its name; None when none is outlined), search matches and a region while there are any.

    Every kind of mark the map draws has its entry while it is drawn, and only then: the
    playlist's outline was once told from the graph model's rings by nothing but a shade
    of yellow, and the search's and the region's marks had no entry at all."""
    entries = list(NEIGHBOUR_KEY) if neighbours else []
    if playlist is not None:
        name = elided(playlist, KEY_NAME_LIMIT)
        entries.append(("playlist", f"playlist ‘{name}’" if name else "playlist"))
    if matches:
        entries.append(("matches", "search match" if matches == 1 else "search matches"))
    if region:
        entries.append(("region", "region"))
    return entries


def inside_polygon(xy: np.ndarray, polygon: Sequence[tuple[float, float]]) -> np.ndarray:
    """Which rows of ``xy`` ``[n, 2]`` lie inside ``polygon`` (even-odd rule, vectorised)."""
    poly = np.asarray(polygon, np.float64)
    inside = np.zeros(len(xy), bool)
    if len(poly) < 3 or not len(xy):
        return inside
    x, y = xy[:, 0].astype(np.float64), xy[:, 1].astype(np.float64)
    for (x0, y0), (x1, y1) in zip(poly, np.roll(poly, -1, axis=0)):
        crosses = (y0 > y) != (y1 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (x < at)
    return inside


def walk_order(xy: np.ndarray) -> np.ndarray:
    """Row order of a greedy nearest-neighbour walk from the leftmost point."""
    n = len(xy)
    if n == 0:
        return np.zeros(0, np.int64)
    left = np.ones(n, bool)
    order = [int(np.argmin(xy[:, 0]))]
    left[order[0]] = False
    for _ in range(n - 1):
        d = ((xy - xy[order[-1]]) ** 2).sum(axis=1)
        d[~left] = np.inf
        nxt = int(np.argmin(d))
        order.append(nxt)
        left[nxt] = False
    return np.asarray(order, np.int64)


class MapToolsController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.search_text = ""
        self.matches: list[int] = []
        self.region: list[int] = []
        """The selected region's playable tracks, in playing order."""
        self.matched = Event()  # track ids matching the search (empty: none / cleared)
        self.region_changed = Event()  # track ids of the region, in order

    # -- search ---------------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Every track matching ``text`` (not only the first hundred the list shows)."""
        self.search_text = text
        if not text:
            self.matches = []
            self.matched.emit([])
            return
        task = self.app.run("map search", search_tracks, self.app.ctx, text, limit=None,
                            key="map-search")
        task.on_result(lambda rows, t=text: self._matched(t, [r.id for r in rows]))

    def _matched(self, text: str, ids: list[int]) -> None:
        if text == self.search_text:
            self.matches = ids
            self.matched.emit(ids)

    # -- regions --------------------------------------------------------------------------------
    def select_polygon(self, polygon: Sequence[tuple[float, float]]) -> list[int]:
        """Select the tracks inside ``polygon`` (map coordinates); returns them in order."""
        points = self.app.map.points
        snap = self.app.library.snapshot
        if points is None or snap is None:
            return self.clear_region()
        ids = np.asarray(points.track_ids, np.int64)
        xy = np.asarray(points.xy, np.float64)
        playable = np.array([(t := snap.by_id.get(int(i))) is not None and t.has_file
                             and t.status != "missing" for i in ids], bool)
        rows = np.flatnonzero(inside_polygon(xy, polygon) & playable)
        self.region = [int(ids[r]) for r in rows[walk_order(xy[rows])]]
        self.region_changed.emit(self.region)
        return self.region

    def select_rect(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        return self.select_polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])

    def clear_region(self) -> list[int]:
        self.region = []
        self.region_changed.emit([])
        return []

    def play_region(self) -> None:
        if self.region:
            self.app.queue.play_list(self.region,
                                     f"Map region ({counted(len(self.region), 'track')})")

    def default_playlist_path(self) -> Path:
        return Path.home() / "Map region.m3u8"

    def save_region(self, path: str) -> Task | None:
        """Write the region, in its playing order, as an M3U8 playlist."""
        return self.app.save_tracks(path, self.region, "Map region")
