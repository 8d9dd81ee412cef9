"""Tools over the map (widgets only; the geometry and decisions are in
:mod:`musicsage.controllers.map_tools`):

- **search matches** ringed on the map while the search box holds text; too many to ring
  one by one, each match gets a thin white rim instead and the other tracks are dimmed;
- **Lasso / Rectangle** modes: a left-drag draws the shape (instead of panning) and reports
  it in map coordinates; the region's tracks are marked, and a bar offers *Play in order*,
  *Save as playlist…* and *Clear*;
- **neighbour lines** from the selected track to each of its neighbours, in the list colours:
  items of the view, so they pan and zoom with the points and stay while you look around
  (a neighbour off screen still shows where it is).

Everything is drawn by a few extra items on the map's view; the map view itself only offers
the hooks (``drag_handler``, ``positions_of``), so its drawing stays its own.

On a small map (800x500 with the training dock open: ~220 px wide) the words "Pan  Lasso
Rectangle" took 203 px, and the folded legend went on a row of its own under them: the two
took the top 76 px of a 205-px map. Where the words and the folded legend do not fit side by
side, the modes show as icons (their names in the tooltips) and the legend sits beside them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QToolButton, QWidget)

from musicsage.controllers.map_tools import rings_matches, vertex_apart
from musicsage.gui.focus_ring import MAP_FOCUS_COLOUR, RING_WIDTH, focus_padding
from musicsage.gui.map_marks import (MARK_Z, MATCH_COLOUR, MATCH_RIM, REGION_COLOUR, mark_size,
                                     point_size)
from musicsage.gui.map_match_fan import MatchFan
from musicsage.gui.map_mode_icons import mode_icon, mode_tip
from musicsage.gui.map_points import PointCloudItem, argb
from musicsage.gui.map_view import AUDIO_COLOUR, BACKGROUND, BOTH_COLOUR, GRAPH_COLOUR, MapView
from musicsage.text import counted


BAR_STYLE = ("QFrame { background: rgba(20, 21, 28, 215); border: 1px solid #3a3d4a;"
             " border-radius: 4px; }"
             " QLabel { color: #e6e6e6; border: none; background: transparent; }"
             " QToolButton { color: #e6e6e6; border: 1px solid transparent; padding: 2px 6px; }"
             " QToolButton:checked { background: #3d4150; border: 1px solid #6b6f7d; }"
             " QToolButton:disabled { color: #6b6f7d; }"
             f" QToolButton:focus {{ border: {RING_WIDTH}px solid {MAP_FOCUS_COLOUR};"
             f" {focus_padding(3, 7)} }}")
"""The bars over the map. A focused mode button is outlined (last: it wins over checked),
as wide as the window's other focus rings (1 px was hard to see), its padding less by as
much as the outline is wider than the border (the button keeps its size); its border is
otherwise transparent or grey, so Tab reached the buttons unseen. A greyed mode (Lasso,
Rectangle while the map is computed) is drawn grey: in the bar's light text it looked as on
as the others."""
REGION_BUTTONS_STYLE = (" QPushButton { color: #e6e6e6; background: #2c2f3a; padding: 2px 8px;"
                        " border: 1px solid #6b6f7d; border-radius: 3px; }"
                        " QPushButton:hover { background: #3d4150; }"
                        " QPushButton:pressed { background: #4a4f60; }"
                        f" QPushButton:focus {{ border: {RING_WIDTH}px solid {MAP_FOCUS_COLOUR};"
                        f" {focus_padding(3, 9)} }}")
"""The region bar's buttons, drawn as the bar is: the native buttons showed no focus there."""
COMPACT_STYLE = (" QToolButton { padding: 2px 3px; }"
                 f" QToolButton:focus {{ {focus_padding(3, 4)} }}")
"""The icon buttons' padding: the icon bar must fit beside the folded legend on a 220-px map."""
MODES = (("pan", "Pan", "drag to move the map (default)"),
         ("lasso", "Lasso", "drag around tracks to select a region"),
         ("rect", "Rectangle", "drag a rectangle to select a region"))
DIMMED = 0.35
"""What is left of a track that does not match a search of too many matches to ring: as much
as a highlighted playlist leaves of the tracks outside it (the map's points at 0.35)."""
REGION_SCATTER_LIMIT = 2_000
"""A region of up to this many tracks is drawn as a scatter item of discs under its points; a
bigger one as a raster layer of the same discs (the scatter item took 50 ms of the window's
thread to take a whole 28k-track map's region). Only a rim, at every size: a wash over the
points of a region over 2,000 tracks tinted every genre's colour the region's."""
RIM = 4
"""How much wider (px) than its point a match's rim is, when there are too many to ring: a
2-px rim of white around the point, which keeps its own colour (a 1-px rim was lost at
the fitted zoom of a 28k-track map)."""


