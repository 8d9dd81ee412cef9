"""The library panel's playlists: a heading that counts them, a filter, and the list.

With hundreds of playlists the list is only usable sorted and filtered: rows come in name
order (:func:`musicsage.controllers.playlist_order.sorted_playlists`), and the filter above
hides the rows whose name lacks a word typed (rows are hidden, not removed, so that the chosen
playlist stays chosen — on the map and in Suggestions — while a filter hides it, and is
selected again when the filter lets it back). The filter is kept when the library is read
again (a rescan, the folder watch), and so is the chosen playlist.

A double-click or Enter on a row, or its menu's *Play playlist*, asks to play the playlist
(:attr:`PlaylistList.play_requested`); the queue controller decides what plays.
"""

from __future__ import annotations

import html
import os

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMenu, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QVBoxLayout, QWidget)

from musicsage.controllers.map_tools import isolated
from musicsage.controllers.playlist_order import (heading_count, no_match_note, row_text,
                                                  shared_names, shown_summary,
                                                  sorted_playlists)
from musicsage.controllers.summaries import playlist_files_hint
from musicsage.gui.menu_letters import lettered, run_once
from musicsage.gui.plain import plain_tooltip, tips_shown
from musicsage.text import holds_words, search_folded, search_words

ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_PLACEHOLDER = "Filter playlists"
FILTER_TIP = ("Show only the playlists whose name has every word typed (case and accents do "
              "not matter); Down goes to the list, Esc clears the filter")
LIST_TIP = ("Select a playlist to highlight its tracks on the map; click it again to clear; "
            "double-click or Enter plays it in its order")
PLAY_TEXT = "Play playlist"
PLAY_TIP = "Play its tracks in the playlist's order (the Queue tab lists them)"
IMPORT_HINT_TIP = ("A scan does not import the playlist files in your music folders: click "
                   "here, or Import playlists… on the toolbar, to choose which to import")
NO_PLAYLISTS_TEXT = "No playlists yet"
"""The empty list's line, with a link that does what the menu item does."""
IMPORT_MENU_PATH = "File ▸ Import playlists…"
"""The menu item that link names, where the user finds it again once playlists exist."""
MIN_ROWS = 5
"""Rows the list keeps on a low window (the training dock open): the filter's line is not
taken from them."""


DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 2
"""Where a row's text first differs from the row most alike it (:func:`differs_at`)."""


def differs_at(texts: list[str]) -> list[int]:
    """For each of ``texts``, the length of the longest start it shares with another: where
    it differs from the one most alike it (a neighbour in sorted order)."""
    order = sorted(range(len(texts)), key=texts.__getitem__)
    shared = [0] * len(texts)
    for a, b in zip(order, order[1:]):
        same = len(os.path.commonprefix([texts[a], texts[b]]))
        shared[a], shared[b] = max(shared[a], same), max(shared[b], same)
    return shared


class ApartRows(QStyledItemDelegate):
    """A row too long for the list is cut at its end ("…"), as before, unless the cut falls
    before the place where its name differs from another's: "Sunday Morning Acoustic
    Coff…" read the same for "… Favourites Winter" and "… Favourites Summer". Such a row
    keeps its start and the part from the word that differs on ("Sunday Morning Ac…Winter
    (40)"). The middle cut of every row (taken out) hid "Vol. 1" and "Vol. 2" alike."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                        index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        start, widget = index.data(DIFFERS_ROLE), option.widget
        if not start or widget is None or option.rect.width() <= 0:
            return
        style = widget.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option,
                                    widget).width() - 2 * margin
        text, metrics = option.text, option.fontMetrics
        cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        if cut == text or len(cut) - 1 > start:  # whole, or cut after where it differs
            return
        option.text = _cut_around(text, _apart_from(text, start), metrics, room)


def _apart_from(text: str, start: int) -> int:
    """Where the part of a row's ``text`` that keeps it apart begins, for ``start``, where
    it differs from another: there, unless that falls inside its count. Same-named rows of
    1,234 and 1,235 tracks differ at its last digit, and "Chill…4)  #3" read as a playlist
    of 4: their ids (" #3", which same-named rows end with) keep them apart instead, else
    the whole count. The last "  (" is the count's (a name may hold one too)."""
    count = text.rfind("  (") + len("  ")
    if start <= count:
        return start
    ident = text.find("  #", count)
    return ident + len("  ") if ident >= 0 else count


