"""Labels that name a track or a playlist in at most two lines: a panel's bold heading and
the library panel's Title field; and in one line, the player bar's title (:class:`ElidedLine`).

A title can be a paragraph (a 300-character tag, an untagged file's long name): wrapped
whole, the Neighbours heading took 175 px of an 800x600 window and left its lists 32 px,
and the Title field ran to ~20 lines. The text is wrapped to :data:`HEADING_LINES` lines,
the last one elided at its end; the tooltip always holds the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from musicsage.gui.plain import plain_tooltip

HEADING_LINES = 2
"""The most lines a heading (or the Title field) takes."""


def fit_lines(text: str, font: QFont, width: int, most: int = HEADING_LINES) -> str:
    """``text`` broken into at most ``most`` lines of ``width`` px (at word boundaries where
    it can, anywhere in a word wider than ``width``), joined by "\\n", each one short enough
    that a label wrapping it keeps it whole. A paragraph cut short ends elided; each of the
    text's own lines keeps one line while there are enough (a long title and "(finding
    neighbours…)" under it: the title is cut, not what is going on)."""
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(font)
    width = max(1, width)
    paragraphs = text.split("\n")
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        left, later = most - len(lines), len(paragraphs) - number - 1
        if left == 1 and later:  # more paragraphs than lines: the rest on the last one
            rest = " ".join(paragraphs[number:]).strip()
            lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            break
        room = max(1, left - later)
        starts = wrap_starts(paragraph, font, width)
        for i, start in enumerate(starts[:room]):
            if i == room - 1 and len(starts) > room:  # the paragraph's last line: elided
                lines.append(metrics.elidedText(paragraph[start:], Qt.TextElideMode.ElideRight,
                                                width))
                break
            end = starts[i + 1] if i + 1 < len(starts) else len(paragraph)
            lines.append(paragraph[start:end].rstrip())
    return "\n".join(lines)


def wrap_starts(paragraph: str, font: QFont, width: int) -> list[int]:
    """Where each line of ``paragraph`` starts, wrapped to ``width`` px."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout = QTextLayout(paragraph, font)
    layout.setTextOption(option)
    layout.beginLayout()
    starts = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    return starts or [0]


class LinesLabel(QLabel):
    """Plain text wrapped to at most :data:`HEADING_LINES` lines at the label's width, the
    rest elided; :meth:`text` and the tooltip give the whole text. Its width follows its
    panel: a word longer than the panel is wide never widens it."""

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)  # a title such as "<b>x</b>" is text
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setToolTip(plain_tooltip(text))
        self._fit()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        shown = fit_lines(self._full, self.font(), width) if width > 0 else self._full
        if shown != super().text():
            super().setText(shown)


class HeadingLabel(LinesLabel):
    """A panel's bold heading: the selected track or playlist it names, in at most two
    lines (:class:`LinesLabel`)."""

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.setFont(font)
        self.setText(text)


class ElidedLine(QLabel):
    """One line of plain text, elided at its end to the width the layout gives it (the
    player bar's title): elided once to its widest, it was cut mid-letter where the window
    was narrower, and it kept the room the position slider needed. It asks for its whole
    text's width (up to its maximum) and gives way down to its minimum; :meth:`text` is the
    whole text, as is its accessible name (a screen reader read the cut-off line, "…" and
    all), and the tooltip is the caller's."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)  # a title such as "<b>x</b>" is text
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setAccessibleName(text)
        self._fit()
        self.updateGeometry()  # a longer or shorter title asks for another width

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        whole = self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin() + 4
        return QSize(min(whole, self.maximumWidth()), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit()
            self.updateGeometry()

    def _fit(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              max(1, width))
        if shown != super().text():
            super().setText(shown)
