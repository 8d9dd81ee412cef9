"""The window's pages, and the one shown while a library is being read.

Reading a library of 28,000 tracks takes seconds (1–7 s), and the window started on the
welcome page: "Welcome to musicsage", "Add your music folder…" focused, as if the library
were empty. It now starts on a page that only says the library is being opened; which page
follows is the controller's to say (:attr:`~musicsage.controllers.app.AppController.page`).
A library that cannot be opened at all ends the start-up before any page, in one line that
:func:`say_cannot_start` shows in a message box too where no terminal shows it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from musicsage.gui.panel_scroll import ShownPageStack
from musicsage.gui.tips import own_tip, set_own_tip, tip_unless  # noqa: F401 - window_settings
from musicsage.text import sentence

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


NO_SCREEN_PLATFORMS = {"offscreen", "minimal", "minimalegl"}
"""Qt platforms with no screen a person looks at: a message box there is seen by nobody and
waits for a click that never comes (``--screenshot``, the tests)."""


def say_cannot_start(line: str, *, on_screen: bool | None = None,
                     boxed: str | None = None) -> None:
    """Say why the window will not open: the line on stderr, and, where no one would see it
    there, in a message box too. Started from the desktop's menu, stderr goes nowhere a user
    looks: the window just never came (a default data dir that cannot be entered or made).
    ``on_screen``: whether to show the box (default: :func:`box_is_seen`); ``boxed``: the
    box's words where the line leans on a line before it on stderr."""
    print(line, file=sys.stderr, flush=True)
    app = QGuiApplication.instance()
    if app is None or not (box_is_seen() if on_screen is None else on_screen):
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "musicsage",
                      sentence((boxed or line).removeprefix("musicsage: ")))
    box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes a path
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def box_is_seen() -> bool:
    """Whether a start-up refusal's box is seen: a QApplication is up on a screen, and stderr
    is no terminal (one shows the line already, and a box then waited for a click as well;
    tests and scripts that read stderr are no terminal: they say ``on_screen=False``)."""
    app = QGuiApplication.instance()
    if app is None or app.platformName() in NO_SCREEN_PLATFORMS:
        return False
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr at all (None), or a closed one
        return True
