"""Right panel, "Queue" tab: what plays next (a radio from "Play similar", or a map region).

The track playing is marked ▶; drag rows (or use ↑/↓) to reorder, "Play next" in a row's menu
to move it to right after the current entry (as a drag there), Delete or "Remove" to drop one,
"Clear" to empty the queue, "Save as playlist…" to keep it as an M3U8. "Stay close / Drift"
chooses how a radio picks the tracks it adds (neighbours of the seed, or of the track before);
it is hidden while the queue is a fixed list (a map region played in order), which never adds
any. The queue itself lives in :class:`~musicsage.controllers.queue.QueueController`; this
widget shows it and reports what the user does. Its rows are a model
(:class:`~musicsage.gui.queue_model.QueueModel`): each row's text is made when it is on screen,
and a change of the queue repaints only the rows it changed.

The buttons are one row where the panel has the room, else two (the edits, then "Save as
playlist…" on its own): at 800x500 the one row needed 410-480 px (by font) of the panel's
~350, and "Save as playlist…" was cut to "e as playlis".
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import (QEvent, QModelIndex, QPoint, QRect, QSize, Qt, Signal,
                            SignalInstance)
from PySide6.QtGui import (QContextMenuEvent, QDropEvent, QFont, QFontMetrics, QKeyEvent,
                           QPainter, QPalette)
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView,
                               QMenu, QPushButton, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QVBoxLayout, QWidget)

from musicsage.controllers.queue import MODES
from musicsage.gui.explore_wiring import focus_keeping_ring
from musicsage.gui.heading_label import HeadingLabel
from musicsage.gui.menu_letters import lettered, run_once
from musicsage.gui.neighbours import hint_colour
from musicsage.gui.queue_model import CURRENT, PARTS_ROLE, PLAYING, QueueModel, QueueRow
from musicsage.gui.track_list import PLAY_NEXT_TEXT, SELECT_TEXT
from musicsage.text import printable

EMPTY = ("Nothing queued.\nUse “Play similar” on a track to start a radio, “Play playlist” "
         "on a playlist, or “Play in order” on a region of the map.")
"""What the empty tab says: each way to start a queue (selecting a region alone queues
nothing: its bar's Play in order does)."""


class NumberedRows(QStyledItemDelegate):
    """Draws a row as three columns: the playing mark, its number right-aligned, the label.
    In one text with spaces, "9." and "10." started in different columns (and the bold row
    of the playing track was wider still): the numbers are now aligned on their dots. The
    current track's row is bold."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                        index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        parts = index.data(PARTS_ROLE)
        if parts and parts[0]:  # marked: the queue's current track
            bold = QFont(option.font)
            bold.setBold(True)
            option.font = bold
            option.fontMetrics = QFontMetrics(bold)

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                 index: QModelIndex) -> QSize:
        """A row's height; no width of its own: a row is as wide as the list, its label
        elided in the middle (whole in its tooltip), rather than as wide as its words."""
        return QSize(1, super().sizeHint(option, index).height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        parts = index.data(PARTS_ROLE)
        if not parts:
            super().paint(painter, option, index)
            return
        mark, number, label = parts
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        bold = QFont(opt.font)
        bold.setBold(True)
        wide = QFontMetrics(bold)  # the columns' widths: the playing row is bold
        digits = len(str(index.model().rowCount()))
        left = opt.rect.adjusted(4, 0, 0, 0)
        mark_w = wide.horizontalAdvance(PLAYING)
        number_w = wide.horizontalAdvance("0" * digits + ".")
        painter.save()
        painter.setFont(opt.font)
        selected = opt.state & QStyle.StateFlag.State_Selected
        painter.setPen(opt.palette.color(opt.palette.ColorRole.HighlightedText if selected
                                         else opt.palette.ColorRole.Text))
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(left.x(), left.y(), mark_w, left.height()),
                         middle | Qt.AlignmentFlag.AlignLeft, mark)
        painter.drawText(QRect(left.x() + mark_w, left.y(), number_w, left.height()),
                         middle | Qt.AlignmentFlag.AlignRight, number)
        rest = left.adjusted(mark_w + number_w + wide.horizontalAdvance(" "), 0, -4, 0)
        painter.drawText(rest, middle | Qt.AlignmentFlag.AlignLeft, QFontMetrics(opt.font)
                         .elidedText(label, Qt.TextElideMode.ElideMiddle, rest.width()))
        painter.restore()


class QueueList(QListView):
    """The queue's rows: drag one to another place, Enter plays, Ctrl+Enter selects (its
    neighbours shown, as a click on its point does), Delete removes; the row's menu offers
    the three, and "Play next" (the row moved to right after the current entry, as a drag
    there moves it). One row is chosen at a time: Delete, ↑/↓, a drag and the menu each act
    on one row (with several highlighted, they acted on one of them, at times one not
    highlighted). The rows all have one height (the view never measures the 28,356 rows of a
    long queue one by one).
    Also read as a QListWidget was (:meth:`count`, :meth:`item`, :meth:`currentRow`), which
    scripts and tests of the queue do."""

    moved = Signal(int, int)  # from, to
    remove_requested = Signal(int)
    play_requested = Signal(int)  # index
    select_requested = Signal(int)  # index: make its track the selected one
    play_next_requested = Signal(int)  # index: moved to right after the current entry
    itemActivated = Signal(object)  # a QueueRow: a row double-clicked, or Enter on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue_model = QueueModel(self)
        self.setModel(self.queue_model)
        self.setUniformItemSizes(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setAlternatingRowColors(True)
        self.setItemDelegate(NumberedRows(self))
        self.activated.connect(lambda index: self.itemActivated.emit(QueueRow(index)))
        self.itemActivated.connect(lambda item: self.play_requested.emit(item.row()))

    def count(self) -> int:
        return self.queue_model.rowCount()

    def item(self, row: int) -> QueueRow:
        return QueueRow(self.queue_model.index(row))

    def currentRow(self) -> int:  # noqa: N802 - QListWidget's name
        return self.currentIndex().row()

    def setCurrentRow(self, row: int) -> None:  # noqa: N802 - QListWidget's name
        self.setCurrentIndex(self.queue_model.index(row))

    def visualItemRect(self, item: QueueRow) -> QRect:  # noqa: N802 - QListWidget's name
        return self.visualRect(item.index())

    def dataChanged(self, top_left: QModelIndex, bottom_right: QModelIndex,  # noqa: N802
                    roles: Sequence[int] = ()) -> None:
        """Rows' texts changed: repaint them. QListView lays every row out again on any
        change (twice into Python per row: 50 ms at 28,356 rows, on each next track); here
        the rows all have one size, which no change of their text alters."""
        QAbstractItemView.dataChanged(self, top_left, bottom_right, list(roles))

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        """A dragged row dropped between two others: the queue moves its track there (as
        ↑/↓ do; the rows follow the queue) and the selection goes with it."""
        source, target = self.currentRow(), self._drop_row(event.position().toPoint())
        to = target - 1 if target > source else target
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if 0 <= source < self.count() and to != source:
            self.moved.emit(source, to)
            self.setCurrentRow(to)

    def _drop_row(self, pos: QPoint) -> int:
        """The row a drop at ``pos`` goes before (after the last: the row count)."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.count()
        return index.row() + (pos.y() >= self.visualRect(index).center().y())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Delete and self.currentRow() >= 0:
            self.remove_requested.emit(self.currentRow())
            return
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.select_requested.emit(self.currentRow())
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        """The row's menu, under the mouse or (the Menu key, Shift+F10) the current row's."""
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        index = self.currentIndex() if keyboard else self.indexAt(event.pos())
        if index.isValid():
            pos = self.visualRect(index).bottomLeft() if keyboard else event.pos()
            menu = self.context_menu(index.row())
            run_once(menu, self.viewport().mapToGlobal(pos))

    def context_menu(self, row: int) -> QMenu:
        """A row's menu (its own method, so that it is checked without opening it); each
        entry has an access letter while it is shown (:func:`lettered`, as the menu bar's),
        and acts on the row's track where it is once chosen (:meth:`_row_then`)."""
        menu = lettered(QMenu(self))
        find = self._row_then(row)
        for text, signal in (("Play", self.play_requested), (SELECT_TEXT, self.select_requested),
                             (PLAY_NEXT_TEXT, self.play_next_requested),
                             ("Remove from queue", self.remove_requested)):
            menu.addAction(text, lambda s=signal: self._ask_for_row(s, find))
        return menu

    @staticmethod
    def _ask_for_row(signal: SignalInstance, find: Callable[[], int]) -> None:
        """Emit ``signal`` with the row ``find`` gives, unless its track is gone (-1)."""
        row = find()
        if row >= 0:
            signal.emit(row)

    def _row_then(self, row: int) -> Callable[[], int]:
        """What finds, later, the row of the track ``row`` holds now (-1: no longer queued). A
        menu is open for as long as its user reads it, and the queue changes meanwhile (the
        library forgot a track above, a radio asked for before replaced it): the row's number
        then named another track, which the menu removed or played. The track is looked for
        in whatever queue is there (a queue holds a track once): a new radio holding it still
        plays, selects or removes it."""
        model = self.queue_model
        key = model.key(row)

        def found() -> int:
            at = model.row_of(key, row)
            return at if key is not None and model.key(at) == key else -1
        return found


