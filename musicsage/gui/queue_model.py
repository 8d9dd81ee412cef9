"""The Queue tab's rows as a model: a row's text and tooltip are made when the view asks for
them (the rows on screen), and a change of the queue reaches the view as the least it changed.

The panel rebuilt every row on each change of the queue: "Play in order" of a 28,356-track
map froze the window for a second, and so did every move of a row and every next track
(0.7 s). Now a new queue resets the model once, the next track repaints its two rows, a moved
row repaints the rows between its two places, a radio's refill adds its rows at the end, a
track put in ("Play next") adds its row and a removed row is taken out; only what fits none
of these resets the model.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from musicsage.gui.plain import plain_tooltip

PLAYING = "▶ "
CURRENT = "› "  # the queue's current track while nothing can play (no audio output)
PARTS_ROLE = Qt.ItemDataRole.UserRole + 1  # (mark, "9.", label) of a row, drawn in columns


def _row_keys(labels: Sequence[str]) -> tuple:
    """What tells the rows apart: the track ids of the controller's labels, else the labels."""
    track_ids = getattr(labels, "track_ids", None)
    return tuple(track_ids) if track_ids is not None else tuple(labels)


def _first_difference(a: Sequence, b: Sequence) -> int:
    """The first index where ``a`` and ``b`` differ (the shorter's length if one starts the
    other)."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


class QueueModel(QAbstractListModel):
    """The queue's rows: "▶ 3. Title — Artist", the current track marked (› where nothing can
    play). Rows can be dragged; a drop is the view's to tell (the queue moves the track)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._labels: Sequence[str] = ()
        self._keys: tuple = ()
        self.current = -1
        self.mark = PLAYING

    # -- what the view reads -----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._keys):
            return None
        if role == Qt.ItemDataRole.DisplayRole:  # what a screen reader says, and scripts read
            playing = row == self.current
            return (self.mark if playing else "    ") + f"{row + 1}. {self._labels[row]}"
        if role == PARTS_ROLE:
            mark = self.mark.strip() if row == self.current else ""
            return mark, f"{row + 1}.", self._labels[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._labels[row])
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():  # drops go between rows, never onto one
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction

    @property
    def queue(self) -> Any:
        """Which queue the rows are (the labels' ``queue``; None: not said): a new one's rows
        are not the old rows moved."""
        return getattr(self._labels, "queue", None)

    def key(self, row: int) -> Any:
        """What row ``row`` holds (a track id), to find it again after a change (None: none)."""
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def row_of(self, key: Any, near: int) -> int:
        """The row holding ``key`` now (``near`` when it still does, or holds it no more)."""
        if key is None or self.key(near) == key or key not in self._keys:
            return near
        return self._keys.index(key)

    # -- what the panel tells ----------------------------------------------------------------
    def show(self, labels: Sequence[str], current: int, mark: str) -> None:
        """The queue is now ``labels`` with ``current`` marked ``mark``: tell the view the
        least that changed (see the module's docstring)."""
        keys, old = _row_keys(labels), self._keys
        marked = ({self.current, current} if (self.current, self.mark) != (current, mark)
                  else set())
        moved = _one_moved(keys, old)
        if keys == old or moved is not None:  # the same rows, or one moved: repainted
            self._set(labels, keys, current, mark)
            if moved is not None:
                self.dataChanged.emit(self.index(moved[0]), self.index(moved[1]))
                marked -= set(range(moved[0], moved[1] + 1))
        elif 0 < len(old) < len(keys) and keys[:len(old)] == old:  # a radio's refill
            self.beginInsertRows(QModelIndex(), len(old), len(keys) - 1)
            self._set(labels, keys, current, mark)
            self.endInsertRows()
        elif (added := _one_removed(old, keys)) is not None:  # "Play next": one row put in
            self.beginInsertRows(QModelIndex(), added, added)
            self._set(labels, keys, current, mark)
            self.endInsertRows()
        elif (removed := _one_removed(keys, old)) is not None:
            self.beginRemoveRows(QModelIndex(), removed, removed)
            self._set(labels, keys, current, mark)
            self.endRemoveRows()
        else:  # a new queue
            self.beginResetModel()
            self._set(labels, keys, current, mark)
            self.endResetModel()
            return
        self._repaint(marked)

    def _set(self, labels: Sequence[str], keys: tuple, current: int, mark: str) -> None:
        self._labels, self._keys, self.current, self.mark = labels, keys, current, mark

    def _repaint(self, rows: set[int]) -> None:
        for row in sorted(r for r in rows if 0 <= r < len(self._keys)):
            self.dataChanged.emit(self.index(row), self.index(row))


def _one_moved(keys: tuple, old: tuple) -> tuple[int, int] | None:
    """``(first, last)``: the rows between which one row of ``old`` moved to leave ``keys``
    (up or down), if that is all that changed; else None."""
    if len(keys) != len(old) or keys == old:
        return None
    first = _first_difference(keys, old)
    last = len(keys) - 1 - _first_difference(keys[::-1], old[::-1])
    down = old[first] == keys[last] and old[first + 1:last + 1] == keys[first:last]
    up = keys[first] == old[last] and keys[first + 1:last + 1] == old[first:last]
    return (first, last) if down or up else None


def _one_removed(keys: tuple, old: tuple) -> int | None:
    """The row taken out of ``old`` to leave ``keys``, if that is all that changed."""
    if len(keys) != len(old) - 1:
        return None
    row = _first_difference(keys, old)
    return row if keys[row:] == old[row + 1:] else None


class QueueRow:
    """One row of the queue as a QListWidget's item was read (by scripts and tests): its
    number, its text, its tooltip."""

    def __init__(self, index: QModelIndex) -> None:
        self._index = QPersistentModelIndex(index)

    def row(self) -> int:
        return self._index.row()

    def index(self) -> QModelIndex:
        return QModelIndex(self._index)

    def text(self) -> str:
        return self._index.data(Qt.ItemDataRole.DisplayRole) or ""

    def toolTip(self) -> str:  # noqa: N802 - QListWidgetItem's name
        return self._index.data(Qt.ItemDataRole.ToolTipRole) or ""
