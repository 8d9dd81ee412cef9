"""The window's stylesheets that hold the theme's colours, set again when the theme changes.

A stylesheet fixes its colours when it is set: the demo banner's note colours (written out
from the window's palette) and the welcome card's ``palette(base)``, ``palette(mid)`` and
``palette(placeholder-text)`` stayed those of the theme the window opened in. A widget a
stylesheet styles gets no PaletteChange of its own when the desktop switches from light to
dark (or back) while the window is open; only the window does. So after a light-to-dark
switch the banner stayed pale yellow while its "Back to my library" arrow was inked white
(the window's icons do follow the theme), and the welcome card stayed white. The window's
PaletteChange sets both stylesheets again, from the new palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QToolBar

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow


def demo_banner_style(palette: QPalette) -> str:
    """The demo banner in the theme's colours of a note (a tooltip's)."""
    colour = palette.color
    return (f"QToolBar#demo_banner {{ border: none; background: "
            f"{colour(QPalette.ColorRole.ToolTipBase).name()}; }} QLabel {{ color: "
            f"{colour(QPalette.ColorRole.ToolTipText).name()}; }}")


class FollowTheme(QObject):
    """Sets the banner's and the welcome card's stylesheets again whenever the window takes
    a new palette (a new application palette reaches the window as ApplicationPaletteChange,
    then the PaletteChange that carries the new colours: the one acted on)."""

    def __init__(self, window: "MainWindow", banner: QToolBar) -> None:
        super().__init__(window)
        self.window_, self.banner = window, banner
        window.installEventFilter(self)

    def restyle(self) -> None:
        self.banner.setStyleSheet(demo_banner_style(self.window_.palette()))
        self.window_.welcome.restyle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.window_ and event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        return False
