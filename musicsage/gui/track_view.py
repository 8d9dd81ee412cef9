"""A :class:`~musicsage.gui.track_list.TrackList` over a model: the same columns, keys, menu and
signals (its :class:`~musicsage.gui.track_list.TrackListMixin`), for a list too long to build
item by item (the Playlist tab's 8,000 rows).

Its rows are read as the tree widget's were (:meth:`TrackView.topLevelItem` gives a
:class:`~musicsage.gui.playlist_rows.PlaylistItem`), so the panel's callers and scripts keep
their words; each is made when asked, and the same one is given until the rows change.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from musicsage.gui.playlist_rows import PlaylistItem, PlaylistRowsModel
from musicsage.gui.track_list import CELL_SLACK, ArtistDelegate, TitleDelegate, TrackListMixin

if TYPE_CHECKING:
    from musicsage.controllers.playlist_tracks import PlaylistRow

MEASURED = 200
"""Texts of a column measured in the font to find its widest (:meth:`TrackView._needed`)."""
SAMPLED_ROWS = 5_000
"""Rows whose texts are weighed to pick those :data:`MEASURED` (:func:`sampled_rows`)."""


class TrackView(TrackListMixin, QTreeView):
    """Rows of a :class:`PlaylistRowsModel`; Enter or double-click asks to play the current
    row, Ctrl+Enter to select it, the menu offers both, "Play next", "Add to queue" and "Play
    similar"."""

    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    play_next_requested = Signal(list)  # the menu's tracks: into the queue after its current one
    queue_requested = Signal(list)  # the menu's tracks: at the queue's end
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
        self._items: dict[int, PlaylistItem] = {}
        self._sampled: tuple[object, Sequence[int]] = ((), range(0))
        self.activated.connect(lambda index: self.play_requested.emit(self._track_at(index)))
        selection = self.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.itemSelectionChanged.emit())
        selection.currentRowChanged.connect(
            lambda index, _old: self.current_track_changed.emit(
                self._track_at(index) if index.isValid() else -1))
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
        self._title_delegate = TitleDelegate(self)
        self.setItemDelegateForColumn(1, self._title_delegate)

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
        """# and Time fit their widest rows; Title and Artist share the rest by what they
        hold, unless the user sized Title."""
        header = self.header()
        if self._needs is None:
            self._needs = tuple(self._needed(c) for c in range(4))
        place, title, artist, time = self._needs
        header.resizeSection(0, place)
        header.resizeSection(3, time)
        if not self._user_sized:
            self._share_width(self.viewport().width() - place - time, title, artist)

    def _needed(self, column: int) -> int:
        """The width that shows the column's header and rows whole, and a little more: the
        cell of its widest text (by the font's measure of every row's text) asked of the
        view. Qt's own measure asked each of 1,000 rows' cells ten roles through Python."""
        widest = self._widest_row(column)
        return self._width_needed(column, lambda: self.sizeHintForIndex(
            self.rows_model.index(widest, column)).width() if widest >= 0 else 0)

    def _widest_row(self, column: int) -> int:
        """The row whose text in ``column`` is the widest in the list's font (-1: no rows),
        of the :data:`MEASURED` texts with the most characters and the :data:`MEASURED` with
        the most UTF-8 bytes (wide scripts weigh more there; by bytes alone a short title of
        wide Latin letters was skipped). Measuring each of 8,000 titles took 0.1 s; the
        trade-off: a text with fewer characters and bytes than all of those, of wider letters,
        could still be wider, and be elided (its tooltip holds it whole)."""
        listed = self.rows_model.rows
        if self._sampled[0] is not listed:  # once for the four columns
            self._sampled = (listed, sampled_rows(listed))
        picked = self._sampled[1]
        texts = [self.rows_model.text(listed[row], column) for row in picked]
        if not texts:
            return -1
        distinct = set(texts)
        longest = {*heapq.nlargest(MEASURED, distinct, key=len),
                   *heapq.nlargest(MEASURED, distinct, key=lambda text: len(text.encode()))}
        return picked[texts.index(max(longest, key=self.fontMetrics().horizontalAdvance))]


def sampled_rows(rows: "Sequence[PlaylistRow]") -> "Sequence[int]":
    """The rows whose texts are weighed for a column's width: all of them up to
    :data:`SAMPLED_ROWS`; of a longer list, that many spread evenly over it, with the last
    (the widest #) and the first that cannot play for each reason (a lone "not found" in the
    Time column). Every text of a 30,000-track playlist weighed held the window 0.6 s each
    time it was chosen; the trade-off, past 5,000 rows: a text wider than any sampled one is
    elided (its tooltip holds it whole)."""
    count = len(rows)
    if count <= SAMPLED_ROWS:
        return range(count)
    step = count / SAMPLED_ROWS
    picked = {int(i * step) for i in range(SAMPLED_ROWS)} | {count - 1}
    unplayable: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row.missing and row.missing not in unplayable:
            unplayable[row.missing] = i
    return sorted(picked | set(unplayable.values()))
