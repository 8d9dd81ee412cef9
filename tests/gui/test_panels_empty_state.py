"""With no track selected the panels say so once, and show nothing that reads as data.

The neighbour lists stood empty under "Select a track on the map" with their Artist column
squeezed to its word, the key "◆ in both lists · hover a row…" spoke of rows there were not,
and the track box listed empty Title:, Artist:… fields."""

from __future__ import annotations

from musicsage.search.types import SimilarResult


def _result() -> SimilarResult:
    rows = [{"track_id": i, "title": f"Song {i}", "artist": "Band", "score": 0.9 - i / 100,
             "path": f"/m/{i}.wav"} for i in range(2, 5)]
    return SimilarResult(query={"track_id": 1, "title": "Song 1", "artist": "Band"},
                         graph=rows, audio=rows)


def test_the_neighbours_panel_says_how_to_choose_a_track(qtbot):
    from musicsage.gui.neighbours import NeighboursPanel

    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.heading.text() == ("Select a track on the map or in a list to see its "
                                    "neighbours")
    assert not panel.legend.isVisible(), "no key to rows while there are none"
    header = panel.graph_list.header()
    assert header.sectionSize(2) >= 0.3 * (header.sectionSize(1) + header.sectionSize(2)), \
        "Artist keeps its share of an empty list"
    panel.show_result(_result(), {})
    assert panel.legend.isVisible() and panel.heading.text() == "Song 1 — Band"
    panel.clear()
    assert not panel.legend.isVisible()


def test_the_track_box_shows_one_line_until_a_track_is_chosen(qtbot):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 800)
    panel.show()
    qtbot.waitExposed(panel)
    labels = panel.detail_labels
    assert panel.no_track_line.isVisible()
    assert not any(label.isVisible() for label in labels.values()), "no empty fields"
    assert "Select a track" in panel.no_track_line.text()


def test_a_chosen_track_shows_its_fields_again(qtbot):
    from types import SimpleNamespace

    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 800)
    panel.show()
    info = SimpleNamespace(id=3, display_title="Song", artist="Band", album="LP", genre="Jazz",
                           shown_path="/m/song.wav", year=2001, duration=61.0)
    panel.show_track(info)
    assert not panel.no_track_line.isVisible()
    assert panel.detail_labels["title"].isVisible() and panel.detail_labels["title"].text() == "Song"
    panel.show_track(None)
    assert panel.no_track_line.isVisible() and not panel.detail_labels["title"].isVisible()
