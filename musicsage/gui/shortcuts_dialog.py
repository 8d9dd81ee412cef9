"""Help ▸ Keyboard shortcuts: every key of the window in one list.

The list is read from the window when it opens, not written out by hand: each menu's
actions with their keys (as the menus show them), then the window's other actions and
shortcuts with keys (the media keys; Ctrl+., named by its ``whatsThis``), so a key added to
an action shows up here by itself. Last come the keys a part of the window handles itself
(the map's from :data:`~musicsage.gui.map_keys.MAP_KEYS`, the seek and volume sliders' steps
from the player's constants, the lists' and fields' own keys), which no action carries.

Help ▸ About musicsage (:func:`show_about`) is here too: the Help menu's other window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView,
                               QMenu, QMessageBox, QStyledItemDelegate, QStyleOptionViewItem,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

import musicsage
from musicsage.context import repo_root
from musicsage.controllers.wording import about_docs, about_html, plain_name
from musicsage.gui.icons import logo_pixmap
from musicsage.gui.map_keys import MAP_KEYS
from musicsage.gui.player import SEEK_PAGE_SECONDS, SEEK_STEP_SECONDS, VOLUME_STEPS

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow

ACTION_COLUMN = 1
"""The column of what the keys do: it takes the width left, and wraps a longer text."""
TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
Rows = list[tuple[str, str]]
"""(keys, what they do) of one group."""
NATIVE = QKeySequence.SequenceFormat.NativeText
PART_KEYS: tuple[tuple[str, Rows], ...] = (
    ("On the map (with the focus)", [
        *MAP_KEYS, ("Esc", "Clear the region (Lasso, Rectangle or R)")]),
    ("In the lists and fields", [
        ("Enter", "Play the track of the row (search results: select it; playlists: play "
                  "the playlist in its order)"),
        ("Ctrl+Enter", "Select the row's track, as a click on its point (track lists, the "
                       "Queue)"),
        ("Menu", "The row's menu: Play, Select, Play next, Add to queue, Play similar (track "
                 "lists, search results); Play, Select, Play next, Remove (the Queue); Play "
                 "playlist (playlists)"),
        ("Shift+F10", "The row's menu too (a keyboard without a Menu key)"),
        ("Delete", "Remove the entry (the Queue's list) or the tracks (the Playlist tab's)"),
        ("Down", "From the search box or the playlist filter into its list"),
        ("Esc", "Clear the search box or the playlist filter"),
        ("Space, Enter", "Press the focused button"),
    ]),
    ("In the training dock", [
        ("Esc", "Cancel the training the dock shows; between runs, back to where you were"),
    ]),
    ("In the menu bar's menus", [
        ("Alt+letter", "Open the menu of that underlined letter (Alt+F: File)"),
        ("Letter", "Choose the entry of that underlined letter in the open menu (the rows' "
                   "and Save… menus too; pop-ups have none: arrows, then Enter)"),
    ]),
    ("On the position slider", [
        ("Left, Right", f"{SEEK_STEP_SECONDS} s back / on"),
        ("PgDown, PgUp", f"{SEEK_PAGE_SECONDS} s back / on"),
        ("Home, End", "The start / the end of the track"),
    ]),
    ("On the volume slider", [
        ("Left, Right", f"{VOLUME_STEPS[0]} % quieter / louder"),
        ("PgDown, PgUp", f"{VOLUME_STEPS[1]} % quieter / louder"),
        ("Home, End", "Silent / full volume"),
    ]),
)
"""Keys that a part of the window handles itself (no action carries them)."""


def keys_text(shortcuts) -> str:
    return ", ".join(s.toString(NATIVE) for s in shortcuts if not s.isEmpty())


def _menu_rows(menu: QMenu, seen: set, prefix: str = "") -> Rows:
    rows: Rows = []
    for action in menu.actions():
        if action.menu() is not None:
            rows += _menu_rows(action.menu(), seen, f"{prefix}{plain_name(action.text())} ▸ ")
        elif keys_text(action.shortcuts()):
            seen.add(action)
            rows.append((keys_text(action.shortcuts()), prefix + plain_name(action.text())))
    return rows


def shortcut_rows(w: "MainWindow") -> list[tuple[str, Rows]]:
    """(group, rows) of every key of the window: its menus', its other actions' and
    shortcuts' (:data:`PART_KEYS` last)."""
    groups: list[tuple[str, Rows]] = []
    seen: set = set()
    for top in w.menuBar().actions():
        rows = _menu_rows(top.menu(), seen) if top.menu() is not None else []
        if rows:
            groups.append((f"{plain_name(top.text())} menu", rows))
    others = [(keys_text(a.shortcuts()), plain_name(a.text())) for a in w.findChildren(QAction)
              if a not in seen and keys_text(a.shortcuts())]
    others += [(s.key().toString(NATIVE), s.whatsThis()) for s in w.findChildren(QShortcut)
               if s.whatsThis() and s.isEnabled()]
    if others:
        groups.append(("Anywhere in the window", others))
    return groups + [(title, list(rows)) for title, rows in PART_KEYS]