class MapTools(QObject):
    """The tools of one :class:`MapView`."""

    polygon_drawn = Signal(list)  # [(x, y), …] in map coordinates
    view_chosen = Signal(list)  # the same of the view (R: MapKeys), kept with none in it
    play_region_requested = Signal()
    save_region_requested = Signal()
    clear_region_requested = Signal()

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self.view = view
        self.mode = "pan"
        self.compact = False
        """The modes shown as icons (a small map), else as words."""
        self._words_width = 0
        """The width of the bar in words, as last laid out (the room it needs)."""
        self.match_ids: list[int] = []
        self.region_ids: list[int] = []
        self.lines: tuple[int | None, list[int], list[int]] = (None, [], [])
        self._drawing: list[tuple[float, float]] = []
        self._build_items()
        self._build_toolbar()
        self._build_region_bar()
        # Tab as the map reads: legend, tools, key (top-left, top-right, bottom-left), then
        # the region bar; made first, the key came before the tools
        QWidget.setTabOrder(self.mode_buttons[MODES[-1][0]], view.selection_key.header)
        view.drag_handler = self._drag
        view.overlays.append(self.toolbar)  # the map's fit keeps the points clear of it
        view.soft_overlays.append(self.region_bar)  # and of this bar where it covers any
        view.installEventFilter(self)
        view.legend.installEventFilter(self)  # a new colouring can widen it into the tools
        view.selection_key.installEventFilter(self)  # a taller key: the region bar goes up

    # -- construction ---------------------------------------------------------------------------
    def _build_items(self) -> None:
        vb = self.view.view
        self._lines_graph = pg.PlotCurveItem(pen=pg.mkPen(GRAPH_COLOUR, width=1.2), connect="pairs")
        self._lines_audio = pg.PlotCurveItem(pen=pg.mkPen(AUDIO_COLOUR, width=1.2,
                                                          style=Qt.PenStyle.DashLine),
                                             connect="pairs")
        self._lines_both = pg.PlotCurveItem(pen=pg.mkPen(BOTH_COLOUR, width=1.4), connect="pairs")
        self._matches = pg.ScatterPlotItem(pxMode=True, brush=None,
                                           pen=pg.mkPen(MATCH_COLOUR, width=2))
        self._match_rims = pg.ScatterPlotItem(pxMode=True, brush=None,
                                              pen=pg.mkPen(MATCH_RIM, width=4.5))
        # fanned out where they pile up, round the selection's marks where a match has one
        self._match_fan = MatchFan(self.view, self._matches, self._match_rims)  # hover, click
        self._region = pg.ScatterPlotItem(pxMode=True, brush=pg.mkBrush(REGION_COLOUR),
                                          pen=pg.mkPen(None))
        self._outline = pg.PlotCurveItem(pen=pg.mkPen("#ffffff", width=1.5,
                                                      style=Qt.PenStyle.DashLine))
        # Marks on too many tracks for a scatter item (it took 50 ms to take 28k points) are
        # raster layers, drawn in milliseconds at 100k: a big region's rims and too many
        # search matches' white rims, as discs under the points; over them the veil that
        # dims the tracks that do not match such a search
        self._region_rims, self._rims = PointCloudItem(), PointCloudItem()
        self._veil = PointCloudItem()
        """The tracks that do not match drawn again, in the map's background colour at
        1 - :data:`DIMMED`: dimmed as the points' opacity dims a playlist's outside."""
        for item, z in ((self._region_rims, MARK_Z["points"] - 0.75),
                        (self._region, MARK_Z["points"] - 0.75),
                        (self._rims, MARK_Z["points"] - 0.5),
                        (self._veil, (MARK_Z["points"] + MARK_Z["lines"]) / 2)):
            item.setZValue(z)
            vb.addItem(item)
        for item, layer in ((self._lines_graph, "lines"), (self._lines_audio, "lines"),
                            (self._lines_both, "lines"), (self._matches, "matches"),
                            (self._match_rims, "matches rim"),
                            (self._outline, "outline")):
            item.setZValue(MARK_Z[layer])
            vb.addItem(item)

    def _build_toolbar(self) -> None:
        self.toolbar = QFrame(self.view)
        self.toolbar.setStyleSheet(BAR_STYLE)
        row = QHBoxLayout(self.toolbar)
        row.setContentsMargins(3, 2, 3, 2)
        row.setSpacing(2)
        self.mode_group = QButtonGroup(self.toolbar)
        self.mode_buttons: dict[str, QToolButton] = {}
        for key, text, tip in MODES:
            b = QToolButton(self.toolbar)
            b.setText(text)
            b.setIcon(mode_icon(key))
            b.setToolTip(mode_tip(text, tip))
            b.setAccessibleName(text)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setCheckable(True)
            b.setChecked(key == "pan")
            b.clicked.connect(lambda _c=False, k=key: self.set_mode(k))
            self.mode_group.addButton(b)
            self.mode_buttons[key] = b
            row.addWidget(b)
        self.toolbar.adjustSize()
        # a map narrower than its tools cut the bar's first button off (688-px window); as wide
        # as the words, it has room for the icons beside the folded legend (_fit_toolbar)
        self.view.setMinimumWidth(max(self.view.minimumWidth(),
                                      self.toolbar.sizeHint().width() + 20))

    def _fit_toolbar(self) -> None:
        """Words where the bar in words and the folded legend fit side by side, else icons.
        Decided by the folded legend, open or not, so that opening it never changes the
        tools (and the room beside them that its folding depends on)."""
        if not self.compact:
            self._words_width = self.toolbar.sizeHint().width()
        room = self.view.width() - 10 - 10 - 6 - self.view.legend.folded_width()
        compact = self._words_width > room
        if compact != self.compact:
            self.compact = compact
            style = (Qt.ToolButtonStyle.ToolButtonIconOnly if compact
                     else Qt.ToolButtonStyle.ToolButtonTextOnly)
            for button in self.mode_buttons.values():
                button.setToolButtonStyle(style)
            self.toolbar.setStyleSheet(BAR_STYLE + (COMPACT_STYLE if compact else ""))
        self.toolbar.adjustSize()

    def _build_region_bar(self) -> None:
        self.region_bar = QFrame(self.view)
        self.region_bar.setStyleSheet(BAR_STYLE + REGION_BUTTONS_STYLE)
        self._region_grid = QGridLayout(self.region_bar)
        self._region_grid.setContentsMargins(6, 3, 6, 3)
        self.region_label = QLabel(self.region_bar)
        self.play_button = QPushButton("Play in order", self.region_bar)
        self.play_button.setToolTip("Play the region's tracks, walking from one to its nearest")
        self.save_button = QPushButton("Save as playlist…", self.region_bar)
        self.save_button.setToolTip("Save the region's tracks as a playlist file")
        self.clear_button = QPushButton("Clear", self.region_bar)
        self.play_button.clicked.connect(self.play_region_requested)
        self.save_button.clicked.connect(self.save_region_requested)
        self.clear_button.setToolTip("Clear the region (Esc on the map)")
        self.clear_button.clicked.connect(self.clear_region_requested)
        self._arrange_region_bar(one_row=True)
        self.region_bar.hide()
        # Esc on the map clears its region, as in other desktop apps; only while there is
        # one, so that otherwise the key goes where it went before
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.view,
                                 context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._escape.activated.connect(self.clear_region_requested)
        self._escape.setEnabled(False)

    def _arrange_region_bar(self, *, one_row: bool) -> None:
        """The count beside the buttons, or on a line of its own above them."""
        grid = self._region_grid
        for widget in (self.region_label, self.play_button, self.save_button, self.clear_button):
            grid.removeWidget(widget)
        grid.addWidget(self.region_label, 0, 0, 1, 1 if one_row else 3)
        for i, button in enumerate((self.play_button, self.save_button, self.clear_button)):
            grid.addWidget(button, 0 if one_row else 1, i + 1 if one_row else i)

    # -- modes and drawing -----------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """``mode`` on. A shape being drawn (the mouse still down: Tab to Pan and press Space)
        is dropped: released in Pan, it stayed half drawn and :meth:`drawing` True, so Esc
        no longer cancelled the running task."""
        if mode != self.mode:
            self._drop_shape()
        self.mode = mode
        self.mode_buttons[mode].setChecked(True)
        self.view.plot.setCursor(Qt.CursorShape.ArrowCursor if mode == "pan"
                                 else Qt.CursorShape.CrossCursor)

    def _drag(self, event) -> bool:
        """The map's drag hook: in a selection mode, draw instead of panning. A drag whose
        mode changed meanwhile (Tab to Lasso and press Space, the mouse still down) pans to
        its end: begun in Pan it had no shape to go on with (an IndexError); begun in a
        selection mode, its shape went with the change (:meth:`set_mode`)."""
        if self.mode == "pan" or not (self._drawing or event.isStart()):
            return False
        event.accept()
        vb = self.view.view
        p = vb.mapSceneToView(event.scenePos())
        if event.isStart():
            start = vb.mapSceneToView(event.buttonDownScenePos())
            self._drawing = [(start.x(), start.y())]
        if event.isFinish() or vertex_apart(self._drawing[-1], (p.x(), p.y()), vb.viewPixelSize()):
            self._drawing.append((p.x(), p.y()))
        polygon = self._polygon()
        closed = polygon + polygon[:1]
        self._outline.setData([x for x, _ in closed], [y for _, y in closed])
        if event.isFinish():
            self._drop_shape()
            self.polygon_drawn.emit(polygon)
        return True

    def set_drawing_off(self, why: str | None) -> None:
        """Lasso and Rectangle greyed, ``why`` in their tooltips (None: on again): while the
        map is computed (:attr:`~musicsage.controllers.map_tools.MapToolsController.
        drawing_off`). The map pans meanwhile: a shape being drawn is dropped with the
        change of mode (:meth:`set_mode`)."""
        for key, text, tip in MODES[1:]:
            self.mode_buttons[key].setEnabled(why is None)
            self.mode_buttons[key].setToolTip(mode_tip(text, why or tip))
        if why is not None and self.mode != "pan":
            self.set_mode("pan")

    def _drop_shape(self) -> None:
        """The shape being drawn, gone from the map (finished, or drawing turned off)."""
        self._outline.setData([], [])
        self._drawing = []

    def drawing(self) -> bool:  # a lasso or rectangle being drawn (the mouse still down)
        return bool(self._drawing)

    def _polygon(self) -> list[tuple[float, float]]:
        if self.mode == "rect" and self._drawing:
            (x0, y0), (x1, y1) = self._drawing[0], self._drawing[-1]
            return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        return list(self._drawing)

    # -- what is drawn ---------------------------------------------------------------------------
    def show_matches(self, track_ids) -> None:
        """Ring each search match, or, too many to ring (:func:`rings_matches`: a one-letter
        search covered the map in rings), rim each in white and dim the tracks that do not
        match; the key says which, and how many match."""
        self.match_ids = [int(t) for t in track_ids]
        view = self.view
        matching = np.isin(view.track_ids, np.asarray(self.match_ids, np.int64))
        count = int(matching.sum())
        ringed = rings_matches(count, len(view.xy))
        rows = np.flatnonzero(matching if ringed else np.zeros(0, bool))
        self._match_fan.show(view.track_ids[rows], view.xy[rows],
                             mark_size("matches", len(view.xy)))
        self._rim_and_dim(None if ringed else matching)
        view.show_in_key(matches=count, mapped=len(view.xy))

    def _rim_and_dim(self, matching: np.ndarray | None) -> None:
        """Rim the points where ``matching`` is True and dim the others (None: neither). A
        match drawn over a dimmed neighbour stays whole: the matches come last in the veil,
        clearing it."""
        size = point_size(len(self.view.xy))
        none = np.zeros((0, 2), np.float32), np.zeros(0, np.uint32)
        if matching is None:
            self._rims.set_points(*none)
            self._veil.set_points(*none)
            return
        rims = self.view.xy[matching]
        self._rims.set_points(rims, np.full(len(rims), argb(MATCH_COLOUR), np.uint32),
                              size=size + RIM)
        if matching.all():
            self._veil.set_points(*none)
            return
        colours = np.where(matching, 0, argb(BACKGROUND, 1 - DIMMED)).astype(np.uint32)
        self._veil.set_points(self.view.xy, colours, np.argsort(matching, kind="stable"),
                              size=size)

    def show_region(self, track_ids) -> None:
        """Rim the region's tracks under their points (rings made a dense cluster one blob),
        beyond :data:`REGION_SCATTER_LIMIT` as a raster; none under a greyed one (a solid disc)."""
        self.region_ids = [int(t) for t in track_ids]
        view, size = self.view, mark_size("region", len(self.view.xy))
        xy = view.xy[np.isin(view.track_ids, np.asarray(self.region_ids, np.int64)) & view.present]
        few = len(xy) <= REGION_SCATTER_LIMIT
        self._region.setData(pos=xy if few else np.zeros((0, 2)), size=size)
        many = np.zeros((0, 2), np.float32) if few else xy
        self._region_rims.set_points(many, np.full(len(many), argb(REGION_COLOUR), np.uint32),
                                     size=size)
        view.show_in_key(region=len(xy))
        self.region_bar.setVisible(bool(self.region_ids))
        self._escape.setEnabled(bool(self.region_ids))
        self._fit_region_bar()
        self._place()

    def show_neighbour_lines(self, selected: int | None, graph_ids=(), audio_ids=()) -> None:
        """A line from the selected track to each neighbour (graph, audio, both)."""
        self.lines = (selected, list(graph_ids), list(audio_ids))
        graph, audio = set(graph_ids) - set(audio_ids), set(audio_ids) - set(graph_ids)
        both = set(graph_ids) & set(audio_ids)
        origin = self.view.positions_of([selected]) if selected is not None else np.zeros((0, 2))
        for item, ids in ((self._lines_graph, graph), (self._lines_audio, audio),
                          (self._lines_both, both)):
            ends = self.view.positions_of(sorted(ids)) if len(origin) else np.zeros((0, 2))
            if not len(ends):
                item.setData([], [])
                continue
            pairs = np.empty((2 * len(ends), 2), np.float64)
            pairs[0::2] = origin[0]
            pairs[1::2] = ends
            item.setData(pairs[:, 0], pairs[:, 1])

    def line_count(self) -> int:
        """How many neighbour lines are drawn."""
        count = 0
        for item in (self._lines_graph, self._lines_audio, self._lines_both):
            x, _y = item.getData()
            count += 0 if x is None else len(x) // 2
        return count

    def refresh(self) -> None:
        """Redraw on new map coordinates (another space, a new layout)."""
        self.show_matches(self.match_ids)
        self.show_region(self.region_ids)
        self.show_neighbour_lines(*self.lines)

    # -- layout ----------------------------------------------------------------------------------
    def _place(self) -> None:
        v = self.view
        self._fit_toolbar()
        self.toolbar.move(v.width() - self.toolbar.width() - 10, 10)
        self.toolbar.raise_()
        self._place_legend()
        # above the selection key's row (bottom left), right-aligned
        self._fit_region_bar()
        key = v.selection_key.height() + 16
        self.region_bar.move(max(10, v.width() - self.region_bar.width() - 10),
                             v.height() - key - self.region_bar.height() - 6)
        self.region_bar.raise_()
        v.overlay_moved()  # the selected name keeps clear of the bar shown or moved

    def _fit_region_bar(self) -> None:
        """Full texts where the map is wide enough, short ones where it is not, and on the
        narrowest map (an 800-px window) the count on a line above the buttons: on a map
        narrower than the bar, its Clear button was cut off and could not be clicked."""
        n = counted(len(self.region_ids), "track")
        for texts, one_row in (((f"{n} in the region", "Play in order", "Save as playlist…"), True),
                               ((n, "Play", "Save…"), True), ((n, "Play", "Save…"), False)):
            for widget, text in zip((self.region_label, self.play_button, self.save_button),
                                    texts):
                widget.setText(text)
            self._arrange_region_bar(one_row=one_row)
            self._region_grid.activate()
            self.region_bar.adjustSize()
            if self.region_bar.width() <= self.view.width() - 20:
                break

    def _place_legend(self) -> None:
        """The legend beside the tools where the map is wide enough for both, else under
        them (on a narrow map the tools' bar covered the legend's header and first rows)."""
        v, legend = self.view, self.view.legend
        room = self.toolbar.x() - 10 - 6
        if room != legend.room_beside:  # the open legend may no longer fit: it folds
            legend.room_beside = room
            legend.adjustSize()
        beside = 10 + legend.width() + 6 <= self.toolbar.x()
        top = 10 if beside else self.toolbar.y() + self.toolbar.height() + 6
        if top != v.legend_top:
            v.legend_top = top
            legend.move(10, top)
            legend.adjustSize()  # its height depends on where it starts
            v.refit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent

        if watched in (self.view, self.view.selection_key) and event.type() in (
                QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        elif watched is self.view.legend and event.type() in (QEvent.Type.Resize,
                                                             QEvent.Type.Show):
            self._place_legend()
        return False

