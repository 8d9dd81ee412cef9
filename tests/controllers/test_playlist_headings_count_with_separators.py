"""The headings of a long playlist write its counts as the rest of the window does ("28,356
tracks" in the library's summary): the Playlist tab read "Long mix (8000 tracks)" above
"1,142 missing", and the Suggestions tab "Suggestions for Long mix (8000 tracks)"."""

from __future__ import annotations

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.search.types import SuggestResult


def _view(n: int, unresolved: int = 0) -> PlaylistTracks:
    rows = tuple(PlaylistRow(t, t, f"Song {t}", "Band", f"/music/{t}.flac", 185.0,
                             "missing" if t % 7 == 0 else "") for t in range(1, n + 1))
    return PlaylistTracks(3, "Long mix", "m3u", "/music/Long mix.m3u8", rows, unresolved)


def test_the_playlist_tab_heading_writes_thousands_as_the_summary():
    assert _view(8000, 1200).heading == ("Long mix (8,000 tracks)\n"
                                         "1,142 missing · 1,200 entries not in the library")
    assert _view(1, 1).heading == "Long mix (1 track)\n1 entry not in the library"


def test_the_suggestions_heading_writes_thousands_as_the_summary(qtbot):
    from musicsage.gui.suggestions_panel import SuggestionsPanel

    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    panel.show_result(SuggestResult(playlist={"name": "Long mix", "tracks": 8000}),
                      {"graph": "No suggestions.", "audio": "No suggestions."})
    assert panel.heading.text() == "Suggestions for Long mix (8,000 tracks)"