class WrapInColumn(QStyledItemDelegate):
    """A row as high as its text wrapped at its column's width: the tree asks a row's height
    without the width (Qt gives none), so a long action was cut with "…" on one line."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        if index.column() != ACTION_COLUMN:  # the keys are never wrapped: their own width
            return super().sizeHint(option, index)
        option = QStyleOptionViewItem(option)
        option.rect = QRect(0, 0, self.tree.columnWidth(index.column()), 1)  # valid: wraps
        return super().sizeHint(option, index)


class ShortcutsDialog(QDialog):
    """The list, two columns (keys, what they do) under a line per group; not modal, so that
    it can stay open while the keys are tried."""

    def __init__(self, w: "MainWindow") -> None:
        super().__init__(w)
        self.window_ = w
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Keys", "Action"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setWordWrap(True)  # a long action wraps in its column: none is cut
        self.tree.setItemDelegate(WrapInColumn(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setSectionResizeMode(ACTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.tree.header().sectionResized.connect(self.tree.scheduleDelayedItemsLayout)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the keys again (a later action, a key changed)."""
        self.tree.clear()
        for title, rows in shortcut_rows(self.window_):
            group = QTreeWidgetItem(self.tree, [title])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for keys, what in rows:
                row = QTreeWidgetItem(group, [keys, what])
                row.setTextAlignment(0, TOP_LEFT)  # beside the first line of a wrapped action
                row.setTextAlignment(1, TOP_LEFT)
        self.tree.expandAll()
        self._fit()

    def _fit(self) -> None:
        """As wide as the longest row, within the screen; the Action column takes the width
        left and wraps what is longer (at 800×600 a row's menu was cut, "…playlists: play
        the p…", behind a horizontal scroll bar)."""
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 16)
        longest = max((self.tree.fontMetrics().horizontalAdvance(what) for _group, _keys, what
                       in self.rows()), default=0)
        wide = self.tree.columnWidth(0) + longest + 80  # margins, frame, scroll bar
        room = self.screen().availableGeometry()
        frame = self.frameGeometry().width() - self.width()  # the title bar's sides
        self.resize(min(max(480, wide), room.width() * 9 // 10 - frame),
                    min(640, room.height() * 9 // 10))
        self.tree.scheduleDelayedItemsLayout()  # the rows' heights at the wrapped widths

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, keys, action) of each row shown."""
        root = self.tree.invisibleRootItem()
        return [(root.child(i).text(0), root.child(i).child(j).text(0),
                 root.child(i).child(j).text(1))
                for i in range(root.childCount()) for j in range(root.child(i).childCount())]


def show_shortcuts(w: QWidget) -> ShortcutsDialog:
    """Open (or bring up) the window's list of keys, read afresh."""
    dialog = getattr(w, "shortcuts_dialog", None)
    if dialog is None:
        dialog = w.shortcuts_dialog = ShortcutsDialog(w)
    else:
        dialog.refresh()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_about(w: "MainWindow") -> QMessageBox:
    """Help ▸ About musicsage: its version, what it is, the library shown (its data dir) and
    links to the documents in the source tree. Not modal; opened again, it is read afresh."""
    root = repo_root()  # a source checkout: an installed copy has no documents to link
    docs = [(name, what, QUrl.fromLocalFile(str(path)).toString())
            for name, what, path in (about_docs(root) if root else [])]
    box = getattr(w, "about_box", None)
    if box is None:
        box = w.about_box = QMessageBox(w)
        box.setWindowTitle("About musicsage")
        box.setIconPixmap(logo_pixmap(64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setWindowModality(Qt.WindowModality.NonModal)
    box.setText(about_html(musicsage.__version__, str(w.app.ctx.data_dir), docs))
    box.show()
    box.raise_()
    return box
