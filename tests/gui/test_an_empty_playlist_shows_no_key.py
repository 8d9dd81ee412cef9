"""A chosen playlist with no rows shows no key under its empty list: "Enter plays a row" (and,
for a playlist with a file, "select rows, then Remove") named rows there were none of, beside
the tab's own "This playlist is empty."."""

from __future__ import annotations

import pytest

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import LEGEND, LEGEND_NO_REMOVE, PlaylistPanel

NO_FILE = "playlist 'Mix' came from a dataset dir and has no file of its own"


def _view(rows: int, why_not: str = "") -> PlaylistTracks:
    listed = tuple(PlaylistRow(10 + i, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0, "")
                   for i in range(rows))
    return PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", listed, 0, why_not)


@pytest.fixture
def panel(qtbot) -> PlaylistPanel:
    shown = PlaylistPanel()
    qtbot.addWidget(shown)
    shown.resize(500, 400)
    shown.show()
    return shown


@pytest.mark.parametrize("why_not", [NO_FILE, ""], ids=["without a file", "with a file"])
def test_an_empty_playlist_shows_its_note_and_no_key(panel, why_not):
    panel.show_tracks(_view(0, why_not))

    assert panel.note.text() == "This playlist is empty." and panel.note.isVisible()
    assert panel.legend.text() == ""
    assert panel.remove_note.isHidden(), "the empty list's note says it, not a second one"
    assert not panel.remove_button.isEnabled()
    panel.show_tracks(_view(2, why_not))
    assert panel.legend.text() == (LEGEND_NO_REMOVE if why_not else LEGEND), "rows: the key"

