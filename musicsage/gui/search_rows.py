"""The rows of the library panel's search list: the tracks found, the note that ends them,
and the playlists the words typed name (:mod:`musicsage.controllers.search_words`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from musicsage.controllers.search_words import playlist_row, playlists_named
from musicsage.gui.neighbours import hint_colour
from musicsage.gui.plain import plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
"""A row's track id (the library panel's)."""
PLAYLIST_ROLE = Qt.ItemDataRole.UserRole + 5
"""A row's playlist id."""


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
        results.addItem(item)
    if text and note:
        # the controller's words as they come: alone, wrapped; under the tracks ("more
        # than 100 match…") elided, its tooltip holding it whole
        add_note_row(results, note if rows else wrapped(note, QFontMetrics(results.font()),
                                                        width - 12))
    for pid, name, count in playlists_named(text, playlists):
        item = QListWidgetItem(playlist_row(name, count))
        item.setData(PLAYLIST_ROLE, pid)
        item.setToolTip(plain_tooltip(f"Choose the playlist {name}"))
        results.addItem(item)


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
