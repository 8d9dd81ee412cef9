"""Right panel, "Playlist" tab: the tracks of the playlist chosen on the left, in its order.

One row per entry found in the library (a track listed twice has two rows): its place, title,
artist and length; a track that cannot play (its file missing, or none) is greyed, says so
in place of its length, and why in its tooltip and the line under the list. Enter or a
double-click plays a row. Select rows (Ctrl/Shift for several) and press "Remove from
playlist", Delete, or the rows' menu entry: the controller
(:class:`~musicsage.controllers.playlist_tracks.PlaylistTracksController`) takes every entry of
each out of the playlist's own file, after a backup — so nothing asks first; the status line
says where the backup is. A playlist musicsage never writes shows the button off, its
tooltip and a note under it saying why (as the Suggestions tab's Add). The data is a
:class:`~musicsage.controllers.playlist_tracks.PlaylistTracks`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from musicsage.controllers.map_tools import isolated
from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.neighbours import FootLine, HeadingLabel, hint_colour
from musicsage.gui.plain import plain_tooltip
from musicsage.gui.track_view import TrackView
from musicsage.text import sentence

EMPTY = "Choose a playlist to see its tracks,\nor Import playlists… to add one."
"""As the Suggestions tab's hint: true whether the library has playlists or not, it says
where they come from, in lines whole in an 800x600 window."""
LEGEND = "Enter plays a row · select rows, then Remove from playlist (or press Delete)"
LEGEND_NO_REMOVE = "Enter plays a row"
"""The key while Remove is off: "select rows, then Remove" is no advice then, the note above
the list says why."""
REMOVE_TIP = ("Take the selected tracks out of the playlist's file, every entry of each "
              "(a backup of the file is kept; the status line says where)")


def _heading(view: PlaylistTracks) -> str:
    """The tab's heading (:attr:`~PlaylistTracks.heading`, which starts with the playlist's
    name), the name set apart (:func:`~musicsage.controllers.map_tools.isolated`): a name in
    a right-to-left script made the whole line one, "(tracks 35) שירים לנסיעה ארוכה"."""
    head, name = view.heading, view.name
    return isolated(name) + head[len(name):] if head.startswith(name) else head


class PlaylistTrackList(TrackView):
    """The playlist's rows: # · Title · Artist · Time, a model's (any length shows at the cost
    of one reset). Delete (and the rows' menu) asks to remove the selected tracks."""

    remove_requested = Signal(list)  # track ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.can_remove = False
        self.busy = False
        """A removal runs: the rows' menu offers none until it is over, as the button does (its
        entry stayed on, and did nothing)."""
        self.rows_model.set_grey(QBrush(hint_colour(self.palette())))
        self.setAccessibleName("Playlist tracks")
        self.setAccessibleDescription("The chosen playlist's tracks, in its order. Enter plays "
                                      "a row, Ctrl+Enter selects it; Delete removes the "
                                      "selected rows from the playlist.")

    @property
    def shown(self) -> tuple[PlaylistRow, ...]:
        """The rows listed (:meth:`set_tracks` leaves the same rows alone)."""
        return self.rows_model.rows

    def set_tracks(self, rows: tuple[PlaylistRow, ...], *, keep: bool = True) -> None:
        """The rows, in one model reset; with ``keep`` (the same playlist read again) the
        selected tracks stay selected, the current row at its place (the next track, after a
        removal) and the list where it was scrolled; without (another playlist) the rows show
        from their top. Rows as shown already are left alone: each re-read of the library (a
        rescan, the folder watch, a command in a terminal) rebuilt all 8,000 rows of a long
        playlist on the window's thread, and dropped the selection."""
        if rows == self.shown and keep:
            return
        current = self.currentIndex()
        place = current.row() if keep and current.isValid() else -1
        kept = self.shown[place].track_id if place >= 0 else None
        selected = set(self.selected_track_ids()) if keep else set()
        scrolled = self.verticalScrollBar().value() if keep else 0
        self.blockSignals(True)  # the relayed selection signals: none mid-change
        try:
            self.rows_model.show(rows)
            self._restore(selected, kept, place)
        finally:
            self.blockSignals(False)
        self._fit_columns()
        if not keep:
            self.scrollToTop()  # a model reset keeps the scroll: the next one opened there
        elif scrolled:
            self.doItemsLayout()  # the scroll bar's range for the new rows, to scroll back
            self.verticalScrollBar().setValue(scrolled)

    def _restore(self, selected: set[int], kept: int | None, place: int) -> None:
        """Select again the rows of the tracks that were selected (a track's every row), in
        runs of rows at once, and make current the row of the track that was, nearest its
        place (else the row now there: the next track, after a removal)."""
        ids = [row.track_id for row in self.shown]
        model, selection = self.rows_model, self.selectionModel()
        if 0 <= place and ids:
            rows = [i for i, tid in enumerate(ids) if tid == kept]
            at = min(rows, key=lambda i: abs(i - place)) if rows else min(place, len(ids) - 1)
            selection.setCurrentIndex(model.index(at, 0),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)
        if not selected:
            return
        chosen, start, last = QItemSelection(), None, model.columnCount() - 1
        for i, tid in enumerate([*ids, None]):
            if tid is not None and tid in selected:
                start = i if start is None else start
            elif start is not None:
                chosen.select(model.index(start, 0), model.index(i - 1, last))
                start = None
        if not chosen.isEmpty():
            selection.select(chosen, QItemSelectionModel.SelectionFlag.Select)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        """A new theme (light to dark): the missing rows' grey follows it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.rows_model.set_grey(QBrush(hint_colour(self.palette())))

    def chosen(self, track_id: int | None = None) -> list[int]:
        """The selected rows' tracks, each once; ``track_id`` (a menu's row) when it is not
        among them."""
        ids = list(dict.fromkeys(self.selected_track_ids()))
        return ids if track_id is None or track_id in ids else [track_id]

    def context_menu(self, tid: int) -> QMenu:
        menu = super().context_menu(tid)
        ids = self.chosen(tid)
        menu.addSeparator()  # a section of its own: the entries above keep every list's letters
        label = (f"Remove {len(ids)} from playlist" if len(ids) > 1 else "Remove from playlist")
        action = menu.addAction(label, lambda: self.remove_requested.emit(ids))
        action.setEnabled(self.can_remove and not self.busy)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Delete and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if self.can_remove and self.chosen():
                self.remove_requested.emit(self.chosen())
            return
        super().keyPressEvent(event)


class PlaylistPanel(QWidget):
    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    remove_requested = Signal(list)  # track ids to take out of the playlist

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: PlaylistTracks | None = None
        self.busy = False
        self.heading = HeadingLabel(EMPTY, self)
        self.remove_button = QPushButton("Remove from playlist", self)
        self.remove_button.setToolTip(REMOVE_TIP)
        self.remove_button.clicked.connect(lambda: self._remove(self.list.chosen()))
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.remove_button)
        self.remove_note = QLabel(self)
        """Why Remove is off (:attr:`~PlaylistTracks.why_not`), as a sentence, under the button
        while the playlist's rows are shown: on the line under the list it read "playlist 'Mix'
        came from …", and gave way to the current row's "Why: …" at the first click."""
        self.remove_note.setTextFormat(Qt.TextFormat.PlainText)  # a playlist's name: text
        self.remove_note.setWordWrap(True)
        self.remove_note.hide()
        self.list = PlaylistTrackList(self)
        self.list.play_requested.connect(self.play_requested)
        self.list.play_similar_requested.connect(self.play_similar_requested)
        self.list.remove_requested.connect(self._remove)
        self.list.itemSelectionChanged.connect(self._enable)
        self.list.current_track_changed.connect(
            lambda tid: self.legend.show_why(self.list.why_of(tid) if tid >= 0 else ""))
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.note)
        self.legend = FootLine(LEGEND, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.remove_note)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)
        self.show_tracks(None)

    def show_tracks(self, view: PlaylistTracks | None) -> None:
        """The playlist's rows (None: no playlist chosen, the invitation to choose one)."""
        same = (view is not None and self.view is not None
                and view.playlist_id == self.view.playlist_id)
        self.view = view
        # another playlist: no row kept current, none selected
        self.list.set_tracks(view.rows if view is not None else (), keep=same)
        self.heading.setText(_heading(view) if view is not None else EMPTY)
        if view is not None:
            self.heading.setToolTip(plain_tooltip(f"{_heading(view)}\n{view.path}"))
        self.note.setText(view.note if view is not None else "")
        self.stack.setCurrentIndex(1 if view is not None and not view.rows else 0)
        self.legend.show_why("")
        self.list.can_remove = view is not None and view.can_remove
        self._set_why_not(view.why_not if view is not None else "",
                          view is not None and bool(view.rows))
        self._enable()

    def _set_why_not(self, why: str, rows: bool) -> None:
        """Say ``why`` no row can be removed ("" when they can) on the button's tooltip and,
        while there are ``rows`` (an empty list has its own note in its place), in
        :attr:`remove_note`, the key under the list then no longer advising Remove. A chosen
        playlist without rows shows no key: "Enter plays a row" named rows there were none of."""
        self.remove_button.setToolTip(plain_tooltip(sentence(why)) if why else REMOVE_TIP)
        self.remove_note.setText(sentence(why))
        self.remove_note.setVisible(bool(why) and rows)
        empty = self.view is not None and not rows
        self.legend.show_legend("" if empty else LEGEND_NO_REMOVE if why else LEGEND, "")

    def set_busy(self, busy: bool) -> None:
        """A removal runs: the button waits for the list it changes."""
        self.busy = self.list.busy = busy
        self._enable()

    def _enable(self) -> None:
        n = len(self.list.chosen())
        self.remove_button.setEnabled(self.list.can_remove and bool(n) and not self.busy)
        self.remove_button.setText(f"Remove {n} from playlist" if n > 1
                                   else "Remove from playlist")

    def _remove(self, track_ids: list) -> None:
        if track_ids and self.list.can_remove and not self.busy:
            self.remove_requested.emit(list(track_ids))
