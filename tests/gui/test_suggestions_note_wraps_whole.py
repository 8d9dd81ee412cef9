"""The Suggestions tab's note under its heading: why a playlist has no suggestions was the
heading's second line, cut at 1024x640 ("Playlist 'nl' has no track of the library (its
entries did n…"). It wraps whole now, under the playlist's name; the heading's text (and its
tooltip) is as before."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from musicsage.gui.suggestions_panel import SuggestionsPanel

WHY = ("Playlist 'nl' has no track of the library (its entries did not resolve): nothing to "
       "suggest from")


def _panel(qtbot, width: int) -> SuggestionsPanel:
    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 500)  # the tab's width in a 1024x640 window: 457 px
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_why_there_are_no_suggestions_reads_whole_in_a_narrow_tab(qtbot):
    panel = _panel(qtbot, 457)
    panel.show_loading("nl")
    panel.show_failed(WHY)
    qtbot.wait(20)
    heading = panel.heading
    assert heading.text() == f"Suggestions for nl\n{WHY}"
    shown = QLabel.text(heading)  # as drawn: the lines it was broken into
    name, *note = shown.split("\n")
    assert name == "Suggestions for nl"
    assert len(note) >= 2, "the note wrapped"
    assert "…" not in shown and " ".join(note) == WHY, "every word of it"
    assert heading.height() >= heading.heightForWidth(heading.width()), "all its lines shown"


def test_a_long_playlist_name_keeps_to_two_lines(qtbot):
    """A heading without a note is as every panel's: two lines at most, elided."""
    from musicsage.search.types import SuggestResult

    panel = _panel(qtbot, 457)
    long_name = "A very long playlist name " * 12
    panel.show_result(SuggestResult(playlist={"name": long_name, "tracks": 3}),
                      {"graph": "No suggestions.", "audio": "No suggestions."})
    qtbot.wait(20)
    shown = QLabel.text(panel.heading)
    assert len(shown.split("\n")) == 2 and shown.endswith("…")
    assert panel.heading.toolTip()  # the whole name there
