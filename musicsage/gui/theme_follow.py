"""The demo banner's stylesheet, which holds the theme's colours, set again when the theme
changes.

A stylesheet fixes its colours when it is set: the demo banner's note colours (written out
from the window's palette) stayed those of the theme the window opened in. A widget a
stylesheet styles gets no PaletteChange of its own when the desktop switches from light to
dark (or back) while the window is open; only the window does. So after a light-to-dark
switch the banner stayed pale yellow while its "Back to my library" arrow was inked white
(the window's icons do follow the theme). The window's PaletteChange sets the banner's
stylesheet again, from the new palette. (The welcome card's ``palette(...)`` stylesheet had
the same fault: its page, unstyled, gets the PaletteChange and sets it again,
:meth:`~musicsage.gui.welcome.WelcomeView.changeEvent`.)

Qt's Fusion style (what the window gets on most Linux desktops) draws two things for a light
theme only, whatever the palette: a check box's rim in the window colour made darker, and a
dock's float and close buttons as fixed grey pictures (#6c6a67). On a dark theme (window
#323232) the empty "One per artist" box was 1.1:1 on its window and the training dock's
buttons 2.3:1: barely there. No palette role feeds either, so the fix is in the style:
:class:`ContrastStyle` draws them again from the palette on a dark theme (a light one is
left as Fusion draws it), put in place of Fusion (:func:`use_contrast_style`) when the
application is made, before any widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QDockWidget, QProxyStyle, QStyle, QToolBar

from musicsage.gui.icons import INK_SIZES, ink_icon
from musicsage.gui.neighbours import readable

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow


def demo_banner_style(palette: QPalette) -> str:
    """The demo banner in the theme's colours of a note (a tooltip's)."""
    colour = palette.color
    return (f"QToolBar#demo_banner {{ border: none; background: "
            f"{colour(QPalette.ColorRole.ToolTipBase).name()}; }} QLabel {{ color: "
            f"{colour(QPalette.ColorRole.ToolTipText).name()}; }}")


LEAST_CONTRAST = 3.0
"""WCAG's least contrast for what shows a control and its state (1.4.11): a check box's rim,
a dock's buttons, against the window they are on."""
TITLE_BAR_GLYPHS = (QStyle.StandardPixmap.SP_TitleBarCloseButton,
                    QStyle.StandardPixmap.SP_DockWidgetCloseButton,
                    QStyle.StandardPixmap.SP_TitleBarNormalButton,
                    QStyle.StandardPixmap.SP_TitleBarMinButton)
"""The icons Fusion draws as grey pictures made for a light theme (a dock's close and float
buttons among them)."""


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark theme's: light text on a darker window."""
    role = QPalette.ColorRole
    return palette.color(role.Window).lightness() < palette.color(role.WindowText).lightness()


def rim_colour(palette: QPalette) -> QColor:
    """A check box's rim on a dark theme: the window colour taken towards the text colour as
    far as it takes to stand out from the window by :data:`LEAST_CONTRAST` (Fusion's own, the
    window's colour made darker, was 1.1:1 on it)."""
    role = QPalette.ColorRole
    back = palette.color(role.Window)
    return readable(back.name(), palette.color(role.WindowText), back, LEAST_CONTRAST)


class ContrastStyle(QProxyStyle):
    """Fusion, but on a dark theme its check boxes get a rim of :func:`rim_colour` and its
    title-bar icons (a dock's float and close buttons) the text colour (:func:`ink_icon`).
    On a light theme everything is Fusion's own."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        super().drawPrimitive(element, option, painter, widget)
        state = option.state
        focused = (state & QStyle.StateFlag.State_HasFocus
                   and state & QStyle.StateFlag.State_KeyboardFocusChange)
        if (element == QStyle.PrimitiveElement.PE_IndicatorCheckBox and not focused
                and is_dark(option.palette)):  # focused, Fusion's rim is the highlight
            painter.save()  # over Fusion's rim: its pixels (antialiased, half a px in)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.translate(0.5, 0.5)
            painter.setPen(QPen(rim_colour(option.palette)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(option.rect.adjusted(0, 0, -1, -1)))
            painter.restore()

    def standardIcon(self, icon, option=None, widget=None) -> QIcon:  # noqa: N802 - Qt API
        drawn = super().standardIcon(icon, option, widget)
        palette = (option.palette if option is not None else
                   widget.palette() if widget is not None else QApplication.palette())
        if icon in TITLE_BAR_GLYPHS and is_dark(palette):
            sizes = {s.width() for s in drawn.availableSizes()} | set(INK_SIZES)
            return ink_icon(drawn, palette, QPalette.ColorRole.WindowText, tuple(sorted(sizes)))
        return drawn


def use_contrast_style() -> None:
    """The application's style made a :class:`ContrastStyle` when it is Fusion (once): a
    desktop's own style (Breeze, say) is left alone. Called before any widget is made (a new
    application style restyles every widget); once set, it does nothing."""
    app = QApplication.instance()
    style = app.style() if app is not None else None
    if style is not None and not isinstance(style, ContrastStyle) \
            and style.name().lower() == "fusion":
        app.setStyle(ContrastStyle("fusion"))


class FollowTheme(QObject):
    """Sets the banner's stylesheet again whenever the window takes a new palette (a new
    application palette reaches the window as ApplicationPaletteChange, then the
    PaletteChange that carries the new colours: the one acted on). It also has the window's
    docks (made before it) fetch their buttons' icons again in a new theme: a dock fetches
    them when its style changes, not its palette. The window takes the new palette before its
    children, so each dock is watched for its own, floating or not."""

    def __init__(self, window: "MainWindow", banner: QToolBar) -> None:
        super().__init__(window)
        self.window_, self.banner = window, banner
        use_contrast_style()  # nothing after app.main's; for a window made without it (tests)
        window.installEventFilter(self)
        for dock in window.findChildren(QDockWidget):
            dock.installEventFilter(self)

    def restyle(self) -> None:
        self.banner.setStyleSheet(demo_banner_style(self.window_.palette()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.PaletteChange:
            return False
        if watched is self.window_:
            self.restyle()
        elif isinstance(watched, QDockWidget):  # its float and close icons, in its palette
            QApplication.sendEvent(watched, QEvent(QEvent.Type.StyleChange))
        return False
