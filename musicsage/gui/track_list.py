"""A list of tracks with a score: the neighbour, suggestion and queue lists' common widget.

Readable in a narrow panel: the columns are sized to what they hold (:func:`split_width`:
Artist gets what its names need up to a fair share, Title the rest), a title too long
wraps onto a second line where the list has the height for it (a short list in a tall
panel), else is elided in the *middle* (the start and the end of "Glasshouse (Weightless Mix)" both stay, and
tell it from "Glasshouse in Bristol"), an artist at its *end* ("8bit Lumv…" reads; the
middle's "8bit …velix" did not). The Title column can be dragged wider (Artist takes the
rest), and the full title, artist, path and the reason the track is listed ("why") are in the
row's tooltip. Enter or double-click plays a row; Ctrl+Enter selects it (its neighbours
shown, as a click on its point does: the keyboard's way to pick a track); the context menu
offers both, "Play next" and "Add to queue" (the track into the play queue; with several rows
selected and the row among them, all of them in the list's order: "Add 6 to queue") and "Play
similar" (a radio from that track); that menu (:func:`track_menu`) is the library panel's
search list's too.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QContextMenuEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QMenu, QStyledItemDelegate,
                               QStyleOptionViewItem, QTreeView, QTreeWidget, QTreeWidgetItem,
                               QWidget)

from musicsage.controllers.map_tools import isolated
from musicsage.gui.menu_letters import lettered, run_once
from musicsage.gui.plain import plain_tooltip, tips_shown
from musicsage.library.browse import shown_title, told_apart
from musicsage.library.paths import shown_place
from musicsage.text import printable

BOTH_MARK = "◆"
BOTH_TINT = QColor(255, 79, 216, 40)
TRACK_ID_ROLE = Qt.ItemDataRole.UserRole
WHY_ROLE = Qt.ItemDataRole.UserRole + 1
SELECT_TEXT = "Select (show its neighbours)"
PLAY_NEXT_TEXT = "Play next"
ADD_TO_QUEUE_TEXT = "Add to queue"
ARTIST_SHARE = 0.36
"""Of the width Title and Artist share, the least Artist keeps when both cannot be whole (it
gets less only where its names need less). Title's fixed 58% cut "Glasshous…less Mix" at
1440x900 beside an artist column with room to spare, and at 1280x800 both columns."""

WRAP_LINES = 2
"""The lines a row may take where its list has the height (:meth:`TrackList._fit_rows`)."""
CELL_SLACK = 4
"""Pixels a column gets beyond its rows' size hint: a style whose text margins outgrow the
hint's (or a font's rounding) still leaves the text whole."""


def split_width(free: int, title_need: int, artist_need: int) -> int:
    """The Title column's width, of ``free`` px shared with Artist, for titles that need
    ``title_need`` px whole and artists ``artist_need``: Artist gets what it needs, up to
    :data:`ARTIST_SHARE` of ``free`` (more where the titles leave it room), Title the rest."""
    artist = min(artist_need, max(int(free * ARTIST_SHARE), free - title_need))
    return max(60, free - artist)


def play_next_text(count: int) -> str:
    """"Play next", counted for several tracks ("Play 6 next", as the Playlist tab's "Remove
    6 from playlist"): each menu that offers it words it so."""
    return f"Play {count} next" if count > 1 else PLAY_NEXT_TEXT


def menu_tracks(selected: list[int], tid: int) -> list[int]:
    """The tracks a row's menu puts in the queue: the ``selected`` rows' (in the list's
    order) when ``tid``'s row is among them; else that row's alone (as Remove chooses)."""
    ids = list(dict.fromkeys(selected))
    return ids if tid in ids else [tid]


def track_menu(lst: QWidget, tid: int) -> QMenu:
    """The menu of ``tid``'s row in any list of tracks (the track lists, the library's search
    list): Play, Select, Play next, Add to queue, Play similar, each emitting ``lst``'s signal
    of that name (``play_requested`` …); the queue's entries take its
    ``menu_tracks(tid)``. One menu for every list: the search list had none, and a copy
    would drift from this one."""
    menu = lettered(tips_shown(QMenu(lst)))  # a Remove entry added later gets one too
    menu.addAction("Play", lambda: lst.play_requested.emit(tid))
    menu.addAction(SELECT_TEXT, lambda: lst.select_requested.emit(tid))
    ids = lst.menu_tracks(tid)
    menu.addAction(play_next_text(len(ids)), lambda: lst.play_next_requested.emit(ids))
    menu.addAction(f"Add {len(ids)} to queue" if len(ids) > 1 else ADD_TO_QUEUE_TEXT,
                   lambda: lst.queue_requested.emit(ids))
    menu.addAction("Play similar (radio)", lambda: lst.play_similar_requested.emit(tid))
    return menu


class ArtistDelegate(QStyledItemDelegate):
    """The Artist column's cells, elided at their end: a name's start is what is read."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight
        # one line, while titles wrap (TrackList._fit_rows): "8bit" over "Lumvelix" read as
        # two names
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class TitleDelegate(QStyledItemDelegate):
    """The Title column's cells, as high as their title wrapped to the column's width (Qt's
    tree asks a cell's height of an unbounded width: a wrapped title kept one line's height,
    elided at both ends of the line it got), up to :data:`WRAP_LINES` lines: Qt elides the
    last one (a 300-character title made its row 8 lines tall; the tooltip holds it whole)."""

    unbounded = False
    """Set while the list measures the width its titles need whole (one line each)."""

    def sizeHint(self, option: QStyleOptionViewItem, index):  # noqa: N802 - Qt API
        view = self.parent()
        sized = QStyleOptionViewItem(option)
        # any tree view: the Playlist tab's is one over a model, not a tree widget
        if isinstance(view, QTreeView) and view.wordWrap() and not self.unbounded:
            sized.rect = QRect(0, 0, view.columnWidth(index.column()), option.fontMetrics.height())
            hint = super().sizeHint(sized, index)
            one_line = super().sizeHint(option, index).height()  # (unbounded: one line)
            extra = (WRAP_LINES - 1) * option.fontMetrics.lineSpacing()
            hint.setHeight(min(hint.height(), one_line + extra))
            return hint
        return super().sizeHint(sized, index)


class TrackListMixin:
    """What every track list does, whatever holds its rows (a tree widget's items, a model's):
    the Title column kept where the user dragged it, Title and Artist sharing the width at
    each resize, titles wrapped in a short list, Enter and Ctrl+Enter, the rows' menu. Mixed
    into :class:`TrackList` (a QTreeWidget) and :class:`~musicsage.gui.track_view.TrackView`
    (a QTreeView), which declare the signals and measure their columns. TrackView used to
    borrow TrackList's methods, which ran on a class they were not written for. A row's first
    cell holds its track id. Its state starts from the class defaults below (one copy)."""

    _user_sized = False
    """The user dragged Title's border: their width is kept."""
    _dragging_header = False
    _needs: tuple[int, ...] | None = None
    """The widths the columns need (:meth:`_needed`), kept until the rows, the header or the
    font change: a resize (the scroll bar coming with a long list, a drag of the window's
    edge) measured 1,000 rows of each column again, 30 ms at each step."""

    def _keep_low_minimum(self) -> None:
        """Low enough for a 1024x640 window with the training dock open: header and two rows.
        Qt's default minimum (~70 px) for each of a panel's two lists pushed the window's
        minimum over 640 px, and the status bar and the dock's last rows off the screen; a
        list scrolls, and shows more rows wherever the window has the room."""
        rows = 2 * (self.fontMetrics().height() + 2)
        self.setMinimumHeight(self.header().sizeHint().height() + rows + 2 * self.frameWidth())

    def _track_at(self, index: QModelIndex) -> int:
        """The track id of ``index``'s row."""
        return int(index.siblingAtColumn(0).data(TRACK_ID_ROLE))

    # -- columns --------------------------------------------------------------------------------
    def _share_width(self, free: int, title: int, artist: int) -> None:
        """Title and Artist share ``free`` px by what they need whole (:func:`split_width`);
        empty, as a list of long names would: Title took all but "Artist"'s own word, and the
        header read as a list of titles only."""
        needs = (title, artist) if self.model().rowCount() else (free, int(free * ARTIST_SHARE))
        self.header().resizeSection(1, split_width(free, *needs))
        self._fit_rows()

    def _width_needed(self, column: int, cell: Callable[[], int]) -> int:
        """The wider of the column's header and its widest cell (``cell()``, measured with
        titles unwrapped), and :data:`CELL_SLACK` more."""
        self._title_delegate.unbounded = True
        try:
            return max(self.header().sectionSizeHint(column), cell() + CELL_SLACK)
        finally:
            self._title_delegate.unbounded = False

    def _fit_rows(self) -> None:
        """Titles too long for their column wrap onto a second line where the list has the
        height to give every row two (a short list in a tall panel), else they are elided.
        At 1400x900 "Glasshouse (Weightless Mix)" read "Glasshouse …htless Mix" above half a
        list's height left blank."""
        line = self.fontMetrics().lineSpacing()
        rows = self.model().rowCount()
        wrap = 0 < rows * (WRAP_LINES * line + CELL_SLACK) <= self.viewport().height()
        if wrap != self.wordWrap():
            self.setUniformRowHeights(not wrap)  # (a long list keeps Qt's fast path)
            self.setWordWrap(wrap)
        if wrap:
            self.doItemsLayout()  # each row's height for its title's width now

    def _forget_needs(self, *_args) -> None:
        self._needs = None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        """Another font or style: the columns' widths are measured again."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._needs = None

    def _section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == 1 and self._dragging_header:
            self._user_sized = True  # the user dragged the border: keep their width

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """The header's mouse button held: a Title resize then is the user's drag."""
        if event.type() == QEvent.Type.MouseButtonPress:
            self._dragging_header = True
        elif event.type() == QEvent.Type.MouseButtonRelease:
            self._dragging_header = False
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_columns()

    # -- actions ---------------------------------------------------------------------------------
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        """The menu of the row under the mouse, or from the keyboard (the Menu key,
        Shift+F10) of the current row, placed under its title. Qt gives a mouse's position in
        the viewport but the keyboard's in the list, header included: read as the viewport's,
        it opened the menu for a row further down."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            if not index.isValid():
                return
            self.scrollTo(index)
            rect = self.visualRect(index.siblingAtColumn(0))
            pos = QPoint(rect.left() + self.header().sectionSize(0), rect.bottom())
        else:
            pos = event.pos()
            index = self.indexAt(pos)
            if not index.isValid():
                return
        run_once(self.context_menu(self._track_at(index)), self.viewport().mapToGlobal(pos))

    def context_menu(self, tid: int) -> QMenu:
        """A row's menu (its own method, so that it is checked without opening it)."""
        return track_menu(self, tid)

    def menu_tracks(self, tid: int) -> list[int]:
        """The tracks a row's menu puts in the queue (:func:`menu_tracks`)."""
        return menu_tracks(self.selected_track_ids(), tid)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter plays the current row, Ctrl+Enter selects it (its neighbours shown)."""
        index = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.select_requested.emit(self._track_at(index))
            else:
                self.play_requested.emit(self._track_at(index))
            return
        super().keyPressEvent(event)


class TrackList(TrackListMixin, QTreeWidget):
    """A flat list of tracks; Enter or double-click asks to play the current row."""

    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    play_next_requested = Signal(list)  # the menu's tracks: into the queue after its current one
    queue_requested = Signal(list)  # the menu's tracks: at the queue's end
    select_requested = Signal(int)  # Ctrl+Enter or the row's menu: make it the selected track
    current_track_changed = Signal(int)  # track id of the current row (-1: none)

    def __init__(self, parent: QWidget | None = None, *, multi: bool = False) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                              else QAbstractItemView.SelectionMode.SingleSelection)
        self.setHeaderLabels(["", "Title", "Artist", "Sim."])
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(16)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 18)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(self._section_resized)
        self._artist_delegate = ArtistDelegate(self)
        self.setItemDelegateForColumn(2, self._artist_delegate)
        self._title_delegate = TitleDelegate(self)
        self.setItemDelegateForColumn(1, self._title_delegate)
        header.viewport().installEventFilter(self)
        self.itemActivated.connect(self._activated)
        self.currentItemChanged.connect(self._current_changed)
        self.rows: list[dict] = []
        self._why: dict[int, str] = {}
        """Each listed track's reason (:meth:`why_of`), its first row's."""
        model = self.model()
        for changed in (model.rowsInserted, model.rowsRemoved, model.modelReset,
                        model.dataChanged, model.headerDataChanged, model.layoutChanged):
            changed.connect(self._forget_needs)
        self._keep_low_minimum()

    def set_rows(self, rows: list[dict], common: set[int] = frozenset()) -> int | None:
        """Show ``rows``. The same tracks in the same order (the lists explained again once a
        track's tags arrive) keep the current row, the selection and the scroll: a second
        after a click, the row being read was lost. The kept current row's track id, if any."""
        same = bool(rows) and [int(r["track_id"]) for r in rows] == self.track_ids()
        view = self._view() if same else None
        self._fill(rows, common)
        return self._restore(*view) if view is not None else None

    def _view(self) -> tuple[int | None, list[int], int]:
        """(current row's track id, selected track ids, scroll position)."""
        current = self.currentItem()
        return (int(current.data(0, TRACK_ID_ROLE)) if current is not None else None,
                self.selected_track_ids(), self.verticalScrollBar().value())

    def _restore(self, current: int | None, selected: list[int], scroll: int) -> int | None:
        """Put back what :meth:`_view` saw; the current row's track id (None: none). One row
        a selected track, its first (the current row for the current track): a list holding
        a track twice had every copy selected again, two rows in single selection."""
        wanted = set(selected)
        found = None
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            tid = int(item.data(0, TRACK_ID_ROLE))
            if tid == current and found is None:  # its first row, as why_of
                self.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
                found = tid
            if tid in wanted:
                wanted.discard(tid)
                item.setSelected(True)
        self.verticalScrollBar().setValue(scroll)
        return found

    def _fill(self, rows: list[dict], common: set[int]) -> None:
        self.clear()
        self.rows = list(rows)
        self._why = {}
        bold = QFont(self.font())
        bold.setBold(True)
        # an untitled track named as the map and the track box name it (its row was blank)
        names = [shown_title(r.get("title"), str(r.get("path") or ""), int(r["track_id"]))
                 for r in rows]
        titles = told_apart([printable(name) for name in names],  # alike: " (m4a)"
                            [str(r.get("path") or "") for r in rows],
                            [int(r["track_id"]) for r in rows],
                            [(name, r.get("artist")) for name, r in zip(names, rows)])
        for row, title in zip(rows, titles):
            tid = int(row["track_id"])
            both = tid in common
            score = row.get("score")
            # the cells show names on one line (control characters visible); ``rows`` keep
            # them as written: a list saved as a playlist writes the real names. The path as
            # a person reads it: a dataset track's tooltip showed its "dataset:DIR#id" key
            artist = printable(row.get("artist") or "")
            path = printable(shown_place(str(row["path"]))) if row.get("path") else ""
            item = QTreeWidgetItem([BOTH_MARK if both else "", title, artist,
                                    f"{float(score):.3f}" if score is not None else ""])
            item.setData(0, TRACK_ID_ROLE, tid)
            why = printable((row.get("why") or {}).get("text", ""))
            item.setData(0, WHY_ROLE, why)
            self._why.setdefault(tid, why)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            # the names set apart: a right-to-left title made the tooltip a right-to-left
            # paragraph, drawn flush right as "Artist — Title"
            tip = (f"{isolated(title)} — {isolated(artist)}" if artist else isolated(title)) + (
                f"\n{path}" if path else "")
            if why:
                tip += f"\nWhy: {why}"
            for c in range(4):
                item.setToolTip(c, plain_tooltip(tip))
            if both:
                item.setToolTip(0, plain_tooltip("also in the other list\n" + tip))
                for c in range(4):
                    item.setFont(c, bold)
                    item.setBackground(c, QBrush(BOTH_TINT))
            self.addTopLevelItem(item)
        self._fit_columns()

    def track_ids(self) -> list[int]:
        return [int(self.topLevelItem(i).data(0, TRACK_ID_ROLE)) for i in range(self.topLevelItemCount())]

    def selected_track_ids(self) -> list[int]:
        """The selected rows' track ids, in list order. A row already taken out of the list
        is skipped: asked while the list was cleared for a rebuild, Qt still counted it
        selected, and reading it raised (467 tracebacks rebuilding 8,000 selected rows)."""
        # the rows' numbers from the selection itself: an item's number is a search of the
        # list (8,000 selected rows: 0.5 s on the window's thread at each selection change)
        spans = [s for s in self.selectionModel().selection() if not s.parent().isValid()]
        rows = sorted({r for s in spans for r in range(s.top(), s.bottom() + 1)})
        items = (self.topLevelItem(r) for r in rows)
        return [int(item.data(0, TRACK_ID_ROLE)) for item in items if item is not None]

    def why_of(self, track_id: int) -> str:
        """Why the track is listed (a row's reason), looked up: each move of the current row
        asks, and scanning 8,000 rows for it held the window."""
        return self._why.get(int(track_id), "")

    # -- columns --------------------------------------------------------------------------------
    def set_score_tip(self, text: str) -> None:
        """The tooltip of the score column's header (what "Sim." measures)."""
        self.headerItem().setToolTip(3, plain_tooltip(text))

    def _fit_columns(self) -> None:
        """Title and Artist share the free width by what they hold (:func:`split_width`),
        unless the user has sized Title."""
        if self._user_sized:
            return
        header = self.header()
        if self._needs is None:
            self._needs = (self._needed(3), self._needed(1), self._needed(2))
        # Sim. fits its contents: the header sizes it later, to new rows
        score, title, artist = self._needs
        self._share_width(self.viewport().width() - header.sectionSize(0) - score, title, artist)

    def _needed(self, column: int) -> int:
        """The width that shows the column's header and rows whole (bold rows included), and
        :data:`CELL_SLACK` more."""
        return self._width_needed(column, lambda: self.sizeHintForColumn(column))

    # -- actions ---------------------------------------------------------------------------------
    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        self.play_requested.emit(int(item.data(0, TRACK_ID_ROLE)))

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        self.current_track_changed.emit(int(current.data(0, TRACK_ID_ROLE)) if current else -1)
