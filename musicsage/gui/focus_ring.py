"""A ring around a tool button while it has the keyboard focus.

The style marks a focused tool button (the toolbar's, the player bar's) with a faint tint
only: Tab reached ⏮ ▶ ⏭ ■ or Compute embeddings unseen. A style sheet would draw a border,
but it also takes the button's drawing (and its palette's inheritance) from the style; this
ring is a child drawn over the button instead, in the palette's highlight colour (taken
towards the text colour where it would not stand out from the button by 3:1), so it follows
light and dark themes and leaves the button as the style draws it. As the map's
:class:`FocusFrame`, it shows for the keyboard's focus, not a click.

The window's lists get the map's frame, in this ring's colour (:func:`frame_lists`); its tab
bars, check boxes, choosers and push buttons get this ring (:func:`ring_controls`), where the
style's mark was as faint: a focused tab 1.8:1 on a light theme and 1.4:1 on a dark one (no
more than a tint), a check box's 1.5:1 on a dark one, a chooser's 2.4:1 on a light one.
"""

from __future__ import annotations

from typing import Iterator

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFocusEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFrame, QPushButton,
                               QRadioButton, QTabBar, QWidget)

from musicsage.gui.colours import contrast, mix

RING_WIDTH = 2
"""The width (px) of every focus mark of the window: these rings, the lists' and the map's
frames, the outline of a focused control over the map (``map_legend``, ``map_tools``, which
take it from here: 1 px was hard to see)."""
MAP_FOCUS_COLOUR = "#8ab4f8"
"""The map's frame and the outline of a control over the map that has the keyboard focus:
light on the dark map (their own borders are none or transparent there, so Tab reached them
unseen)."""
LEAST_CONTRAST = 3.0
"""WCAG's least contrast for what shows a control's state (1.4.11)."""


def focus_padding(vertical: int, horizontal: int) -> str:
    """The padding that, inside the focus outline, keeps a button's border and padding
    together at ``vertical`` by ``horizontal`` px, as they are unfocused (the outline's
    width is no literal there: a wider one leaves less padding, the button its size)."""
    return f"padding: {vertical - RING_WIDTH}px {horizontal - RING_WIDTH}px;"


def ring_colour(palette: QPalette, on: QPalette.ColorRole = QPalette.ColorRole.Button,
                beside: QColor | None = None) -> QColor:
    """The palette's highlight colour, taken towards the button's text colour (darker on a
    light theme, lighter on a dark one) only as far as it needs to stand out from the button
    (``on``: a list's base) by 3:1 (Fusion's light highlight is 2.9:1 against its buttons),
    and from ``beside`` too, the colour the style drew just inside the ring, where given."""
    role = QPalette.ColorRole
    backs, highlight = [palette.color(on)], palette.color(role.Highlight)
    backs += [beside] if beside is not None else []
    text = palette.color(role.ButtonText if on == role.Button else role.Text)
    for step in range(11):
        colour = mix(highlight, text, step / 10)
        if all(contrast(colour, back) >= LEAST_CONTRAST for back in backs):
            return colour
    return text


