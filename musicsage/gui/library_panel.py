"""Left panel: search, playlists, what the library holds and which models are in use, track details.

The panel only displays and asks: searching, playlist members and MusiCNN tags are computed
by service calls the window runs on workers, and the results come back through the ``show_*``
methods.
"""

from __future__ import annotations

import html
from typing import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QFormLayout, QFrame, QGroupBox, QLabel, QLineEdit,
                               QListWidgetItem, QScrollArea, QSizePolicy, QSplitter, QVBoxLayout,
                               QWidget)

from musicsage.controllers.search_words import SEARCHED
from musicsage.gui.graph_summary import graph_line, graph_tip
from musicsage.gui.heading_label import LinesLabel
from musicsage.gui.plain import plain_tooltip
from musicsage.gui.playlist_list import PlaylistList
from musicsage.gui.search_rows import (PLAYLIST_ROLE, SearchAnswer, SearchList, fill_results,
                                       first_pickable)
from musicsage.text import format_length, noun, printable

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 200
NO_TRACK_TITLE = "Track (none selected)"
"""The empty track box's title (blank fields alone read as a track with no tags)."""
NO_TRACK_LINE = "Select a track on the map or in a list to see its details here."
"""The empty track box's one line, in place of its blank fields."""
TRACK_TITLE = "Selected track"
"""The track box's title while it shows one ("Track #5" was a database id; the id is in
the box's tooltip)."""
SEARCH_PLACEHOLDER = "Find tracks (Ctrl+F)"
"""Short: "Search title, artist, album  (Ctrl+F)" was cut to "Search title, artist, album (…"
in the panel at its usual widths; this fits its narrowest (the rest is in the tooltip)."""
SEARCH_TIP = (f"Find tracks by {SEARCHED} (Ctrl+F); every word must match. Enter selects "
              "the first result.")
TAGS_TIP = "Most probable MusiCNN tags (Million Song Dataset model), computed from the audio"


