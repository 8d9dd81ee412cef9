"""The window's pages, and the one shown while a library is being read.

Reading a library of 28,000 tracks takes seconds (1–7 s), and the window started on the
welcome page: "Welcome to musicsage", "Add your music folder…" focused, as if the library
were empty. It now starts on a page that only says the library is being opened; which page
follows is the controller's to say (:attr:`~musicsage.controllers.app.AppController.page`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from musicsage.gui.panel_scroll import ShownPageStack

OPENING_TEXT = "Opening the library…"


class OpeningPage(QLabel):
    """"Opening the library…", centred: nothing to click while there is nothing to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(OPENING_TEXT, parent)
        self.setObjectName("opening")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.setFont(font)


def page_stack(parent: QWidget, *pages: QWidget) -> ShownPageStack:
    """The window's central stack of ``pages``, the first of them shown."""
    stack = ShownPageStack(parent)
    for page in pages:
        stack.addWidget(page)
    stack.setCurrentWidget(pages[0])
    return stack
