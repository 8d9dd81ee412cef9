"""The map as a tool: search matches highlighted, a region (lasso or rectangle) selected,
played in order or saved as a playlist.

Geometry is done here, on the map's own coordinates (:class:`~musicsage.search.types.MapPoints`
of the space shown), so the widget only reports the shape the user drew. A region plays "in
order": a walk that always steps to the nearest track not visited yet, starting from the
region's leftmost track — neighbours on the map follow each other, so the music changes
gradually across the region.
"""

from __future__ import annotations

import importlib
import math
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from musicsage.controllers.playlist_tracks import left_out_parts, why_unplayable
from musicsage.controllers.tasks import Event, Task
from musicsage.text import counted, elided, grouped, noun, sentence
from musicsage.usecases.library import search_tracks
from musicsage.usecases.playlist_names import default_playlist_path

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.usecases.snapshot import LibrarySnapshot


KEY_NAME_LIMIT = 24
"""Characters of a playlist's name in the map's key: on a 1024x640 window the map is about
350 px wide, and a longer name pushed the key to a third line over the points."""

NEIGHBOUR_KEY = (("selected", "selected"), ("graph", "graph only"), ("audio", "audio only"),
                 ("both", "both"))
"""The selection's entries: each ring says in which of the two lists its track is. "graph
model" named a whole list (the panel's "Graph model" list, "both" rows included) where the
ring means a track in that list alone, as "audio only" does."""
MATCH_RING_LIMIT = 2_000
"""Search matches ringed one by one up to this many, however big the map. More are shown by
dimming the tracks that do not match instead: a one-letter search matched 27,640 of 28,356
tracks, and their rings, each over three times as wide as a point, covered the map in one
green blanket."""
MATCH_RING_SHARE = 5
"""Nor more than one track in this many of the map's: a fixed count let the demo's "e" ring
all 240 of its 240 tracks, each fanned out with a line back to it, over the whole map. Rings
find a few tracks among many; once a fifth of the map matches, the matches are a part of the
map's shape, and rimming them and dimming the rest shows that shape."""
MATCH_RING_LEAST = 30
"""Up to this many are ringed on any map: on a small library a search's twenty matches are
still a few to find, each ring fanned out of its cluster."""


