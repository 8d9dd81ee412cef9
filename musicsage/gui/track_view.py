"""A :class:`~musicsage.gui.track_list.TrackList` over a model: the same columns, keys, menu and
signals, for a list too long to build item by item (the Playlist tab's 8,000 rows).

Its rows are read as the tree widget's were (:meth:`TrackView.topLevelItem` gives a
:class:`~musicsage.gui.playlist_rows.PlaylistItem`), so the panel's callers and scripts keep
their words; each is made when asked, and the same one is given until the rows change.
"""

from __future__ import annotations

import heapq

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QMenu, QStyleOptionViewItem,
                               QTreeView, QWidget)

from musicsage.gui.menu_letters import run_once
from musicsage.gui.playlist_rows import PlaylistItem, PlaylistRowsModel
from musicsage.gui.track_list import (ARTIST_SHARE, CELL_SLACK, WRAP_LINES, ArtistDelegate,
                                      TitleDelegate, TrackList, split_width)

MEASURED = 200
"""Texts of a column measured in the font to find its widest (:meth:`TrackView._needed`)."""


class ViewTitleDelegate(TitleDelegate):
    """:class:`TitleDelegate` for a tree view: its wrap (a short list in a tall panel) looked
    for a tree *widget* only."""

    def sizeHint(self, option: QStyleOptionViewItem, index):  # noqa: N802 - Qt API
        view = self.parent()
        if not (isinstance(view, QTreeView) and view.wordWrap()) or self.unbounded:
            return super().sizeHint(option, index)
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, view.columnWidth(index.column()), option.fontMetrics.height())
        hint = super(TitleDelegate, self).sizeHint(sized, index)
        one_line = super(TitleDelegate, self).sizeHint(option, index).height()
        extra = (WRAP_LINES - 1) * option.fontMetrics.lineSpacing()
        hint.setHeight(min(hint.height(), one_line + extra))
        return hint


