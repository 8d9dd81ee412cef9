"""The neighbours panel's row of controls is reached with Tab as it reads, left to right:
the list length, "One per artist", "Play similar", "Save…", then the lists. Tab went from
the list length to Save… (at the far right), then back to "One per artist": a keyboard user
jumped across the row and back, and a screen reader read the controls out of order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.gui.neighbours import NeighboursPanel
from musicsage.search.types import SimilarResult


def _row(tid: int, title: str) -> dict:
    return {"track_id": tid, "title": title, "artist": f"Band {tid}", "score": 0.9,
            "rank": 1, "in_both": False, "why": []}


def test_tab_goes_through_the_controls_left_to_right_then_to_the_lists(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_result(SimilarResult(query={"track_id": 1, "title": "Seed", "artist": "Band"},
                                    graph=[_row(2, "Near")], audio=[_row(3, "Close")]), {})
    assert panel.play_similar_button.isEnabled() and panel.save_button.isEnabled()
    panel.activateWindow()
    panel.k_spin.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: panel.k_spin.hasFocus())
    reached = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [panel.variety_box, panel.play_similar_button, panel.save_button,
                       panel.graph_list, panel.audio_list]