def rings_matches(count: int, mapped: int = 0) -> bool:
    """Whether ``count`` search matches of the ``mapped`` tracks on the map (0: not known)
    are each ringed (else the rest of the map is dimmed): at most :data:`MATCH_RING_LIMIT`,
    a :data:`MATCH_RING_SHARE`-th of the map, or :data:`MATCH_RING_LEAST` on any map."""
    limit = MATCH_RING_LIMIT
    if mapped > 0:
        limit = min(limit, max(MATCH_RING_LEAST, mapped // MATCH_RING_SHARE))
    return count <= limit


def map_key_entries(neighbours: bool, playlist: str | None = None, matches: int = 0,
                    region: int = 0, playlist_size: int | None = None,
                    mapped: int = 0) -> list[tuple[str, str]]:
    """(kind, words) of each entry of the key under the map, for the marks on it now: the
    selection and its neighbours' rings while drawn, a highlighted playlist (``playlist``:
    its name; None when none is outlined; ``playlist_size``: its number of tracks, as the
    playlist list and the legend give it after the name, which alone did not tell the
    user's same-named playlists apart), search matches (their number: too many to ring,
    it says so; ``mapped``: the tracks on the map, as :func:`rings_matches` counts them) and
    a region while there are any. A name in a right-to-left script is set apart
    (:func:`isolated`), so that its quotes and size stay round it.

    Every kind of mark the map draws has its entry while it is drawn, and only then: the
    playlist's outline was once told from the graph model's rings by nothing but a shade
    of yellow, and the search's and the region's marks had no entry at all."""
    entries = list(NEIGHBOUR_KEY) if neighbours else []
    if playlist is not None:
        name = isolated(elided(playlist, KEY_NAME_LIMIT))
        size = f" ({playlist_size:,})" if playlist_size is not None else ""
        entries.append(("playlist", (f"playlist ‘{name}’" if name else "playlist") + size))
    if matches and not rings_matches(matches, mapped):
        entries.append(("matches", f"{matches:,} search matches, the rest dimmed"))
    elif matches:
        entries.append(("matches", ("search match" if matches == 1 else "search matches")
                        + f" ({matches:,})"))  # as the playlist's entry gives its size
    if region:
        entries.append(("region", f"region ({region:,})"))
    return entries


def isolated(name: str) -> str:
    """``name`` set apart from the words round it (Unicode's first-strong isolate) where it
    holds right-to-left letters: in "playlist ‘שירים לנסיעה ארוכה’ (6)" the quote and the
    count joined the name's run and were drawn on its far side, inside the quotes."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name):
        return f"\u2068{name}\u2069"
    return name


def inside_polygon(xy: np.ndarray, polygon: Sequence[tuple[float, float]]) -> np.ndarray:
    """Which rows of ``xy`` ``[n, 2]`` lie inside ``polygon`` (even-odd rule, vectorised).

    Each edge looks only at the points in its band of heights, cut from the points sorted by
    y: testing every point against every edge took 359 ms on the window's thread for a lasso
    of 1,500 vertices (each mouse move adds one) on a 28k-track map."""
    poly = np.asarray(polygon, np.float64)
    inside = np.zeros(len(xy), bool)
    if len(poly) < 3 or not len(xy):
        return inside
    order = np.argsort(xy[:, 1], kind="stable")
    x, y = xy[order, 0].astype(np.float64), xy[order, 1].astype(np.float64)
    for (x0, y0), (x1, y1) in zip(poly.tolist(), np.roll(poly, -1, axis=0).tolist()):
        start, end = np.searchsorted(y, (min(y0, y1), max(y0, y1)))  # min <= y < max
        if start < end and y0 != y1:  # the points whose row the edge crosses
            at = x0 + (y[start:end] - y0) * (x1 - x0) / (y1 - y0)
            inside[start:end] ^= x[start:end] < at
    inside[order] = inside.copy()
    return inside


def vertex_apart(last: tuple[float, float], point: tuple[float, float],
                 pixel: tuple[float, float]) -> bool:
    """Whether a lasso's next vertex ``point`` is a screen pixel (``pixel``: its width and
    height in map units) or more from the ``last`` one: closer ones, several per pixel from
    a slow drag, only added work (each vertex is a pass over the points it spans)."""
    return abs(point[0] - last[0]) >= abs(pixel[0]) or abs(point[1] - last[1]) >= abs(pixel[1])


WALK_NEIGHBOURS = 6
"""Nearest neighbours of every point looked up at once for :func:`walk_order`: most steps
find the next point among them (fewer: more steps ask the tree again; more: each step scans
more; 6 was the fastest of those tried, 3 to 24, on a 28k-point map)."""
WALK_TOLERANCE = 1e-9
"""Relative slack between the tree's distances and the walk's own (another order of float
operations): a candidate counts as the nearest of all only when every point not looked at
is farther by more than this."""


def walk_order(xy: np.ndarray) -> np.ndarray:
    """Row order of a greedy nearest-neighbour walk from the leftmost point: each step goes
    to the nearest point not visited yet (squared distance in float64; of equal ones, the
    lowest row, as ``argmin`` picks).

    It was that loop over every point at every step, O(n²): a region of the whole 28k-track
    map took 20 s on the window's thread. The walk is the same (tests compare it with the
    loop), found with k-d trees: each point's :data:`WALK_NEIGHBOURS` nearest come from one
    query for all, and a step takes the nearest unvisited of them when every point not
    looked up is farther; else (all of them visited, or a tie at the edge) it asks a tree
    of the points not visited, rebuilt when half of those are. Points at one spot are
    walked as one, each group in row order, as the loop walks them (distance 0): a tree
    cannot split copies, and 20,000 of them at one spot took it 0.5 s. 28k points: ~0.2 s."""
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    if len(xy) == 0:
        return np.zeros(0, np.int64)
    spots, first, group_of = np.unique(xy, axis=0, return_index=True, return_inverse=True)
    by_row = np.argsort(first)  # spots in the order of their first row: ties go the same way
    spots = spots[by_row]
    walked = np.empty(len(by_row), np.int64)  # each spot's place in the walk
    walked[by_row[_walk_spots(spots, _neighbours(spots))]] = np.arange(len(by_row))
    return np.argsort(walked[group_of.reshape(-1)], kind="stable")  # a spot's rows in order


def _neighbours(xy: np.ndarray) -> tuple[list, list, np.ndarray]:
    """Each of distinct points' :data:`WALK_NEIGHBOURS` nearest, itself first: (their rows,
    whether each but the last is nearer than the next, by more than
    :data:`WALK_TOLERANCE`, the distance to the last)."""
    from scipy.spatial import cKDTree  # here: the window starts without loading scipy

    n = len(xy)
    k = min(WALK_NEIGHBOURS + 1, n)
    far, near = (a.reshape(n, k) for a in cKDTree(xy).query(xy, k=k))
    clear = far[:, 2:] > far[:, 1:-1] * (1 + WALK_TOLERANCE)
    return near.tolist(), clear.tolist(), far[:, -1]


def _walk_spots(xy: np.ndarray, neighbours: tuple[list, list, np.ndarray]) -> np.ndarray:
    """:func:`walk_order` over distinct points (row order breaks ties)."""
    near, clear, reach = neighbours
    n, k = len(xy), len(near[0])
    xs, ys = xy[:, 0].tolist(), xy[:, 1].tolist()
    visited = bytearray(n)
    rest = _Unvisited(xy, xs, ys, visited)
    current = int(np.argmin(xy[:, 0]))
    visited[current] = 1
    order = [current]
    for _ in range(n - 1):
        # most steps: the first unvisited neighbour, when the next one is farther (no tie)
        nxt, row, gap = -1, near[current], clear[current]
        for i in range(1, k - 1):
            if not visited[row[i]]:
                if gap[i - 1]:
                    nxt = row[i]
                break
        if nxt < 0:  # a tie, or every neighbour visited: their exact distances, or the tree
            best, nxt = _nearest_of(row, xs, ys, visited, current)
            if nxt < 0 or not (k == n or reach[current] > math.sqrt(best) * (1 + WALK_TOLERANCE)):
                nxt = rest.nearest(current, len(order))
        visited[nxt] = 1
        order.append(nxt)
        current = nxt
    return np.asarray(order, np.int64)


def _nearest_of(candidates, xs: list[float], ys: list[float], visited: bytearray,
                current: int) -> tuple[float, int]:
    """(squared distance, row) of the unvisited candidate nearest ``current`` (of equal
    ones, the lowest row); (inf, -1) when all are visited."""
    x0, y0 = xs[current], ys[current]
    best, nxt = math.inf, -1
    for j in candidates:
        if not visited[j]:
            d = (xs[j] - x0) ** 2 + (ys[j] - y0) ** 2
            if d < best or (d == best and j < nxt):
                best, nxt = d, j
    return best, nxt


class _Unvisited:
    """A k-d tree of the points not visited when it was built, for the walk's steps whose
    looked-up neighbours do not settle the next point; built again once half of its points
    are visited, so that a query passes over few visited ones."""

    def __init__(self, xy: np.ndarray, xs: list[float], ys: list[float],
                 visited: bytearray) -> None:
        self.xy, self.xs, self.ys, self.visited = xy, xs, ys, visited
        self.rows = np.zeros(0, np.int64)
        self.tree = None
        self.built = 0  # points visited when the tree was built

    def nearest(self, current: int, visits: int) -> int:
        """The unvisited point nearest ``current`` (``visits`` points visited so far)."""
        from scipy.spatial import cKDTree

        if self.tree is None or 2 * (visits - self.built) > len(self.rows):
            self.rows = np.flatnonzero(np.frombuffer(self.visited, np.uint8) == 0)
            self.tree = cKDTree(self.xy[self.rows])
            self.built = visits
        size, k = len(self.rows), 16
        while True:  # more neighbours until the nearest unvisited is settled
            k = min(k, size)
            far, found = self.tree.query(self.xy[current], k=k)
            far, found = np.atleast_1d(far), np.atleast_1d(found)
            best, nxt = _nearest_of(self.rows[found].tolist(), self.xs, self.ys,
                                    self.visited, current)
            if nxt >= 0 and (k == size or far[-1] > math.sqrt(best) * (1 + WALK_TOLERANCE)):
                return nxt
            k *= 4


def unplayable_region_line(why: Sequence[str]) -> str:
    """What a region none of whose tracks can play says (``why``: each one's
    :func:`why_unplayable`): a lasso over an imported dataset's 28,356 tracks selected
    nothing and said nothing."""
    tracks = f"{len(why):,} {noun(len(why), 'track')} in the region"
    if all(w == "no file" for w in why):
        return f"{tracks}; none has an audio file (imported from a dataset dir): nothing to play"
    return f"{tracks}; none can play ({', '.join(left_out_parts(why))})"


def left_out_region_line(why: Sequence[str]) -> str:
    """What a region some of whose tracks cannot play says (``why``: each one's
    :func:`why_unplayable`, "" for those kept): "3 of 10 tracks in the region left out (no
    audio file)". A lasso over a library half imported from a dataset dir kept the tracks
    with files and dropped the others without a word."""
    out = [w for w in why if w]
    parts = ("no audio file" if all(w == "no file" for w in out)
             else ", ".join(left_out_parts(out)))
    tracks = f"{len(why):,} {noun(len(why), 'track')}"
    return f"{len(out):,} of {tracks} in the region left out ({parts})"


NO_TRACKS_IN_VIEW = "No tracks in view: zoom out or move the map first"
"""What R in the map says over an empty part of the map (the region stays)."""

COMPUTING_TIP = "the map is being computed: draw a region once it is shown"
"""Why Lasso and Rectangle are off while a map is computed: a region drawn over the points
about to be replaced (another space, a new layout) would select tracks that have moved."""


class MapToolsController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.search_text = ""
        self.matches: list[int] = []
        self.region: list[int] = []
        """The selected region's playable tracks, in playing order."""
        self._region_at = 0  # the reload that read the snapshot the region was drawn on
        self.matched = Event()  # track ids matching the search (empty: none / cleared)
        self.region_changed = Event()  # track ids of the region, in order
        self.drawing_off: str | None = None
        """Why Lasso and Rectangle are off (None: on): :data:`COMPUTING_TIP` while the map
        is computed, as the window greys its other controls while a library is read."""
        self.drawing_changed = Event()  # drawing_off, at each change
        self._walk_loading: threading.Thread | None = None
        app.map.loaded.connect(self._load_walk)
        app.library.loaded.connect(self._library_loaded)
        app.map.computing.connect(self._map_computing)

    def _map_computing(self, computing: bool) -> None:
        why = COMPUTING_TIP if computing else None
        if why != self.drawing_off:
            self.drawing_off = why
            self.drawing_changed.emit(why)

    def _load_walk(self, *_map) -> None:
        """Import the walk's k-d tree (scipy.spatial, 0.2 s) on a thread of its own once a
        map is shown: imported at the first region, it held the window's thread for as long."""
        if self._walk_loading is None:
            self._walk_loading = threading.Thread(target=importlib.import_module,
                                                  args=("scipy.spatial",), daemon=True,
                                                  name="map tools: import scipy.spatial")
            self._walk_loading.start()

    # -- search ---------------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Every track matching ``text`` (not only the first hundred the list shows)."""
        self.search_text = text
        if not text:
            self.matches = []
            self.matched.emit([])
            return
        self._run_search(text, self.app.library.snapshot)

    def _run_search(self, text: str, snap: "LibrarySnapshot | None") -> None:
        """Search ``snap`` (the list's search of it did the scan already) for ``text``."""
        ctx = self.app.ctx
        task = self.app.run("map search", search_tracks, ctx, text, limit=None,
                            key="map-search", tracks=snap.tracks if snap else None)
        task.on_result(lambda rows, t=text: self._matched(t, [r.id for r in rows], ctx))

    def _matched(self, text: str, ids: list[int], ctx: "AppContext") -> None:
        """The matches of ``text`` in library ``ctx``, shown while both are still the ones on
        screen: a library left meanwhile (File ▸ Open demo library) ringed its ids on the
        library shown, other tracks, until that one's own search ended."""
        if text == self.search_text and self.app.library.shows(ctx):
            self.matches = ids
            self.matched.emit(ids)

    def _search_again(self, snap: "LibrarySnapshot") -> None:
        """The search, run on a new snapshot: the matches were ids of the one before (its
        only folder forgotten, the key still said "12 matches" on an empty map; its tracks
        back, "a" matched none until it was typed again)."""
        if not self.search_text:
            return
        if not snap.tracks:
            self._matched(self.search_text, [], self.app.ctx)
        else:
            self._run_search(self.search_text, snap)

    # -- regions --------------------------------------------------------------------------------
    def select_polygon(self, polygon: Sequence[tuple[float, float]],
                       rows: "np.ndarray | None" = None) -> list[int]:
        """Select the tracks inside ``polygon`` (map coordinates); returns them in order.
        ``rows``: the points' rows inside it, where the caller tested them already."""
        points = self.app.map.points
        snap = self.app.library.snapshot
        if points is None or snap is None:
            return self.clear_region()
        ids = np.asarray(points.track_ids, np.int64)
        xy = np.asarray(points.xy, np.float64)
        if rows is None:
            rows = np.flatnonzero(inside_polygon(xy, polygon))
        why = [why_unplayable(snap.by_id.get(i)) for i in ids[rows].tolist()]
        self._say_left_out(why)
        rows = rows[np.array([not w for w in why], bool)]
        self.region = ids[rows[walk_order(xy[rows])]].tolist()
        # its tracks all come from the snapshot on screen: any later one may drop them (one
        # asked for earlier but read after it lacked a track just forgotten, which stayed)
        self._region_at = self.app.library.snapshot_request
        self.region_changed.emit(self.region)
        return self.region

    def _library_loaded(self, snap: "LibrarySnapshot") -> None:
        """A new snapshot (a rescan, the folder watch, a ``forget``): the region's tracks whose
        files went, or that left the library, leave it, said in one line as making a region
        says what it left out — it still counted them, and Play in order queued them without
        a word (tracks of a forgotten folder too, no longer in the library). Only a snapshot
        read after the one it was drawn on can tell
        (:meth:`~musicsage.controllers.library.LibraryController.read_after`). A region all of
        whose tracks left the library (its only folder forgotten) is cleared, said as such:
        "none can play" warned of tracks that are simply gone."""
        self._search_again(snap)
        why = [why_unplayable(snap.by_id.get(i)) for i in self.region]  # absent: "not found"
        if not any(why) or not self.app.library.read_after(self._region_at):
            return
        if all(w == "not found" for w in why):
            self.app.notify(f"Map region cleared: its {counted(len(why), 'track')} left the "
                            "library")
        else:
            self._say_left_out(why)
        self.region = [i for i, w in zip(self.region, why) if not w]
        self.region_changed.emit(self.region)

    def _say_left_out(self, why: list[str]) -> None:
        """One line for a region's tracks that cannot play (``why``: each one's reason, "" for
        a playable one), said once for the region: with none playable the bar's Play and Save,
        which both need files, would do nothing, so it says why; else what was dropped."""
        if why and all(why):
            self.app.notify(unplayable_region_line(why), "warning")
        elif any(why):
            self.app.notify(left_out_region_line(why))

    def select_view(self, polygon: Sequence[tuple[float, float]]) -> list[int]:
        """R in the map: the tracks in view (``polygon``) become the region. With none in view
        the region is kept and a line says what to do: it was cleared without a word. While
        the map is computed, none is made and the line says why, as Lasso and Rectangle's
        tooltips do (:attr:`drawing_off`): it made the old points in view, about to move, one."""
        if self.drawing_off is not None:
            self.app.notify(sentence(self.drawing_off))
            return self.region
        points = self.app.map.points
        rows = None
        if points is not None:
            rows = np.flatnonzero(inside_polygon(np.asarray(points.xy, np.float64), polygon))
            if not rows.size:
                self.app.notify(NO_TRACKS_IN_VIEW)
                return self.region
        return self.select_polygon(polygon, rows)

    def select_rect(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        return self.select_polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])

    def clear_region(self) -> list[int]:
        self.region = []
        self.region_changed.emit([])
        return []

    def play_region(self) -> None:
        if self.region:
            self.app.queue.play_list(self.region,
                                     f"Map region ({grouped(len(self.region), 'track')})")

    def default_playlist_path(self) -> Path:
        return default_playlist_path("Map region")

    def save_region(self, path: str) -> Task | None:
        """Write the region, in its playing order, as an M3U8 playlist."""
        return self.app.save_tracks(path, self.region, "Map region")