class ElidedLabel(QLabel):
    """One line, elided in the middle (a path's start and file name both stay visible)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle,
                                                      max(20, self.width())))


class WrappedLabel(QLabel):
    """Wrapped text whose every line is kept: a splitter pane does not ask a wrapped label how
    tall it must be at its width, so the library summary lost its last lines ("Graph model:
    pinsage-") when the window was low. Its minimum height follows its width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        kept = self.minimumHeight()
        self.setMinimumHeight(0)  # QLabel's height for a width is never below its minimum
        needed = self.heightForWidth(max(self.width(), 40))
        self.setMinimumHeight(needed if needed > 0 else kept)


class WholeUnlessLow(QScrollArea):
    """A scroll area that asks for its widget's whole minimum height (a plain one asks for
    less, and a splitter then gave the track box too little on a roomy window); it scrolls
    only when the panel cannot give that."""

    def sizeHint(self):  # noqa: N802 - Qt API
        hint = super().sizeHint()
        inner = self.widget()
        if inner is not None:
            hint.setHeight(max(hint.height(), inner.minimumHeight() + 2 * self.frameWidth()))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.refit()
        super().resizeEvent(event)

    def refit(self) -> None:
        """Show the scroll bar only when the widget does not fit at the area's whole width.
        Qt asks the widget's height at its size hint's (narrow) width: once it had scrolled
        (the search list took some height), its scroll bar narrowed it, the tags wrapped
        onto more lines, and it kept scrolling, the tags cut, after the height came back."""
        fits = self.needed_height() <= self.height()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff if fits
                                        else Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def needed_height(self) -> int:
        """The height that shows the whole widget at the area's whole width."""
        inner = self.widget()
        if inner is None:
            return 0
        frame = 2 * self.frameWidth()
        return max(inner.heightForWidth(self.width() - frame), inner.minimumHeight()) + frame


class LibraryPanel(QWidget):
    search_changed = Signal(str)  # debounced text
    track_chosen = Signal(int)  # a search result was picked
    playlist_chosen = Signal(object)  # playlist id, or None when the selection was cleared
    playlist_play_requested = Signal(int)  # playlist id: play it in its order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown_track_id: int | None = None
        """The library id of the track the box shows (None: none)."""
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setToolTip(SEARCH_TIP)
        self.search.setClearButtonEnabled(True)
        # a screen reader reads the name, not the placeholder (gone once the box holds text)
        self.search.setAccessibleName("Find tracks")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self._answer = SearchAnswer()  # a change forgets an Enter waiting for the words before
        self.search.textChanged.connect(lambda _t: (self._answer.typed(), self._debounce.start()))
        self.search.returnPressed.connect(self._choose_first_result)

        self.results = SearchList(self)  # its rows' menu is wired by the window
        self.results.setVisible(False)
        self.results.setAccessibleName("Search results")
        self.results.itemActivated.connect(self._result_activated)
        self.results.itemClicked.connect(self._result_clicked)
        self._build_search_keys()

        # sorted by name, with a filter: hundreds of playlists in import order were unusable
        self.playlist_box = PlaylistList(self)
        self.playlist_box.chosen.connect(self.playlist_chosen.emit)
        self.playlist_box.play_requested.connect(self.playlist_play_requested.emit)
        self.playlists = self.playlist_box.list
        self.playlist_filter = self.playlist_box.filter
        self.playlists_label = self.playlist_box.heading

        self.summary = WrappedLabel(self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._build_details()

        top = QWidget(self)
        tv = QVBoxLayout(top)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addWidget(self.search)
        tv.addWidget(self.results, 1)
        tv.addWidget(self.playlist_box, 2)
        tv.addWidget(self.summary)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.details_scroll)
        # the track box keeps its whole height while the playlists can give room; only below
        # that does it scroll
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)
        self.show_track(None)

    def _build_details(self) -> None:
        """The selected track's fields, one label each (the path elided in the middle), in a
        box that scrolls when the panel is low."""
        self.details = QGroupBox(NO_TRACK_TITLE, self)
        form = QFormLayout(self.details)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.detail_labels: dict[str, QLabel] = {}
        for key in ("title", "artist", "album", "genre", "year", "duration", "path", "tags"):
            label = (ElidedLabel if key == "path" else LinesLabel  # names: 2 lines at most
                     if key in ("title", "artist", "album") else QLabel)(self.details)
            label.setWordWrap(key != "path")
            # a word wider than the panel (an untagged file's name as its title, a dataset's
            # album id) made the whole box wider than the panel: every field lost its right
            # end. Now only that word is cut, and the tooltip holds the whole text.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setTextFormat(Qt.TextFormat.PlainText)  # a tag such as "<b>Bold</b>" is text
            self.detail_labels[key] = label
            if key == "tags":  # the box's whole width under its name: a tag and its score
                form.addRow(QLabel("Tags:", self.details))  # ("experimental 0.50 ·") fit
                form.addRow(label)
            else:
                form.addRow(key.capitalize() + ":", label)
        self.detail_labels["tags"].setToolTip(TAGS_TIP)
        self.no_track_line = QLabel(NO_TRACK_LINE, self.details)
        self.no_track_line.setWordWrap(True)
        form.addRow(self.no_track_line)
        self._details_form = form
        # room for every field, tags on up to three lines: the box never clips them; on a low
        # window (the training dock open) it scrolls instead of taking the summary's lines
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 16 + 20)
        self.details_scroll = WholeUnlessLow(self)
        self.details_scroll.setWidget(self.details)
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_scroll.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        # no Tab stop of its own: it held nothing a key could act on (its labels are selected
        # with the mouse), and Tab stopped there on the way to the map with no visible focus
        self.details_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    # -- library summary --------------------------------------------------------------------
    def show_summary(self, *, tracks: int, missing: int, playlists: int, audio_model: str | None,
                     audio_count: int, graph_model: str | None,
                     graph_notes: Sequence[str] = (), graph_unusable: bool = False,
                     audio_note: str | None = None, graph_learned_nothing: bool = False
                     ) -> None:
        """``audio_note``: what follows the audio model in brackets ("49 of 91 embedded,
        computing…": :func:`~musicsage.controllers.library.audio_summary`); None: "N
        embedded" of ``audio_count``. ``graph_model``: its label, ``graph_notes`` what the
        line shows of it, ``graph_unusable``: its files are damaged,
        ``graph_learned_nothing``: it kept its untrained weights (:func:`graph_line`)."""
        graph = (graph_model, graph_notes, graph_unusable, graph_learned_nothing)
        if audio_note is None:
            audio_note = f"{audio_count:,} embedded" if audio_model else ""
        lines = [f"<b>{tracks:,}</b> {noun(tracks, 'track')}"
                 + (f" ({missing:,} missing)" if missing else "")
                 + f" · <b>{playlists:,}</b> {noun(playlists, 'playlist')}",
                 f"Audio model: <b>{html.escape(audio_model or 'none yet')}</b>"
                 + (f" ({html.escape(audio_note)})" if audio_note else ""),
                 graph_line(*graph)]
        self.summary.setText("<br>".join(lines))
        self.summary.setToolTip(plain_tooltip(graph_tip(*graph)))

    def show_playlists(self, items: list[tuple[int, str, int]]) -> None:
        """(playlist id, name, resolved track count) rows, in any order: they are listed by
        name, under the filter typed, the chosen playlist kept."""
        self._playlist_items = list(items)  # the search offers those its words name
        self.playlist_box.show_playlists(items)

    def current_playlist(self) -> int | None:
        return self.playlist_box.current_playlist()

    # -- search -------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _build_search_keys(self) -> None:
        """The keys users expect of a search box: Esc clears it and its results (in the box
        or in the list); Down goes from the box into the list, Up on its first row back."""
        for widget in (self.search, self.results):
            QShortcut(QKeySequence(Qt.Key.Key_Escape), widget, context=Qt.ShortcutContext.
                      WidgetShortcut).activated.connect(self.clear_search)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)

    def clear_search(self) -> None:
        """Empty the box and its results now (the map's matches follow at once)."""
        self.search.clear()
        self._debounce.stop()  # (its text change started it)
        self.results.clear()
        self._answer = SearchAnswer()
        self.results.setVisible(False)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_changed.emit("")

    def drop_pending_search(self) -> None:
        """Forget a search typed but not yet sent (the window is closing): its delay ran out
        after the window had shut its worker pool, and the search raised "worker pool is
        shut down"."""
        self._debounce.stop()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        if watched is self.search and event.key() == Qt.Key.Key_Down:
            first = self._first_row() if self.results.isVisible() else -1
            if first >= 0:
                self.results.setFocus(Qt.FocusReason.TabFocusReason)
                self.results.setCurrentRow(first)
                return True
        elif (watched is self.results and event.key() == Qt.Key.Key_Up
              and self.results.currentRow() <= max(0, self._first_row())):
            self.search.setFocus(Qt.FocusReason.BacktabFocusReason)
            return True
        return False

    def show_search_results(self, text: str, rows: list[tuple[int, str]] | None,
                            note: str = "") -> None:
        """(track id, label) rows for the search text they answer (stale answers are ignored),
        then ``note`` (:func:`~musicsage.controllers.library.search_note`: nothing matched,
        or the list stops short) as a row that cannot be picked, its tooltip holding it whole
        on a narrow panel. ``rows`` None: no answer comes (:meth:`SearchAnswer.unanswered`)."""
        if rows is None:
            self._answer.unanswered(text)
            return
        if text != self.search.text().strip():
            return
        offered = getattr(self, "_playlist_items", [])
        if self._answer.news(text, tuple(rows), note, tuple(offered), self.search.width()):
            fill_results(self.results, text, rows, note, offered, self.search.width())
        self.results.setVisible(bool(text) and self.results.count() > 0)  # (a lone quote: none)
        if self._answer.waited_for(text) and (first := self._first_row()) >= 0:
            self._result_activated(self.results.item(first))  # Enter pressed before it came

    def _result_clicked(self, item: QListWidgetItem) -> None:
        """A plain click picks its row; a Ctrl- or Shift-click only chooses rows for the menu."""
        if self.results.plain_click:
            self._result_activated(item)

    def _result_activated(self, item: QListWidgetItem) -> None:
        tid, pid = item.data(ID_ROLE), item.data(PLAYLIST_ROLE)
        if tid is not None:
            self.track_chosen.emit(int(tid))
        elif pid is not None:
            self.choose_playlist(int(pid))

    def choose_playlist(self, pid: int) -> None:
        """Choose the playlist ``pid`` in the playlists' list (shown, even if filtered out):
        as a click on its row. The keyboard focus stays where the user chose it (it went to
        the playlists' filter, and the next Down or Enter acted there)."""
        self.playlist_box.clear_filter(focus=False)
        for row in self.playlist_box.shown_rows():
            if row.data(ID_ROLE) == pid:
                self.playlists.setCurrentItem(row)
                row.setSelected(True)
                self.playlists.scrollToItem(row)
                return

    def _first_row(self) -> int:
        return first_pickable(self.results)

    def _choose_first_result(self) -> None:
        """Enter in the box: pick the first result (a track, else a playlist offered) of the
        words typed, or, before their answer came, search now and pick it when it comes."""
        self._debounce.stop()
        text = self.search.text().strip()
        first = self._first_row() if self._answer.text == text else -1
        if first >= 0:
            self._result_activated(self.results.item(first))
        else:
            self._answer.enter_for = text
            self.search_changed.emit(text)

    # -- details ------------------------------------------------------------------------------
    def show_track(self, info, *, tags_text: str = "") -> None:
        """``info``: a :class:`~musicsage.library.browse.TrackInfo`, or None to clear."""
        if info is None:
            for label in self.detail_labels.values():
                label.setText("")
                label.setToolTip("")
            # blank fields alone read as a track with no tags: the title says none is selected
            self.details.setTitle(NO_TRACK_TITLE)
            self.details.setToolTip("")
            self.shown_track_id = None
            self._show_fields(False)
            return
        self._show_fields(True)
        self.details.setTitle(TRACK_TITLE)
        self.details.setToolTip(f"Track id {info.id} in the library")
        self.shown_track_id = info.id
        d = self.detail_labels
        # one line each: a title from a file named "odd\nname.wav" broke across lines
        for key, text in (("title", info.display_title), ("artist", info.artist or ""),
                          ("album", info.album or ""), ("genre", info.genre or ""),
                          ("path", info.shown_path)):
            d[key].setText(printable(text))
            d[key].setToolTip(plain_tooltip(printable(text)))
        d["year"].setText(str(info.year) if info.year else "")
        d["duration"].setText(format_length(info.duration))
        d["tags"].setText(tags_text)
        d["tags"].setToolTip(TAGS_TIP)
        self._fit_details()

    def _show_fields(self, shown: bool) -> None:
        """The track's fields, or (none selected) the one line saying how to choose one: the
        empty "Title:", "Artist:"… rows read as a track with no tags."""
        form = self._details_form
        for row in range(form.rowCount()):
            form.setRowVisible(row, shown)
        form.setRowVisible(self.no_track_line, not shown)

    def show_tags(self, text: str, why_missing: str = "") -> None:
        """The track's tags line; ``why_missing`` (tags unavailable) is its tooltip."""
        label = self.detail_labels["tags"]
        label.setText(text)
        label.setToolTip(f"Tags unavailable: {why_missing}" if why_missing else TAGS_TIP)
        self._fit_details()

    def _fit_details(self) -> None:
        """Give the track box the height its fields need, taken from the lists above while
        they can spare it: the box was sized for one line a field, so a track whose artist,
        title and album wrapped ("Kingston Meadow Sound System") had its tags cut, on a
        window whose playlist list showed 25 rows. It scrolls only when none is left."""
        area = self.details_scroll
        top, box = self.splitter.sizes()
        spare = top - self.splitter.widget(0).minimumSizeHint().height()
        grow = min(area.needed_height() - box, spare)
        if top and grow > 0:
            self.splitter.setSizes([top - grow, box + grow])
        area.refit()
