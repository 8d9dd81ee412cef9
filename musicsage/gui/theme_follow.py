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
    """Sets the banner's stylesheet again whenever the window takes a new palette (a new
    application palette reaches the window as ApplicationPaletteChange, then the
    PaletteChange that carries the new colours: the one acted on)."""

    def __init__(self, window: "MainWindow", banner: QToolBar) -> None:
        super().__init__(window)
        self.window_, self.banner = window, banner
        window.installEventFilter(self)

    def restyle(self) -> None:
        self.banner.setStyleSheet(demo_banner_style(self.window_.palette()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.window_ and event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        return False