class FocusFrame(QFrame):
    """A frame over ``widget`` (the map) while it has the keyboard focus: the map has no
    border, so Tab reached it unseen. Not after a click (the pointer shows where that went);
    it takes no room and lets the mouse through. Here, not in ``map_legend``: that module
    takes :data:`RING_WIDTH` from this one."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.setStyleSheet(f"border: {RING_WIDTH}px solid {MAP_FOCUS_COLOUR};"
                           " background: transparent;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kept = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)
        if isinstance(event, QFocusEvent) and event.reason() not in kept:
            self.setVisible(event.gotFocus()
                            and event.reason() != Qt.FocusReason.MouseFocusReason)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FocusIn):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


class FocusRing(QWidget):
    """Drawn over ``button`` (over a tab bar's current tab) while it has the keyboard focus;
    lets the mouse through."""

    def __init__(self, button: QWidget) -> None:
        super().__init__(button)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        self.clicked_to = False
        """The focus came with a click: no ring, until it comes another way."""
        button.installEventFilter(self)
        if isinstance(button, QTabBar):  # the arrow keys move the focus to another tab
            button.currentChanged.connect(lambda _index: self._place(button))

    def _place(self, watched: QWidget) -> None:
        on_tab = isinstance(watched, QTabBar) and watched.currentIndex() >= 0
        self.setGeometry(watched.tabRect(watched.currentIndex()) if on_tab else watched.rect())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if isinstance(event, QFocusEvent):
            # the window's activation (the first focus too) and a popup's closing bring the
            # focus back the way it came
            again = event.reason() in (Qt.FocusReason.ActiveWindowFocusReason,
                                       Qt.FocusReason.PopupFocusReason)
            if event.gotFocus() and not again:
                self.clicked_to = event.reason() == Qt.FocusReason.MouseFocusReason
            if event.gotFocus() or not again:
                self.setVisible(event.gotFocus() and not self.clicked_to)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FocusIn):
            self._place(watched)
        return False

    def colour(self) -> QColor:
        return ring_colour(self.parentWidget().palette())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.colour(), RING_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = RING_WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset),
                                3, 3)
        painter.end()


def ring_focus(buttons) -> list[FocusRing]:
    """A :class:`FocusRing` on each of ``buttons`` that takes the keyboard focus."""
    return [FocusRing(b) for b in buttons if b.focusPolicy() & Qt.FocusPolicy.TabFocus]


RINGED = (QTabBar, QCheckBox, QRadioButton, QComboBox, QPushButton)
"""The controls whose style marks the keyboard's focus too faintly to see (the tool buttons
have their rings from :func:`ring_focus`, the lists their frames)."""


class ControlRing(FocusRing):
    """A :class:`FocusRing` in a colour that stands out from what the style drew just inside
    it as well: on a dark theme Fusion fills a chooser lighter than the palette's button
    colour (#454545 on #353535), and the button colour's ring was 2.5:1 against it. The fill
    is looked at as the focus comes, the ring hidden."""

    beside: QColor | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if isinstance(event, QFocusEvent) and event.gotFocus() and not self.isVisible():
            self._place(watched)
            inside = self.geometry().adjusted(RING_WIDTH + 1, 0, 0, 0)
            image = watched.grab(inside).toImage()
            if not image.isNull():
                self.beside = image.pixelColor(0, image.height() // 2)
        return super().eventFilter(watched, event)

    def colour(self) -> QColor:
        return ring_colour(self.parentWidget().palette(), beside=self.beside)


def ring_controls(window: QWidget) -> list[FocusRing]:
    """A :class:`FocusRing` on each control of ``window`` in :data:`RINGED` that Tab reaches,
    but those a style sheet marks already (the map's buttons, in the map's focus colour) and
    a chooser's own parts."""
    return [ControlRing(c) for c in window.findChildren(QWidget)
            if isinstance(c, RINGED) and c.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not _marked_by_style_sheet(c) and not _in_chooser(c)]


def _ancestors(widget: QWidget | None) -> Iterator[QWidget]:
    """``widget`` itself, then its parent, that one's parent, and so on to the last."""
    while widget is not None:
        yield widget
        widget = widget.parentWidget()


def _marked_by_style_sheet(widget: QWidget) -> bool:
    return any(":focus" in w.styleSheet() for w in _ancestors(widget))


class ListFrame(FocusFrame):
    """The map's frame over a list, in :func:`ring_colour` against the list's base (the map's
    light blue is 2.1:1 on a light theme's white list; the highlight, 3:1 at least), and
    following the theme."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._tint()

    def _tint(self) -> None:
        colour = ring_colour(self.parentWidget().palette(), QPalette.ColorRole.Base).name()
        self.setStyleSheet(f"border: {RING_WIDTH}px solid {colour}; background: transparent;")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.PaletteChange:
            self._tint()
        return super().eventFilter(watched, event)


def frame_lists(window: QWidget) -> list[ListFrame]:
    """A :class:`ListFrame` on each list of ``window`` that Tab reaches (the track lists, the
    queue, the playlists, the search results): the style marks a focused list by a faint
    line round its current row at most, and none at all while no row is current, so Tab
    went into a list unseen. A chooser's own list is left alone (Tab never reaches it)."""
    return [ListFrame(view) for view in window.findChildren(QAbstractItemView)
            if view.focusPolicy() & Qt.FocusPolicy.TabFocus and not _in_chooser(view)]


def _in_chooser(widget: QWidget) -> bool:
    return any(isinstance(w, QComboBox) for w in _ancestors(widget.parentWidget()))
