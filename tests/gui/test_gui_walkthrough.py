"""What a walk through the window at 1024x640 and 1400x860 found (the demo library): the
track box kept a scroll bar, and its tags cut, after the search list had shown and gone."""

from __future__ import annotations

TAGS = "electronic 0.50 · electro 0.19 · electronica 0.15 · dance 0.09"


def _track():
    from musicsage.library.browse import TrackInfo

    return TrackInfo(id=5, path="/music/8bit Lumvelix/Slow Forests/05 Glass Engine.flac",
                     title="Glass Engine", artist="8bit Lumvelix", album="Slow Forests",
                     albumartist=None, genre="Chiptune", year=2010, track_number=5,
                     duration=22.0, format="flac", status="ok", needs_analysis=False)


def test_the_track_box_drops_its_scroll_bar_once_the_search_list_is_gone(qtbot):
    """At 1024x640 a search's results took some of the track box's height: it scrolled, its
    scroll bar narrowed it, the tags wrapped onto more lines — and once the search was
    cleared and the height given back, it still scrolled, the tags cut at the bottom, though
    at its full width everything fit. It scrolls only while its fields do not fit."""
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(200, 520)
    panel.show()
    panel.show_playlists([(i, f"Playlist {i}", 10) for i in range(40)])
    panel.show_summary(tracks=240, missing=0, playlists=40, audio_model="musicnn-msd-max_pool",
                       audio_count=240, graph_model="pinsage-musicnn-msd-max_pool (HR@10 0.628)",
                       graph_notes=["HR@10 0.628"])
    panel.show_track(_track(), tags_text=TAGS)
    area, box = panel.details_scroll, panel.details

    def fits() -> bool:
        return box.heightForWidth(area.width()) <= area.height()

    bar = area.verticalScrollBar()  # laid out in the event loop: waited for, not a fixed time
    qtbot.waitUntil(lambda: fits() and not bar.isVisible())
    panel.search.setText("Glass")
    panel.show_search_results("Glass", [(i, f"Glass {i} — Someone") for i in range(5)])
    qtbot.waitUntil(bar.isVisible)  # the search list takes some of its height
    panel.search.setText("")
    panel.show_search_results("", [])
    qtbot.waitUntil(lambda: fits() and not bar.isVisible())
    assert not area.verticalScrollBar().isVisible()
    assert area.viewport().width() == area.width()
    tags = panel.detail_labels["tags"]
    bottom = tags.mapTo(area.viewport(), tags.rect().bottomLeft()).y()
    assert bottom <= area.viewport().height(), "the tags' last line is cut"


def test_the_search_list_ends_with_the_controllers_note(qtbot):
    """The list stopped at 100 of 240 matches without a word: it now ends with the note the
    controller sends, a row that cannot be picked, whole in its tooltip."""
    from PySide6.QtCore import Qt

    from musicsage.controllers.library import search_note
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    chosen = []
    panel.track_chosen.connect(chosen.append)
    panel.search.setText("e")
    note = search_note("e", 101, 100)
    panel.show_search_results("e", [(i, f"Song {i}") for i in range(100)], note)
    assert panel.results.count() == 101
    last = panel.results.item(100)
    assert last.text() == note and last.toolTip() == note
    assert not last.flags() & Qt.ItemFlag.ItemIsEnabled
    panel.results.itemClicked.emit(last)
    assert chosen == []
    panel.search.setText("zzz")
    panel.show_search_results("zzz", [], search_note("zzz", 0, 100))
    assert [panel.results.item(i).text().replace("\n", " ")
            for i in range(panel.results.count())] == [
        "no title, artist, album, album artist, genre or file name matches ‘zzz’"]  # what's read


def test_a_track_with_long_names_takes_room_from_the_playlists_not_its_tags(qtbot):
    """At 1400x860 a track whose artist, title and album wrap onto two or three lines
    ("Kingston Meadow Sound System") overflowed the track box, which was sized for one line
    each: its tags were cut and it scrolled, while the playlist list above showed 25 rows.
    The box now takes the height its fields need from the lists while they can spare it."""
    from dataclasses import replace

    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(200, 760)
    panel.show()
    panel.show_playlists([(i, f"Playlist {i}", 10) for i in range(40)])
    panel.show_track(_track(), tags_text=TAGS)
    qtbot.wait(50)
    area = panel.details_scroll
    lists_before = panel.playlists.height()
    panel.show_track(replace(_track(), title="Daybreak in Reykjavík (Extended Dub Version)",
                             artist="Kingston Meadow Sound System", album="Currents of Tbilisi"),
                     tags_text=TAGS)
    qtbot.waitUntil(lambda: not area.verticalScrollBar().isVisible())
    tags = panel.detail_labels["tags"]
    bottom = tags.mapTo(area.viewport(), tags.rect().bottomLeft()).y()
    assert bottom <= area.viewport().height(), "the tags' last line is cut"
    assert panel.playlists.height() < lists_before
