"""The neighbour lists of a track tagged when selected are explained again once its tags
arrive (the same tracks, new reasons): the lists were rebuilt, and the row the user had moved
to, its selection, the scroll and the "Why:" line they were reading were lost a second after
the click. The same tracks now keep them, and the line says the row's new reason."""

from __future__ import annotations

from musicsage.search.types import SimilarResult


def _result(why: str) -> SimilarResult:
    rows = [{"track_id": i, "title": f"Song {i}", "artist": "Band", "score": 0.9 - i / 100,
             "path": f"/m/{i}.wav", "why": {"text": f"{why} {i}"}} for i in range(2, 42)]
    return SimilarResult(query={"track_id": 1, "title": "Song 1", "artist": "Band"},
                         graph=rows, audio=rows)


def test_the_row_read_stays_and_says_its_new_reason(qtbot):
    from musicsage.gui.neighbours import NeighboursPanel

    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_result(_result("same artist"), {})
    audio = panel.audio_list
    audio.setCurrentItem(audio.topLevelItem(30))  # the user moved down to a row
    audio.scrollToItem(audio.topLevelItem(30))
    scroll = audio.verticalScrollBar().value()
    assert scroll > 0 and panel.legend.text() == "Why: same artist 32"

    panel.show_result(_result("same artist · tags: rock"), {})  # its tags arrived

    assert audio.currentItem() is audio.topLevelItem(30)
    assert audio.selected_track_ids() == [32]
    assert audio.verticalScrollBar().value() == scroll
    assert panel.legend.text() == "Why: same artist · tags: rock 32"


def test_other_tracks_start_at_the_top(qtbot):
    from musicsage.gui.neighbours import NeighboursPanel

    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_result(_result("same artist"), {})
    panel.audio_list.setCurrentItem(panel.audio_list.topLevelItem(5))
    other = _result("same artist")
    other.audio.reverse()

    panel.show_result(other, {})

    assert panel.audio_list.currentItem() is None and panel.legend.text() != "Why: same artist 7"
