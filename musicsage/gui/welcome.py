"""First-launch page for an empty library: add your music, or open the demo library.

While the demo library is being built (generate, scan, embed, train, map — minutes on a
laptop) the page shows the stage and a progress bar with Cancel, so a first launch never looks
frozen. A build that failed, or a demo that cannot be opened, leaves its words on the page:
what stopped it, why, and how opening the demo goes on — until the page gives way to the
library (the music added, the demo's map) or to a library that cannot be read.

A library that cannot be read at all (a damaged database) gets this page too, but saying so:
the error, "Try again" instead of "Add your music folder" (adding music would fail the same
way), and the demo library, which lives elsewhere, still on offer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from musicsage.controllers.demo import PAUSE_HINT, STOPPED_STAGE, refused_note
from musicsage.controllers.wording import progress_text
from musicsage.gui.neighbours import hint_colour
from musicsage.library.playlists import playlist_kinds
from musicsage.progress import Progress
from musicsage.text import sentence

DEMO_TIP = "A few hundred synthesized tracks with playlists: no download needed"
DEMO_WORDS = "Open demo library"
READING_WORDS = "Opening demo library…"
"""The button's words while Open demo library reads the demo (:meth:`WelcomeView.show_reading`):
on a slow disk that takes seconds, and the page said nothing."""
LEAST_VIEW_HEIGHT = 300
"""The least height of the page's scrolling part: the title and the buttons in view at the
window's least size. Without it the window went down to 152 px, showing only the logo's top,
and Enter pressed a focused "Add your music folder…" out of sight."""
CARD_STYLE = ("#welcome_card { background: palette(base); border: 1px solid palette(mid);"
              " border-radius: 10px; }")


def hint_style(palette: QPalette) -> str:
    """The hint's grey: the window's hint grey (:func:`~musicsage.gui.neighbours.hint_colour`,
    4.5:1, as the panels' key lines), worked out on the card's colours (base and text) rather
    than the window's. ``palette(placeholder-text)`` was 4.0:1 on Fusion's light card."""
    role = QPalette.ColorRole
    on_card = QPalette(palette)
    on_card.setColor(role.Window, palette.color(role.Base))
    on_card.setColor(role.WindowText, palette.color(role.Text))
    return f"color: {hint_colour(on_card).name()};"


class WelcomeView(QWidget):
    add_folder_requested = Signal()
    demo_requested = Signal()
    cancel_requested = Signal()
    retry_requested = Signal()

    WELCOME = "Welcome to musicsage"
    UNREADABLE = "This library cannot be opened"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self._ever_shown = self._held = self._unseen = False  # the demo's words: _reveal_held
        self.card = card = QFrame(self)
        card.setObjectName("welcome_card")
        card.setMaximumWidth(640)
        v = QVBoxLayout(card)
        v.setContentsMargins(36, 30, 36, 30)
        v.setSpacing(16)
        for widget in self._intro(card):
            v.addWidget(widget)
        self.problem = QLabel(card)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # it quotes a path
        self.problem.setWordWrap(True)
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        v.addWidget(self.problem)
        v.addLayout(self._buttons(card))
        self.hint = QLabel("You can also drop music folders and playlist files "
                           f"({playlist_kinds()}) on this window.", card)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.hint)
        self.stopped = QLabel(card)
        self.stopped.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a path
        self.stopped.setWordWrap(True)
        self.stopped.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stopped.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stopped.hide()
        v.addWidget(self.stopped)
        v.addWidget(self._busy_box(card))
        self.restyle()

        self._place(card)

    def _place(self, card: QFrame) -> None:
        """The card centred, a little above the middle, in an area that scrolls on a low
        window: squeezed into it, the card's wrapped lines were cut (at the window's least
        size, or 600x450, three of the four lines on what musicsage does were lost). A
        resizable scroll area gives its widget the height its words need at its width."""
        inner = QWidget(self)
        centred = QVBoxLayout(inner)
        centred.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        centred.addLayout(row)
        centred.addStretch(2)
        self.area = area = QScrollArea(self)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setWidget(inner)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the buttons take the focus, not the area
        # as wide as the card's buttons, as before: it scrolls up and down, never sideways
        area.setMinimumWidth(inner.minimumSizeHint().width()
                             + area.verticalScrollBar().sizeHint().width())
        area.setMinimumHeight(LEAST_VIEW_HEIGHT)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)

    def restyle(self) -> None:
        """The card's and the hint's stylesheets, set (again for a new theme: their colours
        are looked up when a stylesheet is set, never after)."""
        self.card.setStyleSheet(CARD_STYLE)
        self.hint.setStyleSheet(hint_style(self.palette()))
        self.pause_hint.setStyleSheet(hint_style(self.palette()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        """A new theme (light to dark): the card and the hint follow it. The page has no
        stylesheet of its own, so it gets the PaletteChange its styled children do not."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        """The page opens on its first action: it had no keyboard focus until the first Tab
        (Enter or Space did nothing on a first launch)."""
        super().showEvent(event)
        self._ever_shown, self._unseen = True, False
        self.focus_first_action()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        """The page gave way to the library (music was added, the demo's map shown): a failed
        build's words go with it. They stayed, and came back with the page when the library
        was empty again (its music folder removed), about a build long forgotten. A window
        minimised (a spontaneous hide) keeps them."""
        super().hideEvent(event)
        if not event.spontaneous():
            self.stopped.hide()
            if not self._held:
                self._demo_refused(None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """The focused button kept in view as the window is made lower: Enter presses it."""
        super().resizeEvent(event)
        focused = self.focusWidget()
        # not a button greyed by a build, which keeps the page's focus but Enter never presses;
        # isEnabled, not hasFocus: a window resized while another is active has none
        if focused is not None and focused.isVisible() and focused.isEnabled():
            self._bring_into_view(focused)

    def focus_first_action(self) -> None:
        """Focus the first button on offer ("Add your music folder…", or "Try again" for a
        library that cannot be read), unless one of the page's own widgets has it; either is
        scrolled into view: Enter presses it, and it was out of sight on a low window."""
        focused = self.focusWidget()
        if focused is not None and focused.isVisible() and focused.isEnabled():
            self._bring_into_view(focused)
            return
        for button in (self.add_button, self.retry_button, self.demo_button):
            if button.isVisibleTo(self) and button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                self._bring_into_view(button)
                return

    def _intro(self, card: QFrame) -> list[QLabel]:
        """Logo, title and what the app does."""
        from musicsage.gui.icons import logo_pixmap

        logo = QLabel(card)
        logo.setPixmap(logo_pixmap(72))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = title = QLabel(self.WELCOME, card)
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.9)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self.blurb = blurb = QLabel(
            "Map your music library by how it sounds and by how you listen to it.<br><br>"
            "musicsage scans your folders and your playlists, learns from the audio which tracks "
            "sound alike, and trains a graph model on your playlists to find the tracks that "
            "<i>belong</i> together. Click any track on the map to hear it next to its neighbours.",
            card)
        blurb.setWordWrap(True)
        blurb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        blurb.setTextFormat(Qt.TextFormat.RichText)
        return [logo, title, blurb]

    def _buttons(self, card: QFrame) -> QHBoxLayout:
        self.add_button = QPushButton("Add your music folder…", card)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_folder_requested)
        self.retry_button = QPushButton("Try again", card)
        self.retry_button.setToolTip("Read the library again (after moving the damaged file "
                                     "aside, making its folder writable, or once another "
                                     "program lets go of it)")
        self.retry_button.clicked.connect(lambda: self._demo_refused(None))  # (fixed, maybe)
        self.retry_button.clicked.connect(self.retry_requested)
        self.retry_button.hide()
        self.demo_button = QPushButton(DEMO_WORDS, card)
        self.demo_button.setToolTip(DEMO_TIP)
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.add_button, self.retry_button, self.demo_button):
            b.setMinimumHeight(40)
            b.setMinimumWidth(210)
            buttons.addWidget(b)
        buttons.addStretch(1)
        return buttons

    def _busy_box(self, card: QFrame) -> QWidget:
        """The build's stage, progress and Cancel (hidden until a build starts)."""
        # a word wider than the card (a path, a loss) is cut, never widens it: one pushed the
        # card, the bar and Cancel out of sight, right of a narrow window
        self.stage = QLabel(card, minimumWidth=1, wordWrap=True,
                            textFormat=Qt.TextFormat.PlainText)
        self.stage.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(card)
        self.cancel_button = QPushButton("Cancel", card)
        self.cancel_button.setToolTip(PAUSE_HINT)
        self.cancel_button.clicked.connect(self.cancel_requested)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.progress, 1)
        busy_row.addWidget(self.cancel_button)
        self.pause_hint = QLabel(f"{PAUSE_HINT}.", card)
        self.pause_hint.setWordWrap(True)
        self.pause_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_box = QWidget(card)
        bl = QVBoxLayout(self.busy_box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.stage)
        bl.addLayout(busy_row)
        bl.addWidget(self.pause_hint)
        self.busy_box.hide()
        return self.busy_box

    def show_problem(self, message: str) -> None:
        """The library could not be read: say why, offer to try again (or the demo). A demo
        build's words from before go (they were about a build, not this problem), except
        those given before the page was ever shown (:meth:`_reveal_held`)."""
        self.title.setText(self.UNREADABLE)
        self.problem.setText(sentence(message))
        if not self._reveal_held():
            self.stopped.hide()  # a failed demo build's words, next to a library's problem
        self._problem_shown(True)

    def clear_problem(self) -> None:
        """Back to the first-launch page (the library was read after all)."""
        self.title.setText(self.WELCOME)
        self.problem.clear()
        self._reveal_held()
        self._problem_shown(False)

    def _reveal_held(self) -> bool:
        """Show the demo's words given before the page was first shown, with the page's first
        state (the library read, or its problem); True when there were some. Why: ``--demo``
        refused at launch ("Cannot open the demo library: the library folder … is not
        writable") was refused while the window still opened the library, its opening page
        over this one, so the words were kept hidden for good, and the card said only the
        library's problem, or invited music in. Words revealed for a page the library then
        went over (it had music) go at the next read, before the page can come back with
        them (:meth:`hideEvent`)."""
        if self._held:
            self._held, self._unseen = False, True
            self.stopped.show()
            return True
        if self._unseen:
            self._unseen = False
            self.stopped.hide()
        return False

    def _problem_shown(self, shown: bool) -> None:
        self.problem.setVisible(shown)
        self.retry_button.setVisible(shown)
        self.retry_button.setDefault(shown)
        self.add_button.setDefault(not shown)
        for widget in (self.blurb, self.add_button, self.hint):
            widget.setVisible(not shown)
        if self.isVisible():
            self.focus_first_action()

    def show_busy(self, text: str) -> None:
        self.stopped.hide()  # a failed build's words: this one may go further
        self._held = False
        self._demo_refused(None)
        self.add_button.setEnabled(False)
        self.demo_button.setEnabled(False)
        self.stage.setText(text)
        self.progress.setRange(0, 0)
        self.busy_box.show()
        self._bring_into_view(self.busy_box)

    def _bring_into_view(self, widget: QWidget) -> None:
        """Scroll the page to ``widget`` once the card is laid out anew: on a low window
        the build's bar and Cancel came below the page's fold, the page scrolled to its top."""
        QTimer.singleShot(0, self, lambda: self.area.ensureWidgetVisible(widget, 0, 8))

    def show_progress(self, p: Progress) -> None:
        """The build's stage and bar; its report that it failed (or that the demo cannot be
        opened) stays on the page once the build has ended (:meth:`show_idle`): the page went
        back to its first-launch state, with no word that the finished stages are kept or that
        Open demo library resumes it."""
        if p.stage == STOPPED_STAGE:
            self.stopped.setText(p.message)
            self._demo_refused(p.message if p.message.startswith(refused_note("")) else None)
            # not on a page the library shows over (the demo's map drawn before it failed)
            # isHidden: QStackedWidget hides the pages it does not show, explicitly
            self.stopped.setVisible(not self.isHidden())
            self._bring_into_view(self.stopped)
            self._held = self.isHidden() and not self._ever_shown  # the window still opens
            return
        self.stage.setText(progress_text(p))
        if p.total:
            self.progress.setRange(0, int(p.total))
            self.progress.setValue(int(min(p.done, p.total)))
        else:
            self.progress.setRange(0, 0)

    def _demo_refused(self, refusal: str | None) -> None:
        """While the demo's refusal ``refusal`` stands (None: none does), its button is off,
        the refusal its tooltip: ``--demo`` refused at launch for a read-only folder left the
        card offering "Open demo library", refused again for the same reason. It stands until
        the card's Try again (the folder made writable, maybe), a build, or the card giving
        way to a library; File ▸ Open demo library still asks again."""
        self.demo_button.setEnabled(refusal is None and not self.busy_box.isVisibleTo(self))
        self.demo_button.setToolTip(refusal or DEMO_TIP)

    def show_reading(self, on: bool) -> None:
        """Open demo library reads the demo on a worker (``on``), or has read it: the button
        is off meanwhile and says so (a slow disk took seconds, with no sign the click was
        heard, and a second click asked again), and Add your music folder is off as during
        the build the read may start (music added meanwhile went into the library the build
        then ran on). Its end gives them back unless what came of the read took them (a
        refusal, a build: :meth:`_demo_refused`, :meth:`show_busy`)."""
        self.demo_button.setText(READING_WORDS if on else DEMO_WORDS)
        building = self.busy_box.isVisibleTo(self)
        self.add_button.setEnabled(not on and not building)
        if on:
            self.demo_button.setEnabled(False)
        elif self.demo_button.toolTip() == DEMO_TIP and not building:
            self.demo_button.setEnabled(True)

    def show_idle(self) -> None:
        self.add_button.setEnabled(True)
        self.demo_button.setEnabled(True)
        self.demo_button.setToolTip(DEMO_TIP)
        self.busy_box.hide()
        if self.isVisible():  # a build cancelled or failed: its disabled buttons lost focus
            self.focus_first_action()
