"""A panel that scrolls on a low window instead of squeezing what is beside it.

Why: at 800x500 with the training dock open, the library and the lists panel asked for their
whole height (about 330 px), so the dock got what was left — 44 px, its plots and table
unreadable, and no separator drag could give it more. The library and the lists panel may
now always be lower than their contents, down to a least height, and scroll: their least
height once depended on the window being low already (below LOW_WINDOW px), so a window of
651 px could never be made 500 px high — its panels' whole height held it up. The window
gives them their whole height where it has the room (MainWindow). The training dock still
asks for its whole panel on a window of LOW_WINDOW px or more: that fits in 500 px. For the
same reason the window's pages (welcome, main) are as low as the page shown: a stack asks for
its highest page.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget

LOW_WINDOW = 640
"""A window lower than this (px) lets its panels and its dock scroll rather than show them
whole."""


def least_size(widget: QWidget) -> QSize:
    """``widget``'s least size as a layout takes it: a minimum set on the widget wins over its
    hint (the lists panel is 360 px wide at least though its hint asks for 480)."""
    hint, fixed = widget.minimumSizeHint(), widget.minimumSize()
    return QSize(fixed.width() or hint.width(), fixed.height() or hint.height())


class PanelScroll(QScrollArea):
    """``panel`` in a scroll area: as low as the whole panel (``whole``), or ``low_least`` px
    (never more than the panel needs) — it then scrolls. Never sideways: the panel always
    gets the area's width. ``stand_in``: the area takes the panel's size policy and size
    hint, so that a splitter shares out room as it did with the panel itself (an expanding
    scroll area took 40 px of the map's width at 1024x640)."""

    def __init__(self, panel: QWidget, parent: QWidget | None, *, low_least: int,
                 stand_in: bool = False, whole: bool = True) -> None:
        super().__init__(parent)
        self.whole = whole
        self.low_least = low_least
        self.stand_in = stand_in
        self.setWidget(panel)  # sized here: a resizable scroll area gave the panel the
        self.setFrameShape(QFrame.Shape.NoFrame)  # height its wrapped texts asked, and scrolled
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the panel's own widgets take the focus (the search box, at start), not the area;
        # Tab into a widget scrolled out of sight still scrolls to it
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if stand_in:
            self.setSizePolicy(panel.sizePolicy())
        panel.installEventFilter(self)

    def set_whole(self, whole: bool) -> None:
        """Ask for the whole panel's height (True), or for ``low_least`` and scroll."""
        if whole != self.whole:
            self.whole = whole
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.widget().sizeHint() if self.stand_in else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        panel = self._least()
        if self.whole:
            return panel
        # room for the scroll bar only while it shows: a lists panel at its least width
        # stays as narrow as before whenever it does not scroll
        bar = self.verticalScrollBar().sizeHint().width() if self._scrolls() else 0
        return QSize(panel.width() + bar, min(panel.height(), self.low_least))

    def _scrolls(self) -> bool:
        return self.height() < self._least().height()

    def _least(self) -> QSize:
        return least_size(self.widget())

    def whole_height(self) -> int:
        """The height at which the panel shows whole, without scrolling."""
        return self._least().height()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LayoutRequest:  # the panel's least height changed
            self.updateGeometry()
            self._fit_panel()
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        scrolled = event.oldSize().height() < self._least().height()
        super().resizeEvent(event)
        self._fit_panel()
        if scrolled != self._scrolls():  # its scroll bar came or went: its least width too
            self.updateGeometry()

    def _fit_panel(self) -> None:
        """The panel fills the view, never lower than its least height (then it scrolls)."""
        view, least = self.viewport().size(), self._least()
        self.widget().resize(max(view.width(), least.width()), max(view.height(), least.height()))


class ShownPageStack(QStackedWidget):
    """A stack of pages as low as the page it shows: a plain one is as low as its highest
    page, and the hidden welcome page (339 px) held the main page's panels at that height
    with the training dock open on an 800x500 window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return super().minimumSizeHint() if page is None else least_size(page)
