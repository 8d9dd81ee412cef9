"""The library map: a pyqtgraph scatter of the 2-D coordinates, coloured, hoverable, clickable.

Built to stay fluid at a hundred thousand points:
- every track is drawn by one raster layer (:class:`~musicsage.gui.map_points.PointCloudItem`):
  numpy stamps the points into an image of the visible area once per view change, a few
  milliseconds at 100k points, where pyqtgraph's scatter items cost ~1 µs per point and
  frame (bench/library_scale.py measures pan and zoom frames in the window). A colour
  category is a colour per point and a drawing order; the categories are the legend entries;
- the selected track, its neighbours and a highlighted playlist are drawn by separate small
  items on top, so changing the selection never redraws the library;
- hover and click find the nearest point with one vectorised distance over the coordinates
  (a few hundred microseconds at 30k points), not pyqtgraph's per-item hit tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from musicsage.controllers.colouring import other_entry
from musicsage.controllers.map_tools import map_key_entries
from musicsage.gui.focus_ring import FocusFrame
from musicsage.gui.map_colours import (OTHER_COLOUR, PALETTE, PLAIN_COLOUR,  # noqa: F401
                                       footnote_rows, greyed_missing, hover_text, legend_name,
                                       legend_row)
from musicsage.gui.map_fit import Box, fit_range, lift_view, zoom_limits
from musicsage.gui.map_legend import MapLegend
# the selection's colours stay importable from here too (the panels' lists use them)
from musicsage.gui.map_marks import (AUDIO_COLOUR, BOTH_COLOUR, GRAPH_COLOUR,  # noqa: F401
                                     HIGHLIGHT_COLOUR, MARK_Z, QUERY_COLOUR, make_message_label,
                                     make_name_label,
                                     make_selection_key, mark_size, neighbour_rings, point_size,
                                     selection_key_text)
from musicsage.gui.map_changes import name_placed_once, place_unless_held, rows_on_map
from musicsage.gui.map_name import dim_name
from musicsage.gui.map_points import PointCloudItem, argb
from musicsage.gui.map_stacks import SelectionMarks

BACKGROUND = "#1d1f27"
STALE_OPACITY = 0.25  # points under a message: another map (audio) stayed bright under it
HOVER_RADIUS_PX = 8


LEGEND_NAME_LIMIT = 28  # characters of a legend entry's name
MAP_NAME = "Library map"
MAP_DESCRIPTION = ("Every track of the library as a point, near the tracks it resembles, "
                   "coloured as the toolbar's Colour by chooses; click a point to select its "
                   "track. From the keyboard, find a track with the search box (Ctrl+F), or "
                   "select one in the track lists (neighbours, a playlist, the queue) with "
                   "Ctrl+Enter.")
"""What a screen reader says of the map (it takes the focus, but only a mouse picks in it)."""


@dataclass
class Colouring:
    """Which category each point is in (-1: none/other) and the categories' names."""

    codes: np.ndarray  # int, one per point
    names: list[str]
    other_name: str = "other"
    counts: list[int] | None = None  # the legend's number per name (None: its points)
    note: str = ""  # what the legend's numbers count, in its tooltip
    footnote: list[str] = field(default_factory=list)  # the legend's note, a row a line


