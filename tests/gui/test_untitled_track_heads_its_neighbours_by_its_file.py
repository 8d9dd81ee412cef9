"""The neighbours' heading of a track without a title tag read "track 7" once its lists came
in, while the map, the track box and the heading while they loaded named it by its file's
name: one rule now (:func:`musicsage.library.browse.shown_title`)."""

from __future__ import annotations

import pytest

from musicsage.library.browse import shown_title
from musicsage.search.types import SimilarResult


@pytest.mark.parametrize("path, name", [("/music/Live/Intro.flac", "Intro.flac"),
                                        ("dataset:/data/ds#t0", "ds#t0"),
                                        ("", "track 7")])
def test_an_untitled_tracks_heading_names_it_as_the_map_does(qtbot, path, name):
    from musicsage.gui.neighbours import NeighboursPanel

    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    found = [{"track_id": 8, "title": "Song", "artist": "Band", "score": 0.9, "path": "/m/8.wav"}]
    query = {"track_id": 7, "title": None, "artist": "Band", "path": path}
    panel.show_result(SimilarResult(query=query, graph=found, audio=found), {})
    assert shown_title(None, path, 7) == name
    assert panel.heading.text().splitlines()[0] == f"{name} — Band"
