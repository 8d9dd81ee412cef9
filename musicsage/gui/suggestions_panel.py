"""Right panel, "Suggestions" tab: tracks to add to the playlist chosen on the left.

Two lists side by side, graph model and audio alone, each playable (Enter, double-click),
each row saying why it is suggested (tooltip, and the line under the lists). Select rows in
either list (Ctrl/Shift for several) and press "Add to playlist" — the only thing that writes
into the playlist's own file (the controller checks it has not changed since it was read and
keeps a backup). The data is a :class:`~musicsage.search.types.SuggestResult`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QPushButton, QSpinBox, QStackedWidget,
                               QVBoxLayout, QWidget)

from musicsage.gui.neighbours import (LISTS_SIDE_BY_SIDE_FROM, FootLine, name_lists,
                                      show_copies, show_lists, variety_box)
from musicsage.gui.menu_letters import lettered
from musicsage.gui.noted_heading import NotedHeading
from musicsage.gui.pair_layout import PairLayout
from musicsage.gui.plain import plain_tooltip, tips_shown
from musicsage.gui.track_list import BOTH_MARK, TrackList
from musicsage.search.types import SuggestResult
from musicsage.text import noun, printable, sentence

EMPTY = "Choose a playlist for tracks to add to it,\nor Import playlists… to add one."
"""The heading while no playlist is chosen. "Choose a playlist on the left" alone stood
beside a list that said "No playlists yet" and named nothing to do; "None yet?" read oddly
beside a list of playlists. These words are true either way and name the toolbar's and
the File menu's Import playlists…. Each line is whole in an 800x600 window (its heading is
about 350 px wide there), where a longer hint was cut."""
LEGEND = f"{BOTH_MARK} in both lists · select rows, then Add to playlist"
ADD_TIP = "Write the selected suggestions into the playlist's file (a backup of the file is kept)"


class SuggestionsPanel(QWidget):
    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    add_requested = Signal(list)  # track ids to write into the playlist
    save_requested = Signal(str)  # graph | audio
    variety_toggled = Signal(bool)
    k_changed = Signal(int)
    """The suggestions' own count: the Neighbours tab's "top 10" set it too, unseen here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: SuggestResult | None = None
        self.why_not_add = ""
        """Why no row can be added to the playlist shown (a player's or a dataset's: no file
        of its own), "" when they can: the Add button is then off, its tooltip and
        :attr:`add_note` saying why."""
        self._heading_name = ""
        """The heading's first line without a count ("Suggestions for Mix"): what a failure
        keeps of it (:meth:`show_failed`)."""
        self.heading = NotedHeading(EMPTY, self)
        top = self._build_toolbar()
        self._build_lists()
        self.legend = FootLine(LEGEND, self)
        self.add_note = QLabel(self)
        """Why Add is off (:attr:`why_not_add`), as a sentence, under the button while the
        playlist is shown: on the line under the lists it read "◆ in both lists · playlist
        'Mix' came from …", and gave way to the current row's "Why: …" at the first click."""
        self.add_note.setTextFormat(Qt.TextFormat.PlainText)  # a playlist's name: text
        self.add_note.setWordWrap(True)
        self.add_note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.add_note)
        layout.addLayout(self.lists, 1)
        layout.addWidget(self.legend)
        self.clear()

    def _build_toolbar(self) -> QHBoxLayout:
        """List length and variety switch on the left; Add to playlist and Save… on the
        right."""
        self.k_spin = QSpinBox(self)
        self.k_spin.setRange(1, 200)
        self.k_spin.setValue(10)
        self.k_spin.setPrefix("top ")
        self.k_spin.setToolTip("How many suggestions each list shows")
        self.k_spin.setAccessibleName("Suggestions per list")
        self.k_spin.valueChanged.connect(self.k_changed)
        self.variety_box = variety_box(self)
        self.variety_box.toggled.connect(self.variety_toggled)
        self.add_button = QPushButton("Add to playlist", self)
        self.add_button.setToolTip(ADD_TIP)
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self._add)
        self.save_button = QPushButton("Save…", self)
        self.save_button.setToolTip("Save one list of suggestions as an M3U8 playlist of its own")
        menu = lettered(tips_shown(QMenu(self.save_button)))
        menu.addAction("Graph model list…", lambda: self.save_requested.emit("graph"))
        menu.addAction("Audio-only list…", lambda: self.save_requested.emit("audio"))
        self.save_button.setMenu(menu)
        self.save_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.k_spin)
        top.addWidget(self.variety_box)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.save_button)
        return top

    def _build_lists(self) -> None:
        """The two lists side by side (one above the other on a narrow panel), each over a
        note shown in its place when it is empty."""
        from musicsage.gui.map_view import AUDIO_COLOUR, GRAPH_COLOUR

        self.graph_list = TrackList(self, multi=True)
        self.audio_list = TrackList(self, multi=True)
        name_lists(self.graph_list, self.audio_list, "suggestions",
                   "Tracks to add to the chosen playlist, {by}. Enter plays a row; select "
                   "rows, then Add to playlist.", "the playlist's tracks")
        self.lists = PairLayout(LISTS_SIDE_BY_SIDE_FROM)
        self.lists.setSpacing(8)
        self.notes: dict[str, QLabel] = {}
        self.stacks: dict[str, QStackedWidget] = {}
        for name, title, colour, lst in (("graph", "Graph model", GRAPH_COLOUR, self.graph_list),
                                         ("audio", "Audio only", AUDIO_COLOUR, self.audio_list)):
            lst.play_requested.connect(self.play_requested)
            lst.play_similar_requested.connect(self.play_similar_requested)
            lst.itemSelectionChanged.connect(self._selection_changed)
            lst.current_track_changed.connect(lambda tid, lst=lst: self._show_why(lst, tid))
            note = QLabel(self)
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            stack = QStackedWidget(self)
            stack.addWidget(lst)
            stack.addWidget(note)
            self.notes[name], self.stacks[name] = note, stack
            column = QVBoxLayout()
            column.addWidget(QLabel(f'<span style="color:{colour}; font-size:15px;">&#9679;</span>'
                                    f" <b>{title}</b>", self))
            column.addWidget(stack, 1)
            self.lists.addLayout(column, 1)

    def clear(self) -> None:
        self.result = None
        self._set_why_not_add("")
        self._heading_name = ""
        self.heading.setText(EMPTY)
        for lst in (self.graph_list, self.audio_list):
            lst.set_rows([])
        for stack in self.stacks.values():
            stack.setCurrentIndex(0)
        self.add_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.legend.show_why("")
        self.legend.hide()  # (no rows for its key to speak of)
        show_copies(self.legend, LEGEND, [], "")

    def show_loading(self, name: str) -> None:
        """``name``'s lists are on their way: the previous playlist's rows go, and Save… and
        Add wait (they saved, and added to, the previous playlist meanwhile)."""
        self.result = None
        self._set_why_not_add("", keep_room=True)  # said of the previous playlist
        for lst in (self.graph_list, self.audio_list):
            lst.set_rows([])
        for stack in self.stacks.values():
            stack.setCurrentIndex(0)
        self._heading_name = f"Suggestions for {name}"
        self.heading.setText(f"{self._heading_name}\n(looking…)")
        self.save_button.setEnabled(False)
        self._selection_changed()

    def show_failed(self, why: str) -> None:
        """No suggestions for the playlist whose lists were on their way (:meth:`show_loading`),
        and why, in place of "(looking…)"; also after lists were shown, the library re-read
        (its last tracks removed): the heading then kept their count, "Suggestions for Mix
        (4 tracks)" above "Playlist 'Mix' is empty"."""
        self.result = None
        self._set_why_not_add("")  # no rows: nothing to add, the heading says why
        name = self._heading_name or self.heading.text().split("\n")[0]
        self.heading.setText(f"{name}\n{why}")
        self.graph_list.set_rows([])
        self.audio_list.set_rows([])
        self.save_button.setEnabled(False)
        self._selection_changed()
        for space, stack in self.stacks.items():
            self.notes[space].setText("No suggestions.")
            stack.setCurrentIndex(1)

    def show_result(self, result: SuggestResult, notes: dict[str, str]) -> None:
        """Both lists; ``notes``: what each says when empty, by space, and under ``"add"``
        why no row can be added (:meth:`SuggestionsController.notes`)."""
        self.result = result
        self._set_why_not_add(notes.get("add", ""), bool(result.graph or result.audio))
        p = result.playlist
        self._heading_name = f"Suggestions for {printable(p['name'])}"
        n = int(p["tracks"])  # "8,000 tracks", as the Playlist tab's heading
        self.heading.setText(f"{self._heading_name} ({n:,} {noun(n, 'track')})")
        common = result.both_ids  # a copy the other list shows counts: one song
        for name, lst in (("graph", self.graph_list), ("audio", self.audio_list)):
            lst.set_rows(result.rows(name), common)
            self.notes[name].setText(notes[name])
        show_lists(self, [self.stacks["graph"], self.stacks["audio"]],
                   [bool(result.graph), bool(result.audio)])
        self.save_button.setEnabled(bool(result.graph or result.audio))
        self.legend.show_why("")
        # the ◆ key speaks of rows to select: none while both lists are empty
        self.legend.setVisible(bool(result.graph or result.audio or result.folded_ids))
        # "select rows, then Add" is no advice while Add is off: the note above says why
        legend = f"{BOTH_MARK} in both lists" if self.why_not_add else LEGEND
        show_copies(self.legend, legend, result.folded_ids, "of its tracks")
        self._selection_changed()

    def _set_why_not_add(self, why: str, rows: bool = False, keep_room: bool = False) -> None:
        """Say ``why`` no row can be added ("" when they can) on the Add button's tooltip and,
        while there are ``rows`` (none: nothing to add; the Playlist tab's Remove note does
        the same), in :attr:`add_note`. ``keep_room``: the next playlist's lists are on their
        way: a note shown keeps its room, blank (it named the previous playlist), and the
        lists stay put — hidden and shown again, they jumped between two dataset playlists."""
        self.why_not_add = why
        self.add_button.setToolTip(plain_tooltip(sentence(why)) if why else ADD_TIP)
        shown = not self.add_note.isHidden()
        room = (self.add_note.height() if self.add_note.isVisible()
                else self.add_note.sizeHint().height()) if keep_room and shown else 0
        self.add_note.setMinimumHeight(room)
        self.add_note.setText(sentence(why))
        self.add_note.setVisible(bool(why) and rows or room > 0)

    def chosen(self) -> list[int]:
        """The selected rows of both lists (graph first), each track once."""
        return list(dict.fromkeys(self.graph_list.selected_track_ids()
                                  + self.audio_list.selected_track_ids()))

    def _selection_changed(self) -> None:
        n = len(self.chosen())
        self.add_button.setEnabled(bool(n) and self.result is not None and not self.why_not_add)
        self.add_button.setText(f"Add {n} to playlist" if n else "Add to playlist")

    def _add(self) -> None:
        chosen = self.chosen()
        if chosen:
            self.add_requested.emit(chosen)

    def _show_why(self, lst: TrackList, track_id: int) -> None:
        self.legend.show_why(lst.why_of(track_id) if track_id >= 0 else "")
