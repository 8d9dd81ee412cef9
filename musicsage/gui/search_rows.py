"""The rows of the library panel's search list: the tracks found, the note that ends them,
and the playlists the words typed name (:mod:`musicsage.controllers.search_words`); and the
list itself, whose track rows have the track lists' menu (Play, Play next, Add to queue …:
:func:`~musicsage.gui.track_list.track_menu`, the rows chosen in the list's order)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QMenu, QWidget

from musicsage.controllers.search_words import playlist_row, playlists_named
from musicsage.gui.menu_letters import run_once
from musicsage.gui.neighbours import hint_colour
from musicsage.gui.plain import plain_tooltip
from musicsage.gui.track_list import menu_tracks, track_menu
from musicsage.text import printable

ID_ROLE = Qt.ItemDataRole.UserRole
"""A row's track id (the library panel's)."""
PLAYLIST_ROLE = Qt.ItemDataRole.UserRole + 5
"""A row's playlist id."""


class SearchList(QListWidget):
    """The tracks (and playlists) found: a click or Enter picks a row; a track's row has the
    menu of a track list's rows, under the mouse or (the Menu key, Shift+F10) the current
    row's: found by a search, a track could only be selected, never lined up in the queue.
    Several rows can be chosen (Shift, Ctrl), as in the track lists, for "Add 6 to queue";
    such a click only builds that choice (:attr:`plain_click` false while it is told), where
    it also picked its track, even one a Ctrl-click took out of the choice."""

    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    play_next_requested = Signal(list)  # the menu's tracks: into the queue after its current one
    queue_requested = Signal(list)  # the menu's tracks: at the queue's end
    select_requested = Signal(int)  # the row's menu: make it the selected track

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plain_click = True
        """Whether the click being told (``itemClicked``) had neither Ctrl nor Shift held."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """A click, told with whether Ctrl or Shift was held (Qt tells ``itemClicked`` here)."""
        held = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        self.plain_click = not event.modifiers() & held
        try:
            super().mouseReleaseEvent(event)
        finally:
            self.plain_click = True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        """A track row's menu (a playlist's row and the note have none)."""
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        item = self.currentItem() if keyboard else self.itemAt(event.pos())
        tid = item.data(ID_ROLE) if item is not None else None
        if tid is None:
            return
        pos = self.visualItemRect(item).bottomLeft() if keyboard else event.pos()
        run_once(self.context_menu(int(tid)), self.viewport().mapToGlobal(pos))

    def context_menu(self, tid: int) -> QMenu:
        """A track row's menu (its own method, so that it is checked without opening it)."""
        return track_menu(self, tid)

    def menu_tracks(self, tid: int) -> list[int]:
        return menu_tracks(self.selected_track_ids(), tid)

    def selected_track_ids(self) -> list[int]:
        """The chosen track rows' ids, in the list's order (a playlist's row is none)."""
        rows = sorted(self.row(item) for item in self.selectedItems())
        ids = (self.item(r).data(ID_ROLE) for r in rows)
        return [int(tid) for tid in ids if tid is not None]


def fill_results(results: QListWidget, text: str, rows: list[tuple[int, str]], note: str,
                 playlists: list[tuple[int, str, int]], width: int) -> None:
    """(track id, label) ``rows`` found for ``text``, then ``note`` (the controller's
    :func:`~musicsage.controllers.library.search_note`: with no rows, what was searched,
    wrapped to ``width`` px; or that the list stops short), then the ``playlists`` (id,
    name, count) named by every word of ``text``."""
    results.clear()
    for tid, label in rows:
        item = QListWidgetItem(label)
        item.setData(ID_ROLE, tid)
        item.setToolTip(plain_tooltip(label))  # whole, where the row is cut
        results.addItem(item)
    if text and note:
        # the controller's words as they come: alone, wrapped; under the tracks ("more
        # than 100 match…") elided, its tooltip holding it whole
        add_note_row(results, note if rows else wrapped(note, QFontMetrics(results.font()),
                                                        width - 12))
    for pid, name, count in playlists_named(text, playlists):
        item = QListWidgetItem(playlist_row(name, count))
        item.setData(PLAYLIST_ROLE, pid)
        # the name on one line, as its row writes it: a "\n" in it broke the tooltip in two
        item.setToolTip(plain_tooltip(f"Choose the playlist {printable(name)}"))
        results.addItem(item)


def first_pickable(results: QListWidget) -> int:
    """The list's first row that can be picked, a track or a playlist (-1: none): when no
    track matches, the first row is the note (it cannot be), and the playlists offered
    under it were out of the keys' reach."""
    rows = (results.item(i) for i in range(results.count()))
    return next((i for i, r in enumerate(rows) if r.flags() & Qt.ItemFlag.ItemIsEnabled), -1)


def add_note_row(results: QListWidget, note: str) -> None:
    """A row that says something, cannot be picked, and reads: in the disabled row's own
    grey it was barely seen ("no match"), now in the hint grey that reads at 4.5:1."""
    item = QListWidgetItem(note)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    item.setForeground(hint_colour(results.palette()))
    item.setToolTip(plain_tooltip(note.replace("\n", " ")))
    results.addItem(item)


def wrapped(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` in lines of whole words no wider than ``width`` px where it can be: in one
    line the "no match" line was cut to "no title, artist, album or file na…"."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class SearchAnswer:
    """Which words the search list answers, and an Enter waiting for their answer. Enter
    picked the list's first row whatever it answered: "song 12" typed and Enter pressed
    within the typing delay selected the first track of "song", the list still showing it."""

    def __init__(self) -> None:
        self.text = ""
        """The words the list's rows were found for ("" before any answer)."""
        self.shown: tuple | None = None
        """What the list shows, as :meth:`news` was given it."""
        self.enter_for: str | None = None
        """Words whose answer Enter waits for, to pick its first row (None: none waits)."""

    def news(self, text: str, *shown: object) -> bool:
        """Whether an answer for ``text`` (its rows, note and playlists, ``shown``) differs
        from the one the list shows: the same one, asked again of a new library snapshot,
        leaves the list and its current row as they are."""
        self.text = text
        changed = self.shown != (text, *shown)
        self.shown = (text, *shown)
        return changed

    def typed(self) -> None:
        """The box changed: an Enter waiting for the words before is forgotten (their answer,
        come later, must not pick a track)."""
        self.enter_for = None

    def unanswered(self, text: str) -> None:
        """No answer comes for ``text`` (its search failed, or its library was left): an Enter
        waiting for it is forgotten, else the same words' answer, asked again by the next
        library read, picked a track with no key pressed. A read alone forgets nothing: the
        folder watch's read, landing before a slow answer, lost the Enter pressed for it."""
        if self.enter_for == text:
            self.enter_for = None

    def waited_for(self, text: str) -> bool:
        """Whether Enter waited for the answer for ``text`` (it is then no longer waited for)."""
        waited = self.enter_for is not None and self.enter_for == text
        if waited:
            self.enter_for = None
        return waited
