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


def own_tip(control: QObject) -> str:
    """``control``'s own tooltip (what it does), whatever it shows for now: while it is off,
    its tooltip says why (:func:`tip_unless`), and a tooltip read then was kept as its own —
    "Colour by" said "The library is being opened: wait a moment" for the whole session."""
    own = control.property("own_tip")
    if own is None:
        own = control.toolTip()
        control.setProperty("own_tip", own)
    return own


def tip_unless(control: QObject, why: str | None) -> None:
    """``why`` (it is off, or cannot do anything now) as ``control``'s tooltip, else its own."""
    own = own_tip(control)
    control.setProperty("why_tip", why or None)
    control.setToolTip(why or own)


def set_own_tip(control: QObject, tip: str) -> None:
    """A new own tooltip for ``control`` (Colour by's note on what the map shows), shown at
    once unless a reason it is off is shown; then once that reason goes."""
    control.setProperty("own_tip", tip)
    control.setToolTip(control.property("why_tip") or tip)


def off_until_open(controls: Sequence[QObject], library: "LibraryController") -> None:
    """``controls`` (what acts on the library: Add music folder, Rescan, Compute embeddings,
    Retrain, the map's choosers, …) off while the library is first read, their tooltips
    saying why: on over "Opening the library…", Rescan or Retrain started on a library the
    window had not read. Connected before the window's wiring, so at each read the controls'
    own tips come back first, then the wiring turns on what the library allows
    (``window_wiring._enable_actions``); a library that cannot be read keeps them off and
    says so. Their own tips are kept by :func:`own_tip`: read them with it, and change them
    with :func:`set_own_tip`, not with ``toolTip()`` / ``setToolTip``."""

    def say(tip: str | None) -> None:
        for control in controls:
            tip_unless(control, tip)

    for control in controls:
        control.setEnabled(False)
    say(OPENING_TIP)
    library.loaded.connect(lambda _snap: say(None))
    library.load_failed.connect(lambda _message: say(UNREADABLE_TIP))
