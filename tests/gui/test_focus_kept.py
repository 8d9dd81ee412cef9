"""The keyboard focus stays in a pair of lists when a result hides the focused one.

A list with no rows gives way to its note (no graph model, a track without an audio vector).
When the list so hidden had the focus, Qt moved it onto the note (the Retrain button, or a
label): a keyboard user lost their place and a screen reader read out something unrelated.
The focus now goes to the other list when it is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.suggestions_panel import SuggestionsPanel
from musicsage.search.types import SimilarResult, SuggestResult
from musicsage.usecases.library import list_tracks

ROWS = [{"track_id": i, "title": f"Song {i}", "artist": "Band", "score": 0.9} for i in (1, 2)]
NOTES = {"graph": "No graph model yet", "audio": "No audio vector for this track"}


def _result(kind: type, graph: list[dict], audio: list[dict]):
    if kind is NeighboursPanel:
        return SimilarResult(query={"track_id": 9, "title": "Query"}, graph=graph, audio=audio)
    return SuggestResult(playlist={"name": "Mix", "tracks": 3}, graph=graph, audio=audio)


def _panel(qtbot, kind: type):
    """The panel alone, shown, active, its lists filled (both shown)."""
    panel = kind()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    panel.show_result(_result(kind, ROWS, ROWS), NOTES)
    return panel


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


@pytest.mark.parametrize("kind", [NeighboursPanel, SuggestionsPanel])
@pytest.mark.parametrize("hidden", ["graph", "audio"])
def test_a_hidden_focused_list_passes_the_focus_to_the_other(qtbot, kind, hidden):
    panel = _panel(qtbot, kind)
    lists = {"graph": panel.graph_list, "audio": panel.audio_list}
    _focus(qtbot, lists[hidden])
    panel.show_result(_result(kind, *([[], ROWS] if hidden == "graph" else [ROWS, []])), NOTES)
    assert not lists[hidden].isVisible(), "its note in its place"
    other = lists["audio" if hidden == "graph" else "graph"]
    assert QApplication.focusWidget() is other


@pytest.mark.parametrize("kind", [NeighboursPanel, SuggestionsPanel])
def test_with_both_lists_hidden_the_focus_stays_in_the_panel(qtbot, kind):
    """No list left: the note's button (Retrain) if it has one, else the panel itself."""
    panel = _panel(qtbot, kind)
    _focus(qtbot, panel.graph_list)
    panel.show_result(_result(kind, [], []), NOTES)
    focus = QApplication.focusWidget()
    want = panel.retrain_button if kind is NeighboursPanel else panel
    assert focus is want


def test_a_list_shown_by_the_same_result_takes_the_focus(qtbot):
    """The graph list hidden and the audio list back in one result (the audio note was shown
    before): the focus goes to the audio list, whichever stack switched first."""
    panel = _panel(qtbot, NeighboursPanel)
    panel.show_result(_result(NeighboursPanel, ROWS, []), NOTES)
    _focus(qtbot, panel.graph_list)
    panel.show_result(_result(NeighboursPanel, [], ROWS), NOTES)
    assert QApplication.focusWidget() is panel.audio_list


@pytest.mark.usefixtures("shared_helper")
def test_in_the_window_a_graph_list_focused_before_the_search_ends_gives_way_to_the_audio(
        qtbot, make_window, mapped_library):
    """The real path: a library without a graph model shows the graph note once the
    selected track's neighbours come, and the focus was on the graph list before."""
    w = make_window(mapped_library)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    panel = w.neighbours
    _focus(qtbot, panel.graph_list)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(mapped_library)[3].id, play=False)
    assert panel.graph_stack.currentIndex() == 1, "no graph model: its note"
    assert panel.audio_list.isVisible()
    assert QApplication.focusWidget() is panel.audio_list
