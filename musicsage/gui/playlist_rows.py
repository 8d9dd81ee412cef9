"""The Playlist tab's rows as a model: a row's cells, tooltip and grey are made when the view
asks for them (the rows on screen), so showing a playlist of any length is one model reset.

The tab built one QTreeWidgetItem per entry, each with four tooltips and its own grey: an
8,002-track playlist held the window 2 s each time it was chosen, and each re-read of the
library as long again. Filling it 500 rows at a time made the next choice take 10-60 s
inside Qt's ``clear()`` when a row near the end was current.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QItemSelectionModel, QModelIndex,
                            QPersistentModelIndex, Qt)
from PySide6.QtGui import QBrush

from musicsage.controllers.playlist_tracks import PlaylistRow
from musicsage.gui.plain import plain_tooltip
from musicsage.gui.track_list import TRACK_ID_ROLE, WHY_ROLE
from musicsage.text import format_length, sentence

HEADERS = ("#", "Title", "Artist", "Time")
WHY_NOT_PLAYABLE = {"missing": "The file is missing (moved or deleted?)",
                    "no file": "No audio file", "not found": "Not in the library"}
CELL_TEXT = (lambda row: str(row.position), lambda row: row.title, lambda row: row.artist,
             lambda row: row.missing or format_length(row.duration))
"""Each column's text of a row: # · Title · Artist · Time (or why it cannot play)."""
RIGHT_VALUE = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def why_not_playable(row: PlaylistRow) -> str:
    """Why the row cannot play, with its path ("" when it can). A track without a file has
    for its path the reason already ("no audio file (imported from DIR)"): said once, where
    it read "Why: No audio file: no audio file (imported from …)"."""
    if not row.missing:
        return ""
    why = WHY_NOT_PLAYABLE.get(row.missing, row.missing)
    if row.path.casefold().startswith(why.casefold()):
        return sentence(row.path)
    return f"{why}: {row.path}"


class PlaylistRowsModel(QAbstractTableModel):
    """# · Title · Artist · Time of each entry; a row that cannot play is in :attr:`grey`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: tuple[PlaylistRow, ...] = ()
        self.grey = QBrush()
        self._first_row: dict[int, int] = {}
        self._readers = self._role_readers()

    def show(self, rows: tuple[PlaylistRow, ...]) -> None:
        """List ``rows`` instead: one reset, whatever their number."""
        self.beginResetModel()
        self.rows = rows
        self._first_row = {}
        for i, row in enumerate(rows):
            self._first_row.setdefault(row.track_id, i)
        self.endResetModel()

    def set_grey(self, grey: QBrush) -> None:
        """The brush of the rows that cannot play (the theme's hint grey): they repaint."""
        self.grey = grey
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 3),
                                  [Qt.ItemDataRole.ForegroundRole])

    def why_of(self, track_id: int) -> str:
        """The reason the track's first row cannot play ("" when it can, or is not listed)."""
        row = self._first_row.get(int(track_id))
        return why_not_playable(self.rows[row]) if row is not None else ""

    # -- what the view reads -----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's ``role``: looked up, not tested role by role (the view asks some ten
        roles of each of the 4,000 cells it measures, through Python)."""
        read = self._readers.get(role)
        if read is None or not 0 <= index.row() < len(self.rows):
            return None
        return read(self.rows[index.row()], index.column())

    # -- each role of a cell --------------------------------------------------------------------
    @staticmethod
    def text(row: PlaylistRow, column: int) -> str:
        """The cell's text: that column's alone (all four made at each call, measuring a
        30,000-track playlist's widths wrote every time 120,000 times)."""
        return CELL_TEXT[column](row)

    @staticmethod
    def _tooltip(row: PlaylistRow, _column: int) -> str:
        why = why_not_playable(row)
        return plain_tooltip(f"{row.title} — {row.artist}\n{row.path}"
                             + (f"\n{why}" if why else ""))

    def _colour(self, row: PlaylistRow, _column: int) -> QBrush | None:
        return self.grey if row.missing else None

    def _role_readers(self) -> dict:
        """What :meth:`data` answers, by role (any other: nothing)."""
        return {Qt.ItemDataRole.DisplayRole: self.text,
                TRACK_ID_ROLE: lambda row, _c: row.track_id,
                WHY_ROLE: lambda row, _c: why_not_playable(row),
                Qt.ItemDataRole.ToolTipRole: self._tooltip,
                Qt.ItemDataRole.TextAlignmentRole:
                    lambda _row, c: RIGHT_VALUE if c in (0, 3) else None,
                Qt.ItemDataRole.ForegroundRole: self._colour}


class PlaylistItem:
    """One row as a QTreeWidgetItem of the tab was read and chosen (by scripts and tests):
    its cells' text, tooltip and colour, selected or not."""

    def __init__(self, index: QModelIndex, selection: QItemSelectionModel) -> None:
        self._index = QPersistentModelIndex(index)
        self._selection = selection

    def row(self) -> int:
        return self._index.row()

    def index(self, column: int = 0) -> QModelIndex:
        return QModelIndex(self._index).siblingAtColumn(column)

    def data(self, column: int, role: int) -> Any:
        return self.index(column).data(role)

    def text(self, column: int) -> str:
        return self.data(column, Qt.ItemDataRole.DisplayRole) or ""

    def toolTip(self, column: int) -> str:  # noqa: N802 - QTreeWidgetItem's name
        return self.data(column, Qt.ItemDataRole.ToolTipRole) or ""

    def foreground(self, column: int) -> QBrush:
        brush = self.data(column, Qt.ItemDataRole.ForegroundRole)
        return brush if isinstance(brush, QBrush) else QBrush()

    def isSelected(self) -> bool:  # noqa: N802 - QTreeWidgetItem's name
        return self._selection.isRowSelected(self.row(), QModelIndex())

    def setSelected(self, selected: bool) -> None:  # noqa: N802 - QTreeWidgetItem's name
        flag = (QItemSelectionModel.SelectionFlag.Select if selected
                else QItemSelectionModel.SelectionFlag.Deselect)
        self._selection.select(self.index(), flag | QItemSelectionModel.SelectionFlag.Rows)
