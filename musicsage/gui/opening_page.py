"""The window's pages, and the one shown while a library is being read.

Reading a library of 28,000 tracks takes seconds (1–7 s), and the window started on the
welcome page: "Welcome to musicsage", "Add your music folder…" focused, as if the library
were empty. It now starts on a page that only says the library is being opened; which page
follows is the controller's to say (:attr:`~musicsage.controllers.app.AppController.page`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from musicsage.gui.panel_scroll import ShownPageStack
from musicsage.gui.tips import own_tip, set_own_tip, tip_unless  # noqa: F401 - window_settings

if TYPE_CHECKING:
    from musicsage.controllers.library import LibraryController

OPENING_TEXT = "Opening the library…"
OPENING_TIP = "The library is being opened: wait a moment"
UNREADABLE_TIP = "The library cannot be opened: the window says why; then press Try again"


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


def off_until_open(controls: Sequence[QObject], _library: "LibraryController") -> None:
    """``controls`` (what acts on the library: Add music folder, Rescan, Compute embeddings,
    Retrain, the map's choosers, …) off as the window is built, their tooltips saying why:
    on over "Opening the library…", Rescan or Retrain started on a library the window had
    not read. From then on one function says what is on, and why not, at every change of
    the library's state (:func:`~musicsage.gui.library_enabling.enable_library_actions`);
    ``_library`` is the one being read. Their own tips are kept by
    :func:`~musicsage.gui.tips.own_tip`: change them with
    :func:`~musicsage.gui.tips.set_own_tip`, not with ``setToolTip``."""
    for control in controls:
        control.setEnabled(False)
        tip_unless(control, OPENING_TIP)
