"""The window's Playback and Help menus, and Esc and Ctrl+. for Analyse ▸ Cancel current task.

The keys of playback (Space, Ctrl+Left / Ctrl+Right, the seek keys) were in no menu: the
Playback menu lists the player bar's own actions (one action per key: a second shortcut for
the same key would leave both dead as ambiguous) and the window's Space action, which took
over the key from a bare shortcut so that the menu shows it. Help ▸ Keyboard shortcuts lists
every key, read from the actions (:mod:`musicsage.gui.shortcuts_dialog`). Space, Previous
and Next pressed by their keys while greyed say why on the status line, in the window and in
a floating training dock alike (:class:`ControlsKeepTheirKeys`); "Nothing is queued" leaves the
status line once the queue holds tracks (:func:`nothing_queued_gives_way`). Stop has a plain
key besides its media key (:data:`STOP_KEY`), and Ctrl+F is View ▸ Find tracks (:func:`add_find`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox,
                               QLineEdit, QMenu, QPlainTextEdit, QPushButton, QTextEdit,
                               QToolButton, QToolTip, QWidget)

from musicsage.controllers.queue_plans import no_step_text, step_refused
from musicsage.gui.menu_letters import AccessLetters
from musicsage.gui.plain import tips_shown
from musicsage.gui.shortcuts_dialog import show_shortcuts
from musicsage.gui.tips import NO_TRACK_TIP, own_tip, set_own_tip, tip_unless

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow

CANCEL_KEY = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Period)
"""Cancel current task at once, wherever the focus is in the window (⌘. on macOS, where it is
the platform's second Cancel key). Esc cancels only where it has no other use: it first clears
the search box, the playlist filter or the map's region, hides a tooltip, and mid-lasso does
nothing — a search typed while a scan ran was lost to cancel the scan."""


def cancel_keys_text() -> str:
    """The cancel keys as a tooltip names them ("Esc or Ctrl+.", "Esc or ⌘." on macOS)."""
    native = QKeySequence.SequenceFormat.NativeText
    return f"{QKeySequence(Qt.Key.Key_Escape).toString(native)} or {CANCEL_KEY.toString(native)}"


def add_cancel_key(w: "MainWindow", cancel: QAction) -> None:
    """:data:`CANCEL_KEY`, window-wide (a floating training dock too: Qt keeps a tool
    window's parent's shortcuts working). A shortcut of its own, not a second key of
    ``cancel``: that one's keys work only on the welcome page and the status line (Esc
    elsewhere has other uses), and the same key twice would leave both dead as ambiguous.
    Help ▸ Keyboard shortcuts lists it by its ``whatsThis``."""
    key = QShortcut(CANCEL_KEY, w)  # the window owns it: nothing else need keep it
    key.activated.connect(lambda: cancel.trigger())  # (nothing while no task runs)
    key.setWhatsThis("Cancel current task, wherever the focus is")


STOP_KEY = QKeySequence("Ctrl+Shift+Space")
"""Playback ▸ Stop without a Stop media key (it had only that one; else Alt+P, S): Space plays
or pauses, so Space with modifiers stops. Shift+Space alone would stop playback while a
capital and a space were typed in the search box, Ctrl+Space is an input method's switch and
selects a row in a list; Ctrl+Shift+Space is no other key of the window (Help ▸ Keyboard
shortcuts lists every one) and types nothing in a text field."""


def add_find(w: "MainWindow", menu: QMenu) -> QAction:
    """View ▸ Find tracks (Ctrl+F): the search box, from a menu where a user looks for it (the
    key was only in Help ▸ Keyboard shortcuts and the box's placeholder). The action carries
    the key (a shortcut beside it for the same key would leave both dead as ambiguous); the
    window has it too, so it works with the menu bar hidden."""
    find = QAction("Find tracks", w)
    find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))  # Ctrl+F (⌘F on macOS)
    find.setToolTip("Go to the search box, to find tracks by title, artist or album")
    find.setStatusTip(find.toolTip())
    find.triggered.connect(lambda _checked=False: w.focus_search())
    w.addAction(find)
    menu.addAction(find)
    return find


def build_playback_menu(w: "MainWindow") -> QMenu:
    """Playback ▸ Play / pause (Space), Stop (:data:`STOP_KEY`), Previous, Next, the seek
    steps, Play similar.

    Each entry is on or off as the button it stands for (:class:`FollowsEnabled`): Stop,
    Play / pause and Play similar were on where their buttons were greyed, and did nothing.
    Space, Previous and Next still say why by their keys (:class:`ControlsKeepTheirKeys`)."""
    player = w.player
    menu = tips_shown(w.menuBar().addMenu("&Playback"))
    play_pause = QAction("Play / pause", w)
    play_pause.setShortcut(QKeySequence(Qt.Key.Key_Space))  # a focused button keeps it:
    play_pause.setToolTip("Play or pause the track (Space)")  # ControlsKeepTheirKeys
    play_pause.triggered.connect(lambda _checked=False: player.toggle())
    w.addAction(play_pause)  # Space works with the menu bar hidden too
    w.play_pause_action = play_pause
    menu.addAction(play_pause)
    player.stop_action.setShortcuts([STOP_KEY, *player.stop_action.shortcuts()])  # shown 1st
    native = STOP_KEY.toString(QKeySequence.SequenceFormat.NativeText)
    set_own_tip(player.stop_button, f"Stop ({native})")  # as Play's names Space
    menu.addAction(player.stop_action)
    menu.addSeparator()
    menu.addActions([player.previous_action, player.next_action])
    menu.addActions([player.seek_back_action, player.seek_forward_action])
    menu.addSeparator()
    button = w.neighbours.play_similar_button
    similar = menu.addAction("Play similar")
    similar.setToolTip(own_tip(button))  # its own: greyed, it says why already
    similar.setStatusTip(own_tip(button))
    similar.triggered.connect(lambda _checked=False: button.click())
    FollowsEnabled(player.play_button, play_pause)
    FollowsEnabled(player.stop_button, player.stop_action)
    FollowsEnabled(button, similar, NO_TRACK_TIP)
    return menu


class FollowsEnabled(QObject):
    """``target`` (a menu entry, a label) on or off as ``source`` (the button, the chooser
    it stands for) is, at once: one state, the button's, instead of a second one to keep
    in step. While off, ``target``'s tooltip (and status tip) says why: ``why``, else
    ``source``'s tooltip then (the player bar's buttons say why nothing can play); its own
    comes back with it. Owned by ``source``."""

    def __init__(self, source: QWidget, target: QObject, why: str = "") -> None:
        super().__init__(source)
        self.source, self.target, self.why = source, target, why
        self.own_status = getattr(target, "statusTip", lambda: None)()
        source.installEventFilter(self)
        self.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.EnabledChange, QEvent.Type.ToolTipChange):
            self.sync()
        return False

    def sync(self) -> None:
        on, target = self.source.isEnabled(), self.target
        target.setEnabled(on)
        why = None if on else self.why or self.source.toolTip()
        tip_unless(target, why)
        if self.own_status is not None:
            target.setStatusTip(why or self.own_status)


def build_help_menu(w: "MainWindow") -> QMenu:
    """Help ▸ Keyboard shortcuts; and, the menu bar's last menu made, the access letters of
    every menu's entries (:mod:`~musicsage.gui.menu_letters`), but those of the music folders
    and the graph models, named by the user's data."""
    menu = tips_shown(w.menuBar().addMenu("&Help"))
    shortcuts = menu.addAction("Keyboard shortcuts")
    shortcuts.setToolTip("Every key of the window, and where it works")
    shortcuts.triggered.connect(lambda _checked=False: show_shortcuts(w))
    w.menu_letters = AccessLetters(
        w.menuBar(), lambda: (w.actions_.remove_folder, w.actions_.graph_models))
    return menu


