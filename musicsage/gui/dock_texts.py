"""The training dock's column of texts — the status, the progress bar and Cancel, the runs'
key, the "Kept:" line and the model's line — and under them the evaluation's notes, kept in
sight.

The texts scroll when the dock is lower than they are, and the notes were the last of them:
at 1024x640, after a Retrain whose status says in seven lines what the run kept and mixed in,
the warning "only 43 evaluation pairs: too few for these figures to mean much" lay below the
fold, seen only by those who scrolled. The notes sit under the scrolling texts now, outside
them: the texts' area is as high as the texts where the dock has the room (the notes right
under them, as before), and gives way where it has not, so that the notes stay in view.
Kept apart from :mod:`musicsage.gui.training_dock` (at its size limit).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (QFrame, QLabel, QLayout, QScrollArea, QSizePolicy, QVBoxLayout,
                               QWidget)

LEAST_WIDTH = 160
"""The column's least width (px): the texts wrap in it, never cut."""


def texts_height(widget: QWidget, width: int) -> int:
    """How high ``widget`` (wrapped texts) is at ``width`` px: its own size hint wraps its
    lines at ~60 px."""
    return (widget.heightForWidth(width) if widget.hasHeightForWidth()
            else widget.sizeHint().height())


class TextsScroll(QScrollArea):
    """The texts in a scroll area that asks for their height at its width, and no more: the
    column's room beyond it goes under the notes, not between the texts and the notes."""

    def __init__(self, texts: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWidget(texts)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(LEAST_WIDTH)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # texts: nothing to act on
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        texts.installEventFilter(self)  # a text changed: its height may have

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = max(self.viewport().width(), self.minimumWidth())
        return QSize(super().sizeHint().width(),
                     texts_height(self.widget(), width) + 2 * self.frameWidth())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """A text changed, or a row was shown or hidden: the area takes the texts' new
        height at once (:meth:`follow`)."""
        if (watched is self.widget() and event.type() == QEvent.Type.LayoutRequest
                or watched is not self.widget()
                and event.type() in (QEvent.Type.Show, QEvent.Type.Hide)):
            self.follow()
        return super().eventFilter(watched, event)

    def watch_rows(self) -> None:
        """Follow the texts' rows as they are shown and hidden (the progress row at a run's
        start): Qt lays the texts out again at once, in the area's old height."""
        for row in self.widget().findChildren(QWidget):
            row.installEventFilter(self)

    def follow(self) -> None:
        """Take the texts' height now, and lay them out in it: laid out first in the old
        height, they were squeezed for a moment (the progress row, shown, pushed the model's
        line down less than its own height)."""
        self.updateGeometry()
        host = self.parentWidget()
        if host is not None and host.layout() is not None:
            host.layout().activate()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():  # its texts wrap anew
            self.updateGeometry()


def side_column(parent: QWidget, rows: list[QWidget | QLayout],
                notes: QLabel) -> tuple[QWidget, TextsScroll, QVBoxLayout]:
    """The texts (``rows``, widgets and layouts, top to bottom) in a :class:`TextsScroll`,
    and ``notes`` under it: (the texts' widget, their scroll area, the column)."""
    texts = QWidget()
    side = QVBoxLayout(texts)
    side.setContentsMargins(0, 0, 0, 0)
    for row in rows:
        if isinstance(row, QLayout):
            side.addLayout(row)
        else:
            side.addWidget(row)
    side.addStretch(1)
    scroll = TextsScroll(texts, parent)
    scroll.watch_rows()
    column = QVBoxLayout()
    column.setSpacing(side.spacing())
    column.addWidget(scroll)
    column.addWidget(notes)
    column.addStretch(1)
    return texts, scroll, column


def column_height(scroll: TextsScroll, notes: QLabel) -> int:
    """The height that shows the texts and the notes (while shown) whole at their widths."""
    width = max(scroll.viewport().width(), scroll.minimumWidth())
    height = texts_height(scroll.widget(), width)
    if not notes.isHidden():
        height += max(0, scroll.widget().layout().spacing()) + notes.heightForWidth(width)
    return height