class TrackView(QTreeView):
    """Rows of a :class:`PlaylistRowsModel`; Enter or double-click asks to play the current
    row, Ctrl+Enter to select it, the menu offers both and "Play similar"."""

    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    select_requested = Signal(int)
    current_track_changed = Signal(int)  # track id of the current row (-1: none)
    itemSelectionChanged = Signal()  # noqa: N815 - the tree widget's name, kept for callers

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = PlaylistRowsModel(self)
        self.setModel(self.rows_model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._set_up_header()
        self._user_sized = False
        self._dragging_header = False
        self._needs: tuple[int, ...] | None = None
        """The widths #, Title, Artist and Time need, kept until the rows or the font change."""
        self._items: dict[int, PlaylistItem] = {}
        self.activated.connect(lambda index: self.play_requested.emit(self._track(index)))
        selection = self.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.itemSelectionChanged.emit())
        selection.currentRowChanged.connect(
            lambda index, _old: self.current_track_changed.emit(
                self._track(index) if index.isValid() else -1))
        model = self.rows_model
        model.modelAboutToBeReset.connect(self._items.clear)
        for changed in (model.modelReset, model.dataChanged, model.layoutChanged):
            changed.connect(self._forget_needs)
        self._keep_low_minimum()

    def _set_up_header(self) -> None:
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(16)
        # # and Time sized by :meth:`_fit_columns` from one measure of the rows: "resize to
        # contents" measured them again at each layout, each cell read through Python
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.sectionResized.connect(self._section_resized)
        header.viewport().installEventFilter(self)
        self._artist_delegate = ArtistDelegate(self)
        self.setItemDelegateForColumn(2, self._artist_delegate)
        self._title_delegate = ViewTitleDelegate(self)
        self.setItemDelegateForColumn(1, self._title_delegate)

    _keep_low_minimum = TrackList._keep_low_minimum

    # -- rows, read as a tree widget's ---------------------------------------------------------
    def topLevelItemCount(self) -> int:  # noqa: N802 - the tree widget's name
        return self.rows_model.rowCount()

    def topLevelItem(self, row: int) -> PlaylistItem | None:  # noqa: N802 - as above
        if not 0 <= row < self.topLevelItemCount():
            return None
        if row not in self._items:
            self._items[row] = PlaylistItem(self.rows_model.index(row, 0), self.selectionModel())
        return self._items[row]

    def currentItem(self) -> PlaylistItem | None:  # noqa: N802 - as above
        index = self.currentIndex()
        return self.topLevelItem(index.row()) if index.isValid() else None

    def setCurrentItem(self, item: PlaylistItem) -> None:  # noqa: N802 - as above
        self.selectionModel().setCurrentIndex(
            item.index(), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def indexOfTopLevelItem(self, item: PlaylistItem | None) -> int:  # noqa: N802 - as above
        return item.row() if item is not None else -1

    def visualItemRect(self, item: PlaylistItem) -> QRect:  # noqa: N802 - as above
        return self.visualRect(item.index())

    def scrollToItem(self, item: PlaylistItem) -> None:  # noqa: N802 - as above
        self.scrollTo(item.index())

    def itemAt(self, pos: QPoint) -> PlaylistItem | None:  # noqa: N802 - as above
        index = self.indexAt(pos)
        return self.topLevelItem(index.row()) if index.isValid() else None

    def clear(self) -> None:
        """No rows (no selection left to count: the panel's button says so)."""
        self.rows_model.show(())
        self.itemSelectionChanged.emit()

    def _track(self, index: QModelIndex) -> int:
        return int(self.rows_model.rows[index.row()].track_id)

    def track_ids(self) -> list[int]:
        return [row.track_id for row in self.rows_model.rows]

    def selected_track_ids(self) -> list[int]:
        """The selected rows' track ids, in list order (read from the selection's runs)."""
        spans = [s for s in self.selectionModel().selection() if not s.parent().isValid()]
        rows = sorted({r for s in spans for r in range(s.top(), s.bottom() + 1)})
        listed = self.rows_model.rows
        return [listed[r].track_id for r in rows if r < len(listed)]

    def why_of(self, track_id: int) -> str:
        return self.rows_model.why_of(track_id)

    # -- columns (as :class:`TrackList`'s) -------------------------------------------------------
    def _fit_columns(self) -> None:
        """Title and Artist share the free width by what they hold, unless the user sized
        Title."""
        header = self.header()
        if self._needs is None:
            self._needs = tuple(self._needed(c) for c in range(4))
        place, title, artist, time = self._needs
        header.resizeSection(0, place)
        header.resizeSection(3, time)
        if self._user_sized:
            return
        free = self.viewport().width() - place - time
        needs = ((title, artist) if self.topLevelItemCount()
                 else (free, int(free * ARTIST_SHARE)))
        header.resizeSection(1, split_width(free, *needs))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Titles wrap onto two lines where every row has the height (a short list)."""
        line = self.fontMetrics().lineSpacing()
        wrap = 0 < self.topLevelItemCount() * (WRAP_LINES * line + CELL_SLACK) \
            <= self.viewport().height()
        if wrap != self.wordWrap():
            self.setUniformRowHeights(not wrap)  # (a long list keeps Qt's fast path)
            self.setWordWrap(wrap)
        if wrap:
            self.doItemsLayout()

    def _needed(self, column: int) -> int:
        """The width that shows the column's header and rows whole, and a little more: the
        cell of its widest text (by the font's measure of every row's text) asked of the
        view. Qt's own measure asked each of 1,000 rows' cells ten roles through Python."""
        widest = self._widest_row(column)
        self._title_delegate.unbounded = True
        try:
            cell = (self.sizeHintForIndex(self.rows_model.index(widest, column)).width()
                    if widest >= 0 else 0)
            return max(self.header().sectionSizeHint(column), cell + CELL_SLACK)
        finally:
            self._title_delegate.unbounded = False

    def _widest_row(self, column: int) -> int:
        """The row whose text in ``column`` is the widest in the list's font (-1: no rows),
        of the :data:`MEASURED` texts longest in UTF-8 (wide scripts weigh more): measuring
        each of 8,000 titles took 0.1 s."""
        texts = [self.rows_model.text(row, column) for row in self.rows_model.rows]
        if not texts:
            return -1
        longest = heapq.nlargest(MEASURED, set(texts), key=lambda text: len(text.encode()))
        return texts.index(max(longest, key=self.fontMetrics().horizontalAdvance))

    def _forget_needs(self, *_args) -> None:
        self._needs = None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._needs = None

    def _section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == 1 and self._dragging_header:
            self._user_sized = True

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
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
        """The menu of the row under the mouse, or from the keyboard of the current row,
        under its title."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            if not index.isValid():
                return
            self.scrollTo(index)
            rect = self.visualRect(index)
            pos = QPoint(rect.left() + self.header().sectionSize(0), rect.bottom())
        else:
            pos = event.pos()
            index = self.indexAt(pos)
            if not index.isValid():
                return
        run_once(self.context_menu(self._track(index)), self.viewport().mapToGlobal(pos))

    def context_menu(self, tid: int) -> QMenu:
        """A row's menu: every track list's entries."""
        return TrackList.context_menu(self, tid)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        index = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.select_requested.emit(self._track(index))
            else:
                self.play_requested.emit(self._track(index))
            return
        super().keyPressEvent(event)