class EscCancelsTask(QObject):
    """Esc cancels the running task (Analyse ▸ Cancel current task) wherever in the window
    it has no other use: a key that the focus widget and the shortcuts leave comes up to the
    window. The search box and the playlist filter clear their text first (then, empty, let
    Esc through); the map clears its region; a dialog, a menu or a popup keeps its own Esc.
    Before, Esc cancelled only in the training dock, on the welcome page and the status line,
    though the menu showed it beside the action.

    Filters the window. The training dock keeps its Esc (it cancels the training the dock
    shows, or gives the focus back): there a scan was cancelled that the dock did not show."""

    def __init__(self, cancel: QAction, parent: QObject,
                 busy: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.cancel = cancel
        self.busy = busy
        """Whether Esc means something else now (a lasso being drawn): then it cancels
        nothing — mid-drag, the map has no region for its own Esc to clear."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if (kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
                or event.key() != Qt.Key.Key_Escape or not self.cancel.isEnabled()
                or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            focus = QApplication.focusWidget()
            if isinstance(focus, QLineEdit) and not focus.text():
                event.accept()  # nothing to clear: the key comes as a key press, up to here
                return True
            return False
        if QToolTip.isVisible():  # Esc dismisses a tooltip (Qt leaves it up on Linux)
            QToolTip.hideText()
        elif not self.busy():
            self.cancel.trigger()
        return True


def nothing_queued_gives_way(w: "MainWindow") -> None:
    """Previous's and Next's "Nothing is queued: …" leaves the status line once the queue
    holds tracks (a queue started, a track added): it stayed there 8 s while the queue the
    user started right after played. The one rule: a line the user's next action made untrue
    gives way (:meth:`StatusQueue.gives_way
    <musicsage.controllers.status_queue.StatusQueue.gives_way>`)."""
    line = no_step_text(True, queued=False)  # Previous says the same

    def queued() -> None:
        bar = w.statusBar()
        if w.app.queue.tracks and w.status_queue.gives_way(line, bar.currentMessage()):
            bar.clearMessage()

    w.app.queue.changed.connect(queued)


Refusal = tuple[QAction, Callable[[], object]]
"""An action whose key says why while the action is greyed, and what says it."""


def playback_refusals(w: "MainWindow") -> list[Refusal]:
    """Space, Previous and Next with what each says when pressed while greyed: Space asks the
    player (no sound card, or nothing to play: :meth:`QueueController.start`), Previous and
    Next the queue (:func:`~musicsage.controllers.queue_plans.step_refused`)."""
    player = w.player
    return [(w.play_pause_action, player.toggle),
            (player.previous_action, lambda: step_refused(w.app.queue, False)),
            (player.next_action, lambda: step_refused(w.app.queue, True))]


class ControlsKeepTheirKeys(QObject):
    """Space is the window's play/pause key, as in other music players, on the map, a track
    list or the window's background; a focused button, checkbox, combo box or text field
    keeps it (the window-wide shortcut took it from every one of them: none could be pressed
    from the keyboard). A slider does nothing with Space, so there it still plays or pauses.
    Enter and Return press a focused push or tool button too, which Qt does only in a dialog.

    The key of an action of ``refusals`` pressed while that action is greyed calls its
    refusal, which says why on the status line: Qt drops a disabled action's shortcut, so
    Space without a sound card, or Ctrl+Left / Ctrl+Right (the media keys) with an empty
    queue or at its end, did nothing visible. Said when the key's shortcut check comes up
    unclaimed (a text field keeps its own Ctrl+Left/Right; a list's own use of them comes
    after, as when the action is on, and says nothing), once for a held key; the key itself,
    come up unused, goes no further.

    Filters the window and the training dock (floating, it is a window of its own: a key in
    it came up to the main window no more): a key the focus widget leaves unhandled, or a
    shortcut override it does not claim, comes up to them."""

    SPACE_USERS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QTextEdit,
                   QPlainTextEdit)

    def __init__(self, parent: QObject, refusals: Sequence[Refusal] = ()) -> None:
        super().__init__(parent)
        self.refusals = list(refusals)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        focus = QApplication.focusWidget()
        if kind == QEvent.Type.ShortcutOverride:
            if (event.key() == Qt.Key.Key_Space
                    and event.modifiers() == Qt.KeyboardModifier.NoModifier
                    and isinstance(focus, self.SPACE_USERS)):
                event.accept()  # the key goes to the control, not to the shortcut
                return True
            refused = self._refusal(event)
            if refused is not None and not event.isAutoRepeat() and watched is _top(focus):
                refused()  # (a docked dock passes the check up to the window: said there)
            return False  # the key goes on to the focus widget, as any unclaimed key
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(focus, (QPushButton, QToolButton)) and focus.isEnabled()):
            focus.click()
            return True
        return self._refusal(event) is not None  # said already, at its shortcut check

    def _refusal(self, event: QEvent) -> Callable[[], object] | None:
        """What says why the key pressed does nothing: its action is greyed (None: another
        key, or one whose action is on, which its shortcut takes)."""
        pressed = QKeySequence(event.keyCombination())
        return next((refused for action, refused in self.refusals
                     if not action.isEnabled() and pressed in action.shortcuts()), None)


def _top(focus: QWidget | None) -> QWidget | None:
    """The window a key goes up to: the focus widget's (the main window, or the training dock
    floating), else the active one."""
    return focus.window() if focus is not None else QApplication.activeWindow()