def _cut_around(text: str, start: int, metrics: QFontMetrics, room: int) -> str:
    """``text`` in ``room`` px with its part from ``start`` on in view: from the word before
    the one ``start`` falls in, else that word, else ``start`` — the first whose rest fits
    whole (the count at its end), else the first that shows ``start``; its start cut to the
    room left."""
    word = text.rfind(" ", 0, start) + 1
    tail_room = room * 3 // 4  # a quarter at least for the start
    begins = (text.rfind(" ", 0, max(word - 1, 0)) + 1, word, start)
    width = metrics.horizontalAdvance
    begin = next((b for b in begins if width(text[b:]) <= tail_room),
                 next((b for b in begins if width(text[b:start + 1] + "…") <= tail_room), start))
    tail = metrics.elidedText(text[begin:], Qt.TextElideMode.ElideRight, tail_room)
    head = metrics.elidedText(text[:begin].rstrip() + "…", Qt.TextElideMode.ElideRight,
                              room - metrics.horizontalAdvance(tail))
    # the start's cut ends in its own "…": no space before it ("Late Night Driving …Vol. 1")
    return (head[:-1] if head.endswith("…") else head).rstrip() + "…" + tail


def _ended(name: str) -> str:
    """``name`` and a left-to-right mark where it holds right-to-left letters: the count after
    it, in the list's left-to-right rows, joined the name's run and was drawn before it,
    "(35)  שירים לנסיעה ארוכה". A mark after it, not an isolate round it: the row still
    starts with the name, which typing its first letters in the list goes to."""
    return name + "\u200e" if isolated(name) != name else name


def _row(pid: int, name: str, count: int, *, shared: bool) -> tuple[str, str]:
    """:func:`~musicsage.controllers.playlist_order.row_text`'s text and tooltip, the row's
    name :func:`_ended`, the tooltip's set apart
    (:func:`~musicsage.controllers.map_tools.isolated`): a tooltip starting with a
    right-to-left name was a right-to-left line, ": 35 tracks in the library" before it."""
    return (row_text(pid, _ended(name), count, shared=shared)[0],
            row_text(pid, isolated(name), count, shared=shared)[1])


