"""A panel's heading with a note under it: the Suggestions tab's (why a playlist has no
suggestions) and the Neighbours tab's (why a track's neighbours were not found).

Either note was the heading's second line, elided there: at 1024x640 the Suggestions tab
read "Playlist 'nl' has no track of the library (its entries did n…", and at 800x600 the
Neighbours tab "(neighbours not found: the status li…", the words that say where to look
cut off. The note wraps whole now, under the name in one line.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from musicsage.gui.heading_label import HEADING_LINES, HeadingLabel, fit_lines

NOTE_LINES = 4
"""The most lines the note under the heading's first line takes (why there are no
suggestions or neighbours, what is going on): the rest elided, the whole in the tooltip."""


class NotedHeading(HeadingLabel):
    """A heading that names a track or a playlist in at most two lines, as every panel's,
    but with a note under it (its text after the first "\\n"): the name then in one line and
    the note wrapped whole in up to :data:`NOTE_LINES`."""

    def _fit(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        name, noted, note = self._full.partition("\n")
        shown = self._full if width <= 0 else "\n".join(
            [fit_lines(name, self.font(), width, 1 if noted else HEADING_LINES)]
            + ([fit_lines(note, self.font(), width, NOTE_LINES)] if noted else []))
        if shown != QLabel.text(self):
            QLabel.setText(self, shown)
