"""The library summary's graph model line wrapped between the metric and its figure on the
usual left panel: "Graph model: trained (HR@10" on one line, "0.628, only 43 pairs)" on the
next (the demo library at 800x600 and 1366x768), the figure read apart from what it is.
The two now wrap as one word."""

from __future__ import annotations

import pytest


def _lines(label, width: int) -> list[str]:
    """The summary's lines as its rich text wraps at ``width`` px, in the label's font."""
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(width)
    doc.size()  # lays the text out
    lines, block = [], doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return lines


@pytest.mark.parametrize("notes", [["HR@10 0.628 on only 43 pairs"],
                                   ["model 2", "HR@10 0.412"]])
def test_the_hr10_figure_never_starts_a_line(qtbot, notes):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.show_summary(tracks=240, missing=0, playlists=40, audio_model="musicnn-msd-max_pool",
                       audio_count=240, graph_model="pinsage-musicnn-msd-max_pool",
                       graph_notes=notes)
    figure = notes[-1].split()[1]
    for width in range(120, 420, 4):
        lines = _lines(panel.summary, width)
        assert not any(line.rstrip().endswith("HR@10") for line in lines), (width, lines)
        assert any(figure in line and "HR@10" in line for line in lines), (width, lines)
