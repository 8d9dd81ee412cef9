"""The Neighbours tab's heading when a track's neighbours were not found: its note was the
heading's second line, cut at 800x600 ("(neighbours not found: the status line say…"), the
words that say where to look lost. It wraps whole now under the track's name, as the
Suggestions tab's note does; the heading's text (and its tooltip) is as before."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from musicsage.gui.neighbours import FAILED_HEADING, NeighboursPanel


def _panel(qtbot, width: int) -> NeighboursPanel:
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


# the tab's width in an 800x600 window (360 px), and narrower: a long title beside it
def test_why_the_neighbours_are_missing_reads_whole_in_a_narrow_tab(qtbot):
    for width in (360, 300):
        panel = _panel(qtbot, width)
        panel.show_loading("Lanterns", "The Neon Comets")
        panel.show_failed(7, "Lanterns", "The Neon Comets")
        qtbot.wait(20)
        heading = panel.heading
        assert heading.text() == f"Lanterns — The Neon Comets\n{FAILED_HEADING}"
        name, *note = QLabel.text(heading).split("\n")  # as drawn: the lines it was broken into
        assert name == "Lanterns — The Neon Comets"
        assert len(note) >= 2, "the note wrapped"
        assert "…" not in " ".join(note) and " ".join(note) == FAILED_HEADING, width
        assert heading.height() >= heading.heightForWidth(heading.width()), "all lines shown"


def test_a_long_title_keeps_to_one_line_over_the_note(qtbot):
    """The note under it: the title in one line, elided; its whole in the tooltip."""
    panel = _panel(qtbot, 360)
    title = "A very long title of a track (Extended Weightless Remix) " * 3
    panel.show_failed(7, title, "Artist")
    qtbot.wait(20)
    name, *note = QLabel.text(panel.heading).split("\n")
    assert name.endswith("…") and " ".join(note) == FAILED_HEADING
    assert title.strip() in panel.heading.toolTip()


def test_a_selected_tracks_heading_keeps_to_two_lines(qtbot):
    """A guard: without a note the heading is as every panel's, two lines at most."""
    panel = _panel(qtbot, 360)
    panel.show_loading("A very long title of a track " * 8)
    panel.clear("A very long title of a track " * 8)
    qtbot.wait(20)
    shown = QLabel.text(panel.heading)
    assert len(shown.split("\n")) == 2 and shown.endswith("…")
