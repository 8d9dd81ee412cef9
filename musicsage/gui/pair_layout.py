"""A row of two (or a few) parts that goes to one above the other when it is too narrow.

Why: at the window's smallest width the right panel is about 360 px. Two track lists side by
side got 170 px each and showed "Sta…ine | DJ…ek", and the row over them cut its checkbox to
"One per arti". One above the other, each keeps the panel's whole width.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QBoxLayout, QWidget


class PairLayout(QBoxLayout):
    """Left to right from ``side_by_side_from`` px wide, top to bottom below it.

    Without ``side_by_side_from`` the threshold is the width the parts ask for side by side
    (their size hints): they then go one above the other only when a part would be cut.
    The minimum width is that of the parts one above the other, so a window can be made
    narrow enough for the switch.
    """

    def __init__(self, side_by_side_from: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight, parent)
        self._side_by_side_from = side_by_side_from

    @property
    def side_by_side(self) -> bool:
        return self.direction() == QBoxLayout.Direction.LeftToRight

    def threshold(self) -> int:
        """The narrowest width at which the parts go side by side."""
        if self._side_by_side_from is not None:
            return self._side_by_side_from
        items = [self.itemAt(i) for i in range(self.count())]
        margins = self.contentsMargins()
        return (sum(item.sizeHint().width() for item in items)
                + self.spacing() * max(len(items) - 1, 0) + margins.left() + margins.right())

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        wanted = (QBoxLayout.Direction.LeftToRight if rect.width() >= self.threshold()
                  else QBoxLayout.Direction.TopToBottom)
        if wanted != self.direction():
            self.setDirection(wanted)
        super().setGeometry(rect)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        """As narrow as the widest part alone (one above the other); as high as the current
        arrangement needs."""
        margins = self.contentsMargins()
        widest = max((self.itemAt(i).minimumSize().width() for i in range(self.count())),
                     default=0)
        return QSize(widest + margins.left() + margins.right(), super().minimumSize().height())
