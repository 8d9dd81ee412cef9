"""Right panel, first tab: the selected track's neighbours, graph model and audio only, side
by side.

Rows show title, artist and cosine similarity; a track found by both models is marked (◆,
bold, tinted) in both lists so the difference between the two is visible at a glance.
Double-click or Enter plays a row; "Play similar" starts a radio from the selected track (or
from a row, in its context menu). Why a row is there — shared playlists, same artist, its
rank by the other model, shared tags — is in its tooltip and, for the current row, in the
line under the lists (in place of the key to the ◆). "One per artist" keeps at most one track per artist in each list.
The data is a :class:`~musicsage.search.types.SimilarResult`; this widget only displays it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QMenu, QPushButton, QSpinBox,
                               QStackedWidget, QVBoxLayout, QWidget)

from musicsage.controllers.map_tools import isolated
from musicsage.controllers.selection import (MISSING_NOTE_START, UNTRAINABLE_NOTE_START,
                                             beside_lists)
from musicsage.controllers.wording import (NOTE_BUTTONS, graph_note_button,
                                           no_file_graph_note)
# contrast and mix: also importable from here, as before (the dock, the plots, tests)
from musicsage.gui.colours import contrast, mix
# HeadingLabel: also importable from here (the Playlist and Suggestions tabs import it)
from musicsage.gui.heading_label import HeadingLabel  # noqa: F401
from musicsage.gui.menu_letters import lettered
from musicsage.gui.noted_heading import NotedHeading
from musicsage.gui.pair_layout import PairLayout
from musicsage.gui.plain import tips_shown
from musicsage.gui.tips import NO_TRACK_TIP, set_own_tip, tip_unless
from musicsage.gui.track_list import BOTH_MARK, TrackList
from musicsage.library.browse import shown_title
from musicsage.search.types import SimilarResult
from musicsage.text import counted, printable

LEGEND = f"{BOTH_MARK} in both lists · hover a row to see why it is there"
NO_TRACK = "Select a track on the map or in a list to see its neighbours"
"""The heading while no track is selected (the lists under it are empty): in the words of
the track box's (it said "in the library" there)."""
NO_TRACK_SAVE_TIP = "Select a track first: Save… saves one of its lists as a playlist"
NOTHING_TO_SAVE_TIP = "Both lists are empty: nothing to save"
LOADING_TIP = "Finding the selected track's neighbours: a moment"
FAILED_HEADING = "(neighbours not found: the status line says why)"
FAILED_TIP = "The selected track's neighbours could not be found: select it again to retry"
COPIES_TIP = ("Other files of the same song are never listed: the same title and artist "
              "(version words such as \"Remastered\" aside), or the same file under another name")

HINT_CONTRAST = 4.5
"""The least contrast of the grey key line against the panel: WCAG's AA level for text."""

SIM_TIP = ("Sim.: cosine similarity to {what}, in the list's own space (1: the closest "
           "there is). The graph model's and the audio model's scores are on different "
           "scales: compare rows within a list, never a score in one list with one in the "
           "other.")
"""The score column's header tooltip; ``{what}``: to what the rows are similar."""

#: Narrower than this, a pair of track lists goes one above the other: side by side each
#: list needs about 270 px for its title, artist and similarity to stay readable.
LISTS_SIDE_BY_SIDE_FROM = 560