class MapView(QWidget):
    """Centre panel: the map plus an overlay message ("Computing the map…")."""

    track_clicked = Signal(int)
    present = np.ones(0, bool)  # whose files are there (set_points): the others are greyed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False)
        self.plot = pg.PlotWidget(self, background=BACKGROUND)
        self.plot.hideAxis("left"), self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False), self.plot.hideButtons()
        for widget in (self, self.plot):  # the plot takes the focus: a reader speaks of it
            widget.setAccessibleName(MAP_NAME), widget.setAccessibleDescription(MAP_DESCRIPTION)
        self.focus_frame = FocusFrame(self.plot)
        self.view: pg.ViewBox = self.plot.getPlotItem().getViewBox()
        self.view.setAspectLocked(True)
        self.view.setMouseMode(pg.ViewBox.PanMode)
        # The legend is an overlay widget (crisp text, no scene items) that scrolls and
        # collapses so that it fits the map with any number of entries (gui/map_legend.py).
        self.legend = MapLegend(self)
        self.legend_top = 10
        """Where the legend starts: the top, or under the map tools on a map too narrow for
        both side by side (set by the tools, gui/map_tools.py)."""
        self._legend_rows: list[str] = []
        self.drag_handler: Callable[[object], bool] | None = None
        """Hook for the map tools: gets left-button drags first (lasso, rectangle); True
        when it took the drag, else the view pans as usual."""
        self.view.mouseDragEvent = self._on_drag
        self.overlays: list[QWidget] = []
        """Other widgets drawn over the map (the map tools' bar): :meth:`fit` keeps clear of them."""
        self.soft_overlays: list[QWidget] = []
        """Widgets over the map that the points keep clear of where they would cover some (the
        tools' region bar): :meth:`fit`, and :meth:`overlay_moved` once they move."""
        self.points = PointCloudItem()
        self.points.setZValue(MARK_Z["points"])
        self.view.addItem(self.points)
        self.categories: list[tuple[str, str, int]] = []
        """(name, colour, number of tracks) of the current colouring, in legend order."""
        self._build_selection_layers()
        self._build_selection_key()
        self.view.sigResized.connect(self._place_label)

        self.track_ids = np.zeros(0, np.int64)
        self.xy = np.zeros((0, 2), np.float32)
        self._titles: Sequence[str] = []
        self._row_of: dict[int, int] = {}
        self.selected: int | None = None
        self.highlighted: np.ndarray = np.zeros(0, np.int64)
        self._highlight_name = ""

        self.message = make_message_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.message.raise_()

        self._auto_fit = True
        self._fitting = False
        self.view.sigRangeChangedManually.connect(self._on_manual_range_change)
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)

    def _build_selection_layers(self) -> None:
        """The selection's marks above the points (gui/map_stacks.py: fanned out where they
        stack) and the selected track's name: a widget over the plot, moved when the view
        changes (a scene text item would have to fight the view's scaling)."""
        self.marks = SelectionMarks(self.view, BACKGROUND)  # before the name: it avoids them
        self.fans: list = []
        """Other marks drawn away from their tracks (the search's rings, gui/map_tools.py):
        each has ``track_at``, as :attr:`marks` does, for hover and click."""
        self._highlight, self._neigh = self.marks.squares, self.marks.rings
        self._neigh_halo, self._query = self.marks.halo, self.marks.selected
        self._label = make_name_label(self)
        self._label_text = ""
        self.view.sigTransformChanged.connect(self._place_label)

    def _build_selection_key(self) -> None:
        """The key to the marks on the map, bottom-left, shown while any is drawn (folded to
        a button on a small map: gui/map_legend.py)."""
        self.selection_key = make_selection_key(self)
        self.selection_key.header.clicked.connect(self._place_label)  # folded or opened
        for header, name in ((self.legend.header, "Map legend"),
                             (self.selection_key.header, "Key to the marks")):
            header.setAccessibleName(name)  # their texts' ▾/▸ were read out too
        self.key_marks: dict[str, object] = {"neighbours": False, "playlist": None,
                                             "playlist_size": None, "matches": 0, "region": 0}
        """What the key lists (:func:`~musicsage.controllers.map_tools.map_key_entries`'s
        arguments): kept up to date by the map and its tools through :meth:`show_in_key`."""

    def show_in_key(self, **marks) -> None:
        """Say which marks are drawn now (``neighbours``, ``playlist`` and its
        ``playlist_size``, ``matches``, ``region``): the key lists each while it is drawn.
        Hidden with nothing to list, it keeps the selection's one line, the room :meth:`fit`
        leaves it (a first selection does not move the map); a taller key moves the points
        clear of it."""
        self.key_marks.update(marks)
        entries = map_key_entries(**self.key_marks)
        before = self.selection_key.height()
        self.selection_key.setText(selection_key_text(entries) if entries
                                   else selection_key_text(), self.key_marks.get("playlist") or "")
        self.selection_key.setVisible(bool(entries))
        self._place_message()
        if self.selection_key.height() != before:
            self.refit()

    # -- data ---------------------------------------------------------------------------------
    def set_points(self, track_ids: np.ndarray, xy: np.ndarray, titles: Sequence[str],
                   colouring: Colouring | None = None, *, fit: bool = True,
                   present: np.ndarray | None = None) -> None:
        """Replace the map. ``titles[i]`` is the hover text of point i ("title — artist");
        ``present[i]``: its file is there (default: all are), else it is greyed.
        ``fit``: show it whole; else keep the view the user panned or zoomed to (the same map
        reloaded), fitting only while they have not."""
        self.track_ids = np.asarray(track_ids, np.int64)
        self.xy = np.ascontiguousarray(xy, dtype=np.float32)
        self.present = np.asarray(present if present is not None else [True] * len(xy), bool)
        self._titles = titles  # (a sequence whose labels are made as read: window_wiring)
        self._row_of = {int(t): i for i, t in enumerate(self.track_ids)}
        self.view.setLimits(**zoom_limits(self.xy))  # a held + or − never loses the map
        # fitted once, below: the new legend and key each fitted 28k points again before
        auto, self._auto_fit = self._auto_fit, False
        self.set_colouring(colouring)
        if self.selected is not None and self.selected not in self._row_of:
            self.set_selection(None)
        self.set_highlight(self.highlighted, self._highlight_name)
        self.set_message("" if len(self.track_ids) else "No map yet")
        self._auto_fit = auto
        if fit:
            self.fit()
        else:
            self.refit()

    def set_colouring(self, colouring: Colouring | None) -> None:
        """Recolour the points and rebuild the legend: a colour per category, drawn in order
        (uncategorised tracks first, under the others)."""
        self._legend_rows, self.categories = [], []
        self.legend.hide()
        self.legend.body.setToolTip(colouring.note if colouring is not None else "")
        n = len(self.track_ids)
        if n == 0:
            self.points.set_points(np.zeros((0, 2), np.float32), np.zeros(0, np.uint32))
            return
        if colouring is None or not colouring.names:  # grey: no category's colour
            plain = PLAIN_COLOUR if colouring is None else OTHER_COLOUR
            self.points.set_points(self.xy, *greyed_missing(
                np.full(n, argb(plain), np.uint32), None, self.present), size=point_size(n))
            if colouring is not None:  # nothing to tell apart (no track has a genre tag): say so
                self._add_legend_entry(plain, other_entry(colouring.other_name, n,
                                                          by_size=False)[0])
                self._show_legend()
            return
        codes = np.asarray(colouring.codes)
        other = (codes < 0) | (codes >= len(colouring.names))
        colours = np.full(n, argb(OTHER_COLOUR), np.uint32)
        counts = np.bincount(codes[~other], minlength=len(colouring.names))
        table = np.array([argb(PALETTE[c % len(PALETTE)]) for c in range(len(colouring.names))],
                         np.uint32)
        colours[~other] = table[codes[~other]]
        rank = np.where(other, -1, codes)  # "other" underneath, then categories in order
        self.points.set_points(self.xy, *greyed_missing(
            colours, np.argsort(rank, kind="stable"), self.present), size=point_size(n))
        for code, name in enumerate(colouring.names):
            if counts[code]:
                colour = PALETTE[code % len(PALETTE)]
                self.categories.append((name, colour, int(counts[code])))
                number = (colouring.counts or counts)[code]
                self._add_legend_entry(colour, f"{legend_name(name, LEGEND_NAME_LIMIT)} ({int(number)})")
        if other.any():
            text, tip = other_entry(colouring.other_name, int(other.sum()),
                                    by_size=colouring.counts is not None)
            self._add_legend_entry(OTHER_COLOUR, text)
            self.legend.body.setToolTip(" ".join(t for t in (colouring.note, tip) if t))
        self._show_legend(footnote_rows(colouring.footnote))

    def _show_legend(self, notes: list[str] = ()) -> None:
        self.legend.set_lines(self._legend_rows, notes)  # a note's lines are no entries
        self.legend.adjustSize()
        self.legend.move(10, self.legend_top)
        self.legend.show()
        self.legend.raise_()
        self.refit()  # another legend: the points move clear of it

    def _add_legend_entry(self, colour: str, text: str) -> None:
        self._legend_rows.append(legend_row(colour, text))

    # -- overlays -------------------------------------------------------------------------
    def set_selection(self, track_id: int | None, graph_ids=(), audio_ids=()) -> None:
        """Draw the selected track and its neighbours on top (a handful of points); its
        name placed once, at the end (gui/map_changes.py)."""
        with name_placed_once(self):
            self.selected = track_id
            row = self._row_of.get(int(track_id)) if track_id is not None else None
            if row is None:
                self.marks.show_selection(None)
                self._label.hide()  # (placed at the end: its leader line goes too)
                self.show_in_key(neighbours=False)
                return
            graph_ids = {int(t) for t in graph_ids}
            audio_ids = {int(t) for t in audio_ids}
            spots = neighbour_rings(self.xy, self._row_of, int(track_id), graph_ids, audio_ids)
            self.marks.show_selection(int(track_id), self.xy[row], spots)
            self.show_in_key(neighbours=bool(spots))
            self._label_text = self._titles[row] if row < len(self._titles) else str(track_id)
            self._label.show()

    def _place_label(self, *_args) -> None:
        place_unless_held(self)  # gui/map_name.py, once per selection (gui/map_changes.py)

    def overlay_moved(self) -> None:
        """Hook for the map tools: their region bar was shown or moved, which changes no
        view. The points keep clear of it (refitted, or the user's view moved up:
        gui/map_fit.py), and so does the selected name (it stayed under the bar until the
        next pan or zoom)."""
        if self._auto_fit or len(self.xy) and not lift_view(
                self.view, self.xy, (self.plot.x(), self.plot.y()), self.height(),
                self._soft_boxes(), self._reach()):
            self.fit()  # (the whole map was in view: a pan would push its top out)
        self._place_label()

    def set_highlight(self, track_ids, name: str = "") -> None:
        """Outline a set of tracks (the playlist ``name``) and dim the rest; empty clears it."""
        self.highlighted = np.asarray(list(track_ids) if not isinstance(track_ids, np.ndarray) else track_ids,
                                      np.int64)
        self._highlight_name = name
        rows = rows_on_map(self.track_ids, self.highlighted)
        with name_placed_once(self):  # off the squares now drawn (the view may not move)
            self.marks.show_playlist(self.track_ids[rows], self.xy[rows],
                                     mark_size("playlist", len(self.xy)))
            self.points.setOpacity(0.35 if len(rows) else 1.0)
            self.show_in_key(playlist=name if len(rows) else None,
                             playlist_size=len(self.highlighted))

    def set_message(self, text: str) -> None:
        """``text`` over the map, the points and the selected name under it dimmed
        (:data:`STALE_OPACITY`)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.view.setOpacity(STALE_OPACITY if text else 1.0)
        dim_name(self._label, STALE_OPACITY if text else 1.0)  # as the disc it names
        self.message.raise_()  # over the name
        self._place_message()

    def fit(self) -> None:
        """Show every point, clear of the overlays (legend, selection key, map tools) and of
        the :attr:`soft_overlays` where they would cover a point; kept fitted through resizes
        and recolourings until the user pans or zooms."""
        self._auto_fit = True
        if not len(self.xy) or not self.isVisible():
            return
        x0, x1, y0, y1 = fit_range(self.xy, max(self.width(), 1), max(self.height(), 1),
                                   _boxes(self.fit_obstacles()), self._soft_boxes(), self._reach())
        self._fitting = True
        self.view.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._fitting = False

    def refit(self) -> None:
        """Fit again (a resize, a new legend, an overlay moved), unless the user has panned
        or zoomed since."""
        if self._auto_fit:
            self.fit()

    def fit_obstacles(self) -> list[QWidget]:
        """The widgets over the map that :meth:`fit` keeps the points clear of: the legend
        while shown, the selection key (always: a first selection does not move the map) and
        the registered :attr:`overlays`."""
        shown = [w for w in self.overlays if w.isVisible()]
        return ([self.legend] if self.legend.isVisible() else []) + [self.selection_key] + shown

    def _soft_boxes(self) -> list[Box]:
        return _boxes([w for w in self.soft_overlays if w.isVisible()])

    def _reach(self) -> float:
        return mark_size("region", len(self.xy)) / 2  # the widest mark a point may carry

    def label_obstacles(self) -> list[QWidget]:
        """The shown widgets over the map that the selected name keeps clear of: those of
        :meth:`fit_obstacles` and any other child of the map but the plot, the message and the
        name — the region bar of the map tools too, which the points keep clear of softly."""
        fitted = self.fit_obstacles()
        others = [c for c in self.children() if isinstance(c, QWidget)
                  and c not in (*fitted, self.plot, self.message, self._label)]
        return [w for w in fitted + others if w.isVisible()]

    def _on_manual_range_change(self, *_args) -> None:
        if not self._fitting:
            self._auto_fit = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._auto_fit:
            QTimer.singleShot(0, self.fit)

    def center_on(self, track_id: int) -> None:
        row = self._row_of.get(int(track_id))
        if row is not None:
            (x0, x1), (y0, y1) = self.view.viewRange()
            x, y = self.xy[row]
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                self.view.translateBy(x=x - (x0 + x1) / 2, y=y - (y0 + y1) / 2)
                self._auto_fit = False  # the view the user asked for: a refit would undo it

    # -- picking --------------------------------------------------------------------------
    def nearest(self, x: float, y: float, radius: float) -> int | None:
        """Row of the point nearest (x, y) within ``radius`` (data units), or None."""
        if not len(self.xy):
            return None
        d2 = (self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2
        row = int(np.argmin(d2))
        return row if d2[row] <= radius * radius else None

    def positions_of(self, track_ids) -> np.ndarray:
        """Map coordinates ``[m, 2]`` of those of ``track_ids`` on the map (others skipped)."""
        rows = [r for r in (self._row_of.get(int(t)) for t in track_ids) if r is not None]
        return self.xy[rows] if rows else np.zeros((0, 2), np.float32)

    def _on_drag(self, event, axis=None) -> None:
        if self.drag_handler is not None and event.button() == Qt.MouseButton.LeftButton \
                and self.drag_handler(event):
            return
        pg.ViewBox.mouseDragEvent(self.view, event, axis)

    def scene_pos_of(self, track_id: int) -> QPointF:
        """Where a track is drawn, in scene coordinates (tests click there)."""
        x, y = self.xy[self._row_of[int(track_id)]]
        return self.view.mapViewToScene(QPointF(float(x), float(y)))

    def _pick(self, scene_pos) -> int | None:
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.view.mapSceneToView(scene_pos)
        radius = HOVER_RADIUS_PX * max(self.view.viewPixelSize())
        for marks in (self.marks, *self.fans):  # a mark out of its stack: its track
            fanned = marks.track_at(p.x(), p.y(), radius)
            if fanned in self._row_of:
                return self._row_of[fanned]
        return self.nearest(p.x(), p.y(), radius)

    def _on_mouse_moved(self, scene_pos) -> None:
        tip = next(filter(None, (m.tip_at(scene_pos) for m in (self.marks, *self.fans))),
                   None)  # a stack's count says what it counts
        if tip:
            QToolTip.showText(QCursor.pos(), tip, self.plot)
            return
        row = self._pick(scene_pos)
        if row is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), hover_text(self._titles, self.present, row), self.plot)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        row = self._pick(event.scenePos())
        if row is not None:
            event.accept()
            self.track_clicked.emit(int(self.track_ids[row]))

    # -- layout ---------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_message()
        self.refit()

    def _place_message(self) -> None:
        self.message.setGeometry(self.rect().adjusted(40, 40, -40, -40))
        key = self.selection_key
        key.fit_to(self.width(), self.height())
        key.move(10, self.height() - key.height() - 10)
        key.raise_()


def _boxes(widgets: list[QWidget]) -> list[Box]:
    return [(g.x(), g.y(), g.width(), g.height()) for g in (w.geometry() for w in widgets)]
