"""One track's length, as the track box, the Playlist tab and the player bar show it: the box
and the tab rounded (1.6 s read "0:02") while the player bar's total, like its position,
rounded down ("0:01"), so the same track had two lengths side by side. All use one clock."""

from __future__ import annotations

import math

from gui_support import write_tone

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.library_panel import LibraryPanel
from musicsage.gui.player import PlayerBar
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.text import format_length, format_time
from musicsage.usecases.library import get_track, list_tracks, scan_library


def test_one_track_has_one_length_in_every_place(qtbot, tmp_path, ctx, fake_streams):
    music = tmp_path / "music"
    music.mkdir()
    write_tone(music / "short.wav", seconds=1.6)
    scan_library(ctx, [str(music)])
    track = get_track(ctx, list_tracks(ctx)[0].id)
    assert math.isclose(track.duration, 1.6, abs_tol=0.01), "a length between two seconds"

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.show_track(track)
    in_box = panel.detail_labels["duration"].text()

    tab = PlaylistPanel()
    qtbot.addWidget(tab)
    row = PlaylistRow(track.id, 1, "short", "", track.path, track.duration, "")
    tab.show_tracks(PlaylistTracks(1, "Mix", "m3u", "/m/Mix.m3u8", (row,), 0, ""))
    in_tab = tab.list.topLevelItem(0).text(3)

    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.play_track(track.id, track.fs_path, "short")
    qtbot.waitUntil(lambda: bar.engine.state == "playing", timeout=30000)
    bar._poll()
    in_bar = bar.duration_label.text()
    bar.shutdown()

    assert in_box == in_tab == in_bar == "0:01"


def test_a_length_not_known_reads_blank_and_an_hour_as_a_clock():
    assert [format_length(s) for s in (None, 0, -2, math.nan, math.inf)] == [""] * 5
    assert format_length(1.6) == "0:01"
    assert format_length(4500) == "1:15:00", "as the player bar writes it past an hour"
    assert format_time(math.nan) == format_time(-math.inf) == "0:00", "a position, not a crash"
