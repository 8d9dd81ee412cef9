"""What the training dock needs from the window around it: the Tab stops it goes round, and
its height when the window is made lower.

Kept apart from :mod:`musicsage.gui.training_dock` (at its size limit)."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


def tab_stops(host: QWidget) -> Iterator[QWidget]:
    """The widgets Tab may stop at in ``host``'s focus chain, in its order (the chain goes
    round to ``host`` again): shown or not, enabled or not, focus proxies included."""
    widget = host.nextInFocusChain()
    while widget is not None and widget is not host:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            yield widget
        widget = widget.nextInFocusChain()


def refit_lower(dock: QDockWidget) -> None:
    """The docked dock no higher than the window would open it now (its ``_dock_height``),
    after the window was made lower. It kept the height it had in the larger window: opened
    at 1400x900 (300 px) and the window made 1024x700, it kept 259 px and left each
    neighbour list 3½ rows and the map 324 px; opened at 1024x700 it takes 195."""
    host = dock.parentWidget()
    fitted = getattr(host, "_dock_height", None)
    if (not isinstance(host, QMainWindow) or fitted is None or not dock.isVisible()
            or dock.isFloating()
            or host.dockWidgetArea(dock) != Qt.DockWidgetArea.BottomDockWidgetArea):
        return
    height = fitted()
    if dock.height() > height:
        host.resizeDocks([dock], [height], Qt.Orientation.Vertical)