class NeighboursPanel(QWidget):
    play_requested = Signal(int)
    play_similar_requested = Signal(int)
    retrain_requested = Signal()
    embed_requested = Signal()
    k_changed = Signal(int)
    variety_toggled = Signal(bool)
    save_requested = Signal(str)  # "graph" | "audio": the window asks for a file name and writes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: SimilarResult | None = None
        self.heading = NotedHeading(NO_TRACK, self)  # a failure's note wraps whole
        top = self._controls()
        lists = self._lists()
        self.legend = FootLine(LEGEND, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addLayout(lists, 1)
        layout.addWidget(self.legend)
        self.clear()

    def _controls(self) -> PairLayout:
        """List length and one per artist; "Play similar" and "Save…" on the right, or on a
        row of their own on a narrow panel. Made as the row reads, which is the Tab order (Tab
        went from the length to Save…, then back); both greyed by :meth:`clear` at first."""
        self.k_spin = QSpinBox(self)
        self.k_spin.setRange(1, 200)
        self.k_spin.setValue(10)
        self.k_spin.setPrefix("top ")
        self.k_spin.setToolTip("How many neighbours each list shows (the Suggestions tab "
                               "has its own)")
        self.k_spin.setAccessibleName("Neighbours per list")  # "top 10" alone says not of what
        self.k_spin.valueChanged.connect(self.k_changed)
        self.variety_box = variety_box(self)
        self.variety_box.toggled.connect(self.variety_toggled)
        self.play_similar_button = QPushButton("Play similar", self)
        self.play_similar_button.setToolTip("Start a radio: this track, then its graph neighbours, "
                                            "without repeats (see the Queue tab)")
        self.play_similar_button.clicked.connect(self._play_similar)
        self.save_button = QPushButton("Save…", self)
        self.save_button.setToolTip("Save one of the lists, after the selected track, as an "
                                    "M3U8 playlist")
        menu = lettered(tips_shown(QMenu(self.save_button)))  # letters while shown
        self.save_graph_action = menu.addAction("Graph model list…", lambda: self.save_requested.emit("graph"))
        self.save_audio_action = menu.addAction("Audio-only list…", lambda: self.save_requested.emit("audio"))
        self.save_button.setMenu(menu)
        left, right = QHBoxLayout(), QHBoxLayout()
        left.addWidget(self.k_spin)
        left.addWidget(self.variety_box)
        left.addStretch(1)
        right.addStretch(1)  # keeps the buttons on the right on a row of their own
        right.addWidget(self.play_similar_button)
        right.addWidget(self.save_button)
        top = PairLayout()
        top.addLayout(left, 1)
        top.addLayout(right)
        return top

    def _play_similar(self) -> None:
        if self.result is not None:
            self.play_similar_requested.emit(int(self.result.query["track_id"]))

    def _lists(self) -> PairLayout:
        """The two lists side by side (one above the other on a narrow panel), each with the
        page shown when empty; made as they read (Tab went Save…, audio list, graph's button)."""
        from musicsage.gui.map_view import AUDIO_COLOUR, GRAPH_COLOUR

        self.graph_list = TrackList(self)
        self.graph_note = self._note_label()
        self.retrain_button = QPushButton(self)
        self._set_graph_note("")  # Retrain, until a note says otherwise
        self.retrain_button.clicked.connect(lambda: (  # what the note's button does, not says
            self.embed_requested if self.note_action == "embed" else self.retrain_requested).emit())
        self.audio_list = TrackList(self)
        name_lists(self.graph_list, self.audio_list, "neighbours",
                   "The tracks nearest the selected one {by}. Enter plays, Ctrl+Enter selects.",
                   "the selected track")
        self._why_list: TrackList | None = None
        """The list whose current row's reason the key line shows (kept by :meth:`show_result`
        when the same lists come explained anew)."""
        for lst in (self.graph_list, self.audio_list):
            lst.play_requested.connect(self.play_requested)
            lst.play_similar_requested.connect(self.play_similar_requested)
            lst.current_track_changed.connect(lambda tid, lst=lst: self._show_why(lst, tid))
        self.graph_stack = QStackedWidget(self)
        self.graph_stack.addWidget(self.graph_list)
        self.graph_stack.addWidget(self._note_page(self.graph_note, self.retrain_button))
        self.audio_note = self._note_label()
        self.audio_stack = QStackedWidget(self)
        self.audio_stack.addWidget(self.audio_list)
        self.audio_stack.addWidget(self._note_page(self.audio_note))
        lists = PairLayout(LISTS_SIDE_BY_SIDE_FROM)
        lists.setSpacing(8)
        lists.addWidget(self._column("Graph model", GRAPH_COLOUR, self.graph_stack), 1)
        lists.addWidget(self._column("Audio only", AUDIO_COLOUR, self.audio_stack), 1)
        return lists

    def _note_page(self, note: QLabel, button: QPushButton | None = None) -> QWidget:
        """An empty list's page: its note a third of the way down, level in both columns."""
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(note)
        if button is not None:
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _note_label(self) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _column(self, title: str, colour: str, body: QWidget) -> QWidget:
        w = QWidget(self)
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        label = QLabel(f'<span style="color:{colour}; font-size:15px;">&#9679;</span> <b>{title}</b>', w)
        v.addWidget(label)
        v.addWidget(body, 1)
        return w

    @property
    def k(self) -> int:
        return self.k_spin.value()

    def clear(self, text: str = "", tip: str = "") -> None:
        """No track's neighbours: ``text`` (else :data:`NO_TRACK`) in the heading, and no key
        under the empty lists (it spoke of ◆ rows and rows to hover, with none there);
        ``tip``: why the greyed buttons are (else that no track is selected)."""
        self.result = None
        self.heading.setText(text or NO_TRACK)
        self.legend.hide()
        self.graph_list.set_rows([], set())
        self.audio_list.set_rows([], set())
        self.graph_stack.setCurrentIndex(0)
        self.audio_stack.setCurrentIndex(0)
        self.save_button.setEnabled(False)
        self.play_similar_button.setEnabled(False)
        # greyed, they say why, as Playback ▸ Play similar does (not what they would do)
        tip_unless(self.save_button, tip or NO_TRACK_SAVE_TIP)
        tip_unless(self.play_similar_button, tip or NO_TRACK_TIP)
        self.legend.show_why("")
        self._show_copies([])

    def _show_why(self, lst: TrackList, track_id: int) -> None:
        if track_id >= 0:
            self._why_list = lst
        self.legend.show_why(lst.why_of(track_id) if track_id >= 0 else "")

    def show_loading(self, title: str, artist: str | None = None) -> None:
        """``title``'s lists are on their way: Play similar and Save… wait for them (they
        acted on the lists still shown, the previous track's). ``title`` and ``artist`` come
        apart (:func:`track_heading`): a label already joined, split back at its first " — ",
        cut a title holding one there, its halves swapped or the artist drawn inside it."""
        self.heading.setText(f"{track_heading(title, artist)}\n(finding neighbours…)")
        self.save_button.setEnabled(False)
        self.play_similar_button.setEnabled(False)
        tip_unless(self.save_button, LOADING_TIP)
        tip_unless(self.play_similar_button, LOADING_TIP)

    def show_failed(self, track_id: int, title: str, artist: str | None = None) -> None:
        """``title``'s lookup failed: its buttons said "a moment" forever, greyed under the
        previous track's lists. A refresh's failure keeps the track's own lists. The heading
        names the track as the loading one did (:func:`track_heading`)."""
        if self.result is None or int(self.result.query.get("track_id", -1)) != track_id:
            self.clear(f"{track_heading(title, artist)}\n{FAILED_HEADING}", FAILED_TIP)

    def show_result(self, result: SimilarResult, notes: dict[str, str]) -> None:
        """Fill both lists from a neighbour search; ``notes``: why a list is empty, by space,
        shown as given (:meth:`SelectionController.empty_notes`: whole sentences)."""
        self.result, q = result, result.query
        title = shown_title(q.get("title"), str(q.get("path") or ""), q.get("track_id"))
        self.heading.setText(track_heading(title, q.get("artist")))  # as the loading one
        common = result.both_ids  # a copy the other list shows counts: one song
        reading = self._why_list  # the list whose row's reason is shown
        kept = {lst: lst.set_rows(rows, common) for lst, rows in
                ((self.graph_list, result.graph), (self.audio_list, result.audio))}
        if not result.graph:
            self._set_graph_note(notes.get("graph", ""))
        if not result.audio:
            self.audio_note.setText(notes.get("audio", ""))
        show_lists(self, [self.graph_stack, self.audio_stack],
                   [bool(result.graph), bool(result.audio)])
        self.save_graph_action.setEnabled(bool(result.graph))
        self.save_audio_action.setEnabled(bool(result.audio))
        self.save_button.setEnabled(bool(result.graph or result.audio))
        tip_unless(self.save_button, None if result.graph or result.audio
                   else NOTHING_TO_SAVE_TIP)
        self.play_similar_button.setEnabled(True)
        tip_unless(self.play_similar_button, None)
        if reading is not None and kept[reading] is not None:  # explained anew: the row
            self._show_why(reading, kept[reading])  # being read says its new reason
        else:
            self.legend.show_why("")
        # the ◆ key speaks of rows to hover: none while both lists are empty
        self.legend.setVisible(bool(result.graph or result.audio or result.folded_ids))
        self._show_copies(result.folded_ids, beside_lists(result))

    def show_notes(self, notes: dict[str, str]) -> None:
        """New words for the empty lists' notes (an embedding run started or ended), the
        lists themselves unchanged."""
        if "graph" in notes:
            self._set_graph_note(notes["graph"])
        self.audio_note.setText(notes.get("audio", self.audio_note.text()))

    def _set_graph_note(self, note: str) -> None:
        """The empty graph list's note, and under it the button that does what it says
        (:func:`graph_note_button`); none for missing files, which neither brings back (the
        neighbours' files, or the track's own: :func:`no_file_graph_note`), nor where Retrain
        cannot train yet (the note says what it needs)."""
        self.graph_note.setText(note)  # a whole sentence (SelectionController.empty_notes)
        self.note_action = graph_note_button(note)  # "retrain" | "embed"
        self.retrain_button.setText(NOTE_BUTTONS[self.note_action][0])
        set_own_tip(self.retrain_button, NOTE_BUTTONS[self.note_action][1])
        self.retrain_button.setVisible(not note.startswith((
            MISSING_NOTE_START, UNTRAINABLE_NOTE_START)) and not no_file_graph_note(note))

    def _show_copies(self, ids: list[int], beside: str = "") -> None:
        """The key, what the lists left out (:func:`beside_lists`) and the copies left out."""
        show_copies(self.legend, f"{LEGEND} · {beside}" if beside else LEGEND, ids,
                    "of this track")


def track_heading(title: str, artist: str | None) -> str:
    """"Title — Artist" on one line (control characters written visibly), each name set apart
    (:func:`~musicsage.controllers.map_tools.isolated`): a title in a right-to-left script
    ("המוסד — La Coka Nostra") made the whole heading a right-to-left line, drawn flush right
    as "La Coka Nostra — המוסד", the artist first, unlike every other track's heading."""
    shown = isolated(printable(title))
    return f"{shown} — {isolated(printable(artist))}" if artist else shown


def show_lists(panel: QWidget, stacks: list[QStackedWidget], shown: list[bool]) -> None:
    """Each stack's list (its first page) where ``shown``, else the note in its place.

    The keyboard focus on a list so hidden goes to a list still shown, else to what on the
    note takes the Tab key (Retrain), else to ``panel``. Qt moved it onto the note, a label
    or the button: a keyboard user lost their place between the lists, and a screen reader
    read out something unrelated."""
    focus = panel.window().focusWidget()
    had = next((s for s in stacks if focus is not None
                and (focus is s.widget(0) or s.widget(0).isAncestorOf(focus))), None)
    for stack, on in zip(stacks, shown):
        stack.setCurrentIndex(0 if on else 1)
    if had is None or had.currentIndex() == 0:
        return
    page = had.currentWidget()
    takers = [w for w in (page, *page.findChildren(QWidget))
              if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()]
    lists = [s.widget(0) for s in stacks if s.widget(0).isVisible()]
    (lists + takers + [panel])[0].setFocus(Qt.FocusReason.OtherFocusReason)


def show_copies(legend: FootLine, text: str, ids: list[int], of: str) -> None:
    """``text`` on ``legend``, saying which copies were left out (``of``: of what): otherwise
    a file the user knows is there (a duplicate they may want to clean up) is silently
    missing from both lists."""
    if not ids:
        legend.show_legend(text, "")
        return
    legend.show_legend(f"{text} · {counted(len(ids), 'copy', 'copies')} {of} "
                       f"left out ({', '.join(f'#{t}' for t in ids)})", COPIES_TIP)


class FootLine(QLabel):
    """The line at the foot of a pair of lists: why the current row is there or, while no row
    is current, the grey key (◆, copies left out). One line for both, two text lines high
    (a reason wraps): a line of its own for the reason stood empty until a row was chosen,
    and at 1024x640 with the training dock open those 40 px were a row of each list."""

    def __init__(self, legend: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # playlist names, tags: text, never markup
        self.setWordWrap(True)  # a long note never widens the panel
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._legend, self._tip, self._why = legend, "", ""
        parent.installEventFilter(self)
        self._show()

    def show_legend(self, text: str, tip: str) -> None:
        """The key, shown whenever no row's reason is."""
        self._legend, self._tip = text, tip
        self._show()

    def show_why(self, why: str) -> None:
        """The current row's reason ("" when none: the key again)."""
        self._why = why
        self._show()

    def _show(self) -> None:
        self.setText(f"Why: {self._why}" if self._why else self._legend)
        self.setToolTip("" if self._why else self._tip)
        palette = QPalette()  # only the key's grey set: the rest follows the panel's
        parent = self.parentWidget()
        if not self._why and parent is not None:
            palette.setColor(QPalette.ColorRole.WindowText, hint_colour(parent.palette()))
        self.setPalette(palette)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """A new theme (light to dark) on the panel: the key's grey follows it."""
        if watched is self.parentWidget() and event.type() == QEvent.Type.PaletteChange:
            self._show()
        return False


def readable(hue: str, text: QColor, back: QColor, least: float) -> QColor:
    """``hue`` mixed towards ``text`` (in twentieths) as little as it takes to read at
    ``least`` against ``back``: a colour picked on a light theme (the dock's amber notes, the
    plots' series) was too dark to read on a dark one."""
    mixes = (mix(QColor(hue), text, step / 20) for step in range(21))
    return next((c for c in mixes if contrast(c, back) >= least), text)


def hint_colour(palette: QPalette) -> QColor:
    """Grey for a hint line: the text colour mixed into the background as far as a reader
    still gets :data:`HINT_CONTRAST` against it. ``palette(mid)`` was 1.7:1 on a light theme
    and 1.4:1 on a dark one, too faint to read."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    for percent in range(50, 101, 5):  # the faintest mix that reads
        faint = mix(back, text, percent / 100)
        if contrast(faint, back) >= HINT_CONTRAST:
            return faint
    return text


def name_lists(graph: TrackList, audio: TrackList, what: str, description: str,
               similar_to: str) -> None:
    """Name a pair of lists for screen readers: the column titles above them are separate
    labels, so both lists were read out alike ("tree") and the user could not tell the graph
    model's from the audio model's. ``description`` holds ``{by}``: by which model. Their
    score column's tooltip says the rows are similar to ``similar_to`` (:data:`SIM_TIP`)."""
    graph.setAccessibleName(f"Graph model {what}")
    audio.setAccessibleName(f"Audio-only {what}")
    for lst, by in ((graph, "by the graph model (playlists, albums, artists)"),
                    (audio, "by the sound alone")):
        lst.setAccessibleDescription(description.format(by=by))
        lst.set_score_tip(SIM_TIP.format(what=similar_to))


def variety_box(parent: QWidget) -> QCheckBox:
    box = QCheckBox("One per artist", parent)
    box.setToolTip("Keep at most one track per artist in each list")
    return box
