"""Right panel: the selected track's neighbours, graph model and audio only, side by side.

Rows show title, artist and cosine similarity; a track found by both models is marked (◆,
bold, tinted) in both lists so the difference between the two is visible at a glance.
Double-click or Enter plays a row. The data is a
:class:`~musicsage.search.types.SimilarResult`; this widget only displays it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton,
                               QSpinBox, QStackedWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from musicsage.search.types import SimilarResult

BOTH_MARK = "◆"
BOTH_TINT = QColor(255, 79, 216, 40)
TRACK_ID_ROLE = Qt.ItemDataRole.UserRole


class TrackList(QTreeWidget):
    """A flat list of tracks; Enter or double-click asks to play the current row."""

    play_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHeaderLabels(["", "Title", "Artist", "Sim."])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 22)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 95)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.itemActivated.connect(self._activated)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict], common: set[int]) -> None:
        self.clear()
        self.rows = list(rows)
        bold = QFont(self.font())
        bold.setBold(True)
        for row in rows:
            tid = int(row["track_id"])
            both = tid in common
            item = QTreeWidgetItem([BOTH_MARK if both else "", row.get("title") or "",
                                    row.get("artist") or "", f"{float(row.get('score', 0.0)):.3f}"])
            item.setData(0, TRACK_ID_ROLE, tid)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = f"{row.get('title') or ''} — {row.get('artist') or ''}\n{row.get('path') or ''}"
            for c in (1, 2):
                item.setToolTip(c, tip)
            if both:
                item.setToolTip(0, "also in the other list")
                for c in range(4):
                    item.setFont(c, bold)
                    item.setBackground(c, QBrush(BOTH_TINT))
            self.addTopLevelItem(item)

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        self.play_requested.emit(int(item.data(0, TRACK_ID_ROLE)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self._activated(self.currentItem(), 0)
            return
        super().keyPressEvent(event)


class NeighboursPanel(QWidget):
    play_requested = Signal(int)
    retrain_requested = Signal()
    k_changed = Signal(int)
    save_requested = Signal(str)  # "graph" | "audio": the window asks for a file name and writes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: SimilarResult | None = None
        self.heading = QLabel("Select a track on the map", self)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        top = self._controls()
        lists = self._lists()
        self.legend = QLabel(f"{BOTH_MARK} in both lists", self)
        self.legend.setStyleSheet("color: palette(mid);")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addLayout(lists, 1)
        layout.addWidget(self.legend)
        self.clear()

    def _controls(self) -> QHBoxLayout:
        """List length and "Save as playlist…"."""
        self.k_spin = QSpinBox(self)
        self.k_spin.setRange(1, 200)
        self.k_spin.setValue(10)
        self.k_spin.setPrefix("top ")
        self.k_spin.setToolTip("How many neighbours each list shows")
        self.k_spin.valueChanged.connect(self.k_changed)
        self.save_button = QPushButton("Save as playlist…", self)
        self.save_button.setEnabled(False)
        menu = QMenu(self.save_button)
        self.save_graph_action = menu.addAction("Graph model list…", lambda: self.save_requested.emit("graph"))
        self.save_audio_action = menu.addAction("Audio-only list…", lambda: self.save_requested.emit("audio"))
        self.save_button.setMenu(menu)
        top = QHBoxLayout()
        top.addWidget(self.k_spin)
        top.addStretch(1)
        top.addWidget(self.save_button)
        return top

    def _lists(self) -> QHBoxLayout:
        """The two lists side by side, each with the page shown when it is empty."""
        from musicsage.gui.map_view import AUDIO_COLOUR, GRAPH_COLOUR

        self.graph_list = TrackList(self)
        self.audio_list = TrackList(self)
        self.graph_list.play_requested.connect(self.play_requested)
        self.audio_list.play_requested.connect(self.play_requested)
        self.graph_note = self._note_label()
        self.retrain_button = QPushButton("Retrain", self)
        self.retrain_button.setToolTip("Train the graph model on your playlists")
        self.retrain_button.clicked.connect(self.retrain_requested)
        note_page = QWidget(self)
        nl = QVBoxLayout(note_page)
        nl.addStretch(1)
        nl.addWidget(self.graph_note)
        nl.addWidget(self.retrain_button, 0, Qt.AlignmentFlag.AlignHCenter)
        nl.addStretch(2)
        self.graph_stack = QStackedWidget(self)
        self.graph_stack.addWidget(self.graph_list)
        self.graph_stack.addWidget(note_page)
        self.audio_note = self._note_label()
        self.audio_stack = QStackedWidget(self)
        self.audio_stack.addWidget(self.audio_list)
        self.audio_stack.addWidget(self.audio_note)
        lists = QHBoxLayout()
        lists.setSpacing(8)
        lists.addWidget(self._column("Graph model", GRAPH_COLOUR, self.graph_stack), 1)
        lists.addWidget(self._column("Audio only", AUDIO_COLOUR, self.audio_stack), 1)
        return lists

    def _note_label(self) -> QLabel:
        label = QLabel(self)
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

    def clear(self, text: str = "Select a track on the map") -> None:
        self.result = None
        self.heading.setText(text)
        self.graph_list.set_rows([], set())
        self.audio_list.set_rows([], set())
        self.graph_stack.setCurrentIndex(0)
        self.audio_stack.setCurrentIndex(0)
        self.save_button.setEnabled(False)

    def show_loading(self, title: str) -> None:
        self.heading.setText(f"{title}\n(finding neighbours…)")

    def show_result(self, result: SimilarResult, *, graph_available: bool) -> None:
        """Fill both lists from a neighbour search."""
        self.result = result
        q = result.query
        title = q.get("title") or f"track {q.get('track_id')}"
        self.heading.setText(f"{title} — {q.get('artist')}" if q.get("artist") else title)
        common = {int(r["track_id"]) for r in result.graph} & {int(r["track_id"]) for r in result.audio}
        self.graph_list.set_rows(result.graph, common)
        self.audio_list.set_rows(result.audio, common)
        if result.graph:
            self.graph_stack.setCurrentIndex(0)
        else:
            note = result.note_for("graph")
            self.graph_note.setText(note if note and graph_available else
                                    "No graph model yet.\nTrain one on your playlists to compare it "
                                    "with audio alone.")
            self.retrain_button.setVisible(True)
            self.graph_stack.setCurrentIndex(1)
        if result.audio:
            self.audio_stack.setCurrentIndex(0)
        else:
            self.audio_note.setText(result.note_for("audio") or "No audio embeddings for this track.")
            self.audio_stack.setCurrentIndex(1)
        self.save_graph_action.setEnabled(bool(result.graph))
        self.save_audio_action.setEnabled(bool(result.audio))
        self.save_button.setEnabled(bool(result.graph or result.audio))