class PlaylistList(QWidget):
    chosen = Signal(object)  # playlist id, or None when the selection was cleared
    play_requested = Signal(int)  # playlist id: double-click, Enter, or the row's menu
    import_requested = Signal()  # the empty list's hint clicked: Import playlists…

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("<b>Playlists</b>", self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(FILTER_PLACEHOLDER)
        self.filter.setToolTip(FILTER_TIP)
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(FILTER_PLACEHOLDER)  # the placeholder goes with a text
        self.filter.textChanged.connect(lambda _text: self._filter_typed())
        self.filter.returnPressed.connect(self.enter_list)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter,
                  context=Qt.ShortcutContext.WidgetShortcut).activated.connect(self.clear_filter)
        self.list = QListWidget(self)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setItemDelegate(ApartRows(self.list))  # but long names alike stay apart
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName("Playlists")
        self.list.setToolTip(LIST_TIP)
        self.list.itemSelectionChanged.connect(self._choice_changed)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemDoubleClicked.connect(self._play_row)
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * MIN_ROWS
                                   + 2 * self.list.frameWidth())
        self._chosen_at_press: int | None = None
        """The playlist chosen when the mouse button went down on the list (:meth:`_clicked`)."""
        self._last_clicked: int | None = None
        """The playlist a click chose, none chosen since in any other way: a click on it again
        clears it (:meth:`_clicked`)."""
        self._total = 0
        self._note: QListWidgetItem | None = None
        """The row that says the filter hides every playlist, there only while it does."""
        self._found = 0
        """Playlist files a scan found in the music folders and did not import."""
        self.hint = QLabel(self.list.viewport())
        """Over the empty list: the playlist files found, and a link to import them (a row
        was cut to "3 playlist files in your music…" in the narrow panel)."""
        self.hint.setWordWrap(True)
        self.hint.setToolTip(IMPORT_HINT_TIP)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.hint.linkActivated.connect(lambda _link: self.import_requested.emit())
        self.hint.hide()
        for widget in (self.filter, self.list, self.list.viewport()):
            widget.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)

    def show_playlists(self, items: list[tuple[int, str, int]]) -> None:
        """(playlist id, name, resolved track count) rows, shown in name order under the
        filter typed; the chosen playlist stays chosen (no signal: nothing changed), and the
        list's current row, so that Down after a re-read library (tracks removed or added, a
        rescan) goes on from it, where it chose the first playlist; the list stays where it was
        scrolled."""
        current = self.current_playlist()
        scrolled = self.list.verticalScrollBar().value()
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        shared = shared_names(items)  # same-named playlists: their ids tell them apart
        rows = [(pid, name, *_row(pid, name, count, shared=name in shared))
                for pid, name, count in sorted_playlists(items)]
        for (pid, name, text, tip), differs in zip(rows, differs_at([r[2] for r in rows])):
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, pid)
            item.setData(DIFFERS_ROLE, differs)
            item.setData(NAME_ROLE, name)
            item.setToolTip(plain_tooltip(tip))
            self.list.addItem(item)
            chosen = item if pid == current else chosen
        self._note = None  # (cleared with the rows)
        self._total = len(items)
        self._found = 0 if items else self._found  # imported: the hint has done its work
        self._apply_filter()
        if chosen is not None:  # made current once every row is in: made current while the
            chosen.setSelected(True)  # rows went in, it scrolled a range that short
            self.list.setCurrentItem(chosen, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.list.doItemsLayout()  # the scroll range of every row, before the value is put back
        self.list.verticalScrollBar().setValue(scrolled)
        self.list.blockSignals(False)

    def current_playlist(self) -> int | None:
        items = [i for i in self.list.selectedItems() if i.data(ID_ROLE) is not None]
        return int(items[0].data(ID_ROLE)) if items else None

    def shown_rows(self) -> list[QListWidgetItem]:
        """The playlists' rows the filter lets through, in order."""
        rows = (self.list.item(i) for i in range(self.list.count()))
        return [r for r in rows if not r.isHidden() and r.data(ID_ROLE) is not None]

    def clear_filter(self, *, focus: bool = True) -> None:
        """Esc in the filter: every playlist again, the chosen one scrolled into view.
        ``focus=False`` leaves the keyboard focus where it is: a playlist chosen from the
        search box's list put it in this filter, away from the list the user was in."""
        self.filter.clear()
        if focus:
            self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def enter_list(self) -> bool:
        """Down (or Enter) in the filter: into the list, on the chosen playlist if it is
        shown, else on the first row shown (which is then chosen, as Down in the list does)."""
        shown = self.shown_rows()
        if not shown:
            return False
        target = next((r for r in shown if r.isSelected()), shown[0])
        self.list.setFocus(Qt.FocusReason.TabFocusReason)
        self.list.setCurrentItem(target)
        return True

    def _apply_filter(self) -> None:
        text = self.filter.text()
        words = search_words(text)  # (once a keystroke, not once a row)
        shown = 0
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) is not None:  # (not the note)
                visible = holds_words(search_folded(item.data(NAME_ROLE)), words)
                item.setHidden(not visible)
                shown += visible
        filtered = bool(text.strip())
        self._say_no_match(no_match_note(text) if filtered and not shown and self._total else "")
        self._show_hint()
        self.heading.setText("<b>Playlists</b> ("
                             + heading_count(shown, self._total, filtered=filtered) + ")")
        self.list.setAccessibleDescription(shown_summary(shown, self._total) if filtered else "")

    def _filter_typed(self) -> None:
        """The rows the filter lets through, the chosen one in view (a reload leaves the
        list where the user scrolled it)."""
        self._apply_filter()
        chosen = [r for r in self.list.selectedItems() if not r.isHidden()]
        if chosen:
            self.list.scrollToItem(chosen[0])

    def set_playlist_files_found(self, found: int) -> None:
        """A scan found ``found`` playlist files it did not import: said in the list while it
        is empty (a later scan that found none leaves the hint: the files are still there)."""
        if found:
            self._found = found
            self._apply_filter()

    @property
    def import_hint(self) -> QLabel | None:
        """The hint over the empty list that offers to import the playlist files found, if
        shown."""
        return self.hint if self._found and not self.hint.isHidden() else None

    def _show_hint(self) -> None:
        """The import hint while no playlist is in the library: the playlist files a scan
        found, else :data:`NO_PLAYLISTS_TEXT` (an empty box said nothing of where they come
        from)."""
        if self._found:
            (text, link), separator = playlist_files_hint(self._found), " — "
        else:
            text, link, separator = NO_PLAYLISTS_TEXT, IMPORT_MENU_PATH, ": "
        self.hint.setText(f'{html.escape(text)}{separator}<a href="import">'
                          f'{html.escape(link)}</a>')
        self.hint.setVisible(not self._total)
        self._place_hint()

    def _place_hint(self) -> None:
        margin = self.list.fontMetrics().averageCharWidth()
        area = self.list.viewport().rect().adjusted(margin, margin // 2, -margin, 0)
        self.hint.setGeometry(area.x(), area.y(), area.width(),
                              self.hint.heightForWidth(area.width()))

    def _say_no_match(self, note: str) -> None:
        """``note`` as the list's last row, which cannot be picked; none for ""."""
        if note and self._note is None:
            self._note = QListWidgetItem()
            self._note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(self._note)
        elif not note and self._note is not None:
            self.list.takeItem(self.list.row(self._note))
            self._note = None
        if self._note is not None:
            self._note.setText(note)
            self._note.setToolTip(plain_tooltip(note))

    def _choice_changed(self) -> None:
        """Say the playlist chosen; whatever chose it, the click (:meth:`_clicked`, which
        comes after) alone counts it as clicked: Alpha clicked, then Beta and Alpha again
        with the keyboard, a click on Alpha chooses it, not clears it."""
        self._last_clicked = None
        self.chosen.emit(self.current_playlist())

    def _clicked(self, item: QListWidgetItem) -> None:
        """A second click on a playlist a click chose clears the choice (its highlight): it
        must be chosen when the button went down (after Alpha was clicked, then Beta chosen
        with the keyboard or from the search list, a click on Alpha cleared the choice instead
        of choosing Alpha) and chosen by a click (a playlist chosen with Down, from the search
        list or restored at start-up was cleared by the one click meant to choose it)."""
        if item.data(ID_ROLE) is None:
            return
        pid = int(item.data(ID_ROLE))
        if self._chosen_at_press == pid == self._last_clicked and item.isSelected():
            self.list.clearSelection()
            self._last_clicked = None
        else:
            self._last_clicked = pid
        self._chosen_at_press = None

    @staticmethod
    def _row_playlist(item: QListWidgetItem | None) -> int | None:
        """The playlist of a row shown (none for the "no match" row or a filtered one)."""
        if item is None or item.data(ID_ROLE) is None or item.isHidden():
            return None
        return int(item.data(ID_ROLE))

    def _play_row(self, item: QListWidgetItem | None) -> bool:
        pid = self._row_playlist(item)
        if pid is not None:
            self.play_requested.emit(pid)
        return pid is not None

    def context_menu(self, pid: int) -> QMenu:
        """A row's menu (its own method, so that it is checked without opening it)."""
        menu = lettered(tips_shown(QMenu(self.list)))
        action = menu.addAction(PLAY_TEXT, lambda: self.play_requested.emit(pid))
        action.setToolTip(PLAY_TIP)
        return menu

    def _open_menu(self, event: QContextMenuEvent) -> bool:
        """The menu of the row under the mouse (the viewport's position), or from the
        keyboard (the Menu key, Shift+F10) of the current row, under its name."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            item = self.list.currentItem()
            if item is not None:
                rect = self.list.visualItemRect(item)
                pos = QPoint(rect.left() + rect.height(), rect.bottom())
        else:
            pos = event.pos()
            item = self.list.itemAt(pos)
        pid = self._row_playlist(item)
        if pid is not None:
            menu = self.context_menu(pid)
            run_once(menu, self.list.viewport().mapToGlobal(pos))
        return pid is not None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """Down goes from the filter into the list; Up on the list's first row shown, back;
        Enter on a row plays its playlist; the context menu of a row offers the same."""
        if event.type() == QEvent.Type.Resize and watched is self.list.viewport():
            self._place_hint()
        if event.type() == QEvent.Type.MouseButtonPress and watched is self.list.viewport():
            self._chosen_at_press = self.current_playlist()
        if event.type() == QEvent.Type.ContextMenu and watched in (self.list,
                                                                   self.list.viewport()):
            return self._open_menu(event)
        if event.type() != QEvent.Type.KeyPress or event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        if watched is self.filter and event.key() == Qt.Key.Key_Down:
            return self.enter_list()
        if watched is self.list and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.import_hint is not None:  # the empty list's hint: import them
                self.import_requested.emit()
                return True
            return self._play_row(self.list.currentItem())
        if watched is self.list and event.key() == Qt.Key.Key_Up:
            shown = self.shown_rows()
            if not shown or self.list.currentRow() <= self.list.row(shown[0]):
                self.filter.setFocus(Qt.FocusReason.BacktabFocusReason)
                return True
        return False
