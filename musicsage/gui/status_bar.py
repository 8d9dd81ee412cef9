"""The window's status bar: a line longer than its room keeps both its ends, its middle elided.

Why: :class:`QStatusBar` draws its message whole and cuts it at the first permanent widget
(a task's label, progress and Cancel) or the window's edge, mid-word and unmarked. The lines
put what to do, or whose it is, at their end: in an 800-px window "…, so the map leaves them
out: Analyse ▸ Compute embeddings" lost its advice, and a line of a library left behind lost
"(library …, not the one shown)", read as one about the library shown. The bar's message
(``currentMessage``, what the status queue compares) stays whole, as does its tooltip.
(The running task's label beside it is Qt's, at its whole width: making it give way, at a
fixed or a share of the bar's width, cut "(… not the one shown)" from task lines in two review
rounds, and was taken out.)
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizeGrip, QStatusBar, QWidget

MARGIN_LEFT, MARGIN_RIGHT, WIDGET_GAP = 6, 12, 2
"""Qt's room for the message (QStatusBarPrivate::messageRect): 6 px from the left, 12 from
the right where no size grip or permanent widget is shown, else 2 px short of the first one."""


class StatusBar(QStatusBar):
    """A :class:`QStatusBar` whose message, where wider than its room, is elided in its middle
    (the start says what happened, the end what to do) rather than cut at its right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:  # noqa: N802
        """Qt's, remembering ``widget``: the message's room ends where the first one shown
        begins."""
        super().addPermanentWidget(widget, stretch)
        self._permanent.append(widget)

    def message_room(self) -> QRect:
        """Where the message's text goes, as Qt lays it out."""
        left, right = MARGIN_LEFT, self.width() - MARGIN_RIGHT
        grip = self.findChild(QSizeGrip)
        if grip is not None and grip.isVisible():
            right = grip.x()
        shown = [w.x() - WIDGET_GAP for w in self._permanent if w.isVisible()]
        right = min(shown[:1] + [right])
        return QRect(left, 0, right - left, self.height())

    def shown_message(self) -> str:
        """The message as drawn: whole where it fits, else elided in its middle."""
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.TextElideMode.ElideMiddle,
                                             max(0, self.message_room().width()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """Qt's painting, then — for a message wider than its room — that room painted over
        with the bar's background and the message elided on it."""
        super().paintEvent(event)
        message = self.currentMessage()
        if not message or self.shown_message() == message or self.isRightToLeft():
            return  # (right to left: Qt's room is on the other side; the app has no such text)
        room = self.message_room()
        painter = QPainter(self)
        painter.fillRect(room, self.palette().brush(self.backgroundRole()))  # the cut text
        painter.setPen(self.palette().windowText().color())
        painter.drawText(room, Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                         | Qt.TextFlag.TextSingleLine, self.shown_message())
        painter.end()