class QueuePanel(QWidget):
    mode_changed = Signal(str)
    move_requested = Signal(int, int)
    remove_requested = Signal(int)
    play_requested = Signal(int)  # index in the queue
    select_requested = Signal(int)  # index in the queue: select its track
    play_next_requested = Signal(int)  # index in the queue: moved to after the current entry
    clear_requested = Signal()
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # it names the seed track or the playlist, in two lines at most, elided, whole in its
        # tooltip: a long one-word name ("summer_hits_2019_…" of a file) was cut mid-word
        self.heading = HeadingLabel("Queue", self)
        self.mode = self._mode_choice()
        self.list = QueueList(self)
        self.list.setAccessibleName("Play queue")  # a reader said "list" and nothing more
        self.list.moved.connect(self.move_requested)
        self.list.remove_requested.connect(self.remove_requested)
        self.list.play_requested.connect(self.play_requested)
        self.list.select_requested.connect(self.select_requested)
        self.list.play_next_requested.connect(self.play_next_requested)
        self.list.selectionModel().currentChanged.connect(lambda *_a: self._enable_edits())
        self.empty = QLabel(EMPTY, self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self._tint_note()
        self.up_button = self._button("↑", "Move the selected track up", lambda: self._shift(-1))
        self.down_button = self._button("↓", "Move the selected track down", lambda: self._shift(1))
        self.remove_button = self._button("Remove", "Remove the selected track from the queue",
                                          self._remove)
        self.clear_button = self._button("Clear", "Empty the queue", self.clear_requested.emit)
        self.save_button = self._button("Save as playlist…", "Save the queue as an M3U8 playlist",
                                        self.save_requested.emit)
        # "↑" and "↓" are read out as "upwards arrow": say what they do
        self.up_button.setAccessibleName("Move up")
        self.down_button.setAccessibleName("Move down")
        self.edit_row, self.save_row = QHBoxLayout(), QHBoxLayout()
        for b in (self.up_button, self.down_button, self.remove_button):
            self.edit_row.addWidget(b)
        self.edit_row.addStretch(1)
        self.edit_row.addWidget(self.clear_button)
        self.save_row.addStretch(1)
        self.save_row.addWidget(self.save_button)
        self.save_on_own_row = True
        """"Save as playlist…" under the other buttons (a narrow panel), else beside them."""
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.note)
        layout.addLayout(self.edit_row)
        layout.addLayout(self.save_row)
        self._fit_buttons()
        self.show_queue([], -1, "", "", "close")

    def _mode_choice(self) -> QComboBox:
        """Stay close / Drift: how a radio picks the tracks it adds."""
        mode = QComboBox(self)
        for key, label in MODES:
            mode.addItem(label, key)
        mode.setToolTip("How a radio picks the next tracks: neighbours of the track it "
                        "started from, or of the track before")
        mode.currentIndexChanged.connect(lambda _i: self.mode_changed.emit(mode.currentData()))
        mode.setAccessibleName("How the radio picks")  # else read as its choice alone
        return mode

    def one_row_width(self) -> int:
        """The width the buttons need on one row, with the panel's margins."""
        buttons = (self.up_button, self.down_button, self.remove_button, self.clear_button,
                   self.save_button)
        margins = self.layout().contentsMargins()
        spacing = max(0, self.edit_row.spacing())
        return (sum(b.sizeHint().width() for b in buttons) + spacing * len(buttons)
                + margins.left() + margins.right())

    def _fit_buttons(self) -> None:
        """"Save as playlist…" beside the other buttons where they fit on one row, else on a
        row of its own (decided by the panel's width alone: the rows never change it)."""
        own_row = self.one_row_width() > self.width()
        if own_row == self.save_on_own_row:
            return
        self.save_on_own_row = own_row
        (self.edit_row if own_row else self.save_row).removeWidget(self.save_button)
        (self.save_row if own_row else self.edit_row).addWidget(self.save_button)
        self.layout().activate()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_buttons()

    def _tint_note(self) -> None:
        """The note in the faintest grey that still reads at 4.5:1 on the panel (palette(mid)
        was 1.7:1 on a light theme, 1.4:1 on a dark one); only that colour is set, so the
        rest follows the panel's palette."""
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.WindowText, hint_colour(self.palette()))
        self.note.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        """A new theme (light to dark): the note's grey follows it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._tint_note()
        elif event.type() == QEvent.Type.FontChange:  # wider words: the row may not fit
            self._fit_buttons()

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.clicked.connect(lambda _c=False: slot())
        return b

    def show_queue(self, labels: Sequence[str], current: int, name: str, note: str, mode: str,
                   *, can_play: bool = True, mode_applies: bool = True) -> None:
        """Show the queue: one row per track, the playing one marked ▶ (› when there is no
        audio output: the queue still has a current track, but nothing plays). Only the rows
        that changed are repainted, and the selected row stays where it was. ``mode_applies``
        (the controller's word: a radio, or the next one) shows the mode; a fixed list never
        refills, so the choice is hidden there."""
        focus = self.window().focusWidget()
        held = focus is not None and self.isAncestorOf(focus)  # the keyboard is in this tab
        # read now: Qt clears it as it moves the focus off a button greyed below
        keyboard = self.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
        model, row = self.list.queue_model, self.list.currentRow()
        chosen, queue = model.key(row), model.queue
        model.show(labels, current, PLAYING if can_play else CURRENT)
        # the same queue changed (a row above taken out: the library forgot its track): the
        # chosen track stays chosen where its row went (it kept the number, so the next track
        # was chosen, and Delete removed a track the user had not chosen); a new queue in its
        # place keeps the row number, in view (the choice jumped to the track's new row, and
        # the list scrolled there)
        if model.queue == queue:
            row = model.row_of(chosen, row)
        if 0 <= row < len(labels):
            self.list.setCurrentRow(row)
        self.heading.setText(printable(name) or "Queue")  # a line break in it shown as \x0a
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))
        self.mode.blockSignals(False)
        self.mode.setVisible(mode_applies)
        has = len(labels) > 0
        self.list.setVisible(has)
        self.empty.setVisible(not has)
        for b in (self.clear_button, self.save_button):
            b.setEnabled(has)
        self._enable_edits()
        if held:
            self._keep_focus(keyboard)

    def _keep_focus(self, keyboard: bool) -> None:
        """The focus stays in this tab when what held it went greyed or hidden (Clear
        pressed, the last row removed with Delete): Qt passed it on along the window's
        chain, to the library's search box at the far left, and a keyboard user lost their
        place. It goes to the list, else the radio's choice, else the panel itself, drawn as
        focused when ``keyboard`` (the window's mark of a keyboard's focus before the move)."""
        focus = self.window().focusWidget()
        if focus is not None and self.isAncestorOf(focus) and focus.isEnabled():
            return
        target = next((w for w in (self.list, self.mode) if w.isVisible() and w.isEnabled()),
                      self)
        focus_keeping_ring(self.window(), target, keyboard)

    def _enable_edits(self) -> None:
        """↑, ↓ and Remove on while a row is chosen and they can do something with it (the
        first row goes no higher): they were on with no row chosen, and did nothing."""
        row, count = self.list.currentRow(), self.list.count()
        on = {self.remove_button: 0 <= row < count, self.up_button: 0 < row < count,
              self.down_button: 0 <= row < count - 1}
        focus = self.window().focusWidget()
        if focus in on and not on[focus] and self.list.isVisibleTo(self):
            # the list, on the row: Qt passed the focus to the next button, so that Space
            # pressed on ↓ at the bottom went on to Remove, ↑ at the top on to ↓
            focus_keeping_ring(self.window(), self.list)
        for button, enabled in on.items():
            button.setEnabled(enabled)

    def _shift(self, step: int) -> None:
        row = self.list.currentRow()
        if row >= 0 and 0 <= row + step < self.list.count():
            self.move_requested.emit(row, row + step)
            self.list.setCurrentRow(row + step)

    def _remove(self) -> None:
        if self.list.currentRow() >= 0:
            self.remove_requested.emit(self.list.currentRow())
