"""The Playlist tab (pytest-qt, offscreen): the chosen playlist's tracks in its order, each
playable, and "Remove from playlist" (button, Delete, the rows' menu) — the panel alone on
made-up rows, then once in the window on a real M3U8."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import EMPTY, LEGEND_NO_REMOVE, REMOVE_TIP, PlaylistPanel
from musicsage.usecases.library import list_playlists, playlist_track_ids


def _view(why_not: str = "") -> PlaylistTracks:
    rows = tuple(PlaylistRow(10 + i, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0,
                             "missing" if i == 2 else "") for i in range(4))
    return PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 1, why_not)


def _panel(qtbot) -> PlaylistPanel:
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 400)
    panel.show()
    return panel


def test_the_rows_play_and_the_selected_ones_are_asked_out_three_ways(qtbot):
    panel = _panel(qtbot)
    assert panel.heading.text() == EMPTY and not panel.remove_button.isEnabled()
    panel.show_tracks(_view())
    lst = panel.list
    assert panel.heading.text() == "Mix (4 tracks)\n1 missing · 1 entry not in the library"
    texts = [[lst.topLevelItem(r).text(c) for c in range(4)] for r in range(4)]
    assert texts[0] == ["1", "Song 0", "Band", "3:05"]
    assert texts[2][3] == "missing" and "The file is missing" in lst.topLevelItem(2).toolTip(1)
    assert lst.topLevelItem(2).foreground(1).color() != lst.topLevelItem(0).foreground(1).color()
    with qtbot.waitSignal(panel.play_requested) as played:
        lst.setCurrentItem(lst.topLevelItem(1))
        qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert played.args == [11]
    lst.clearSelection()
    lst.topLevelItem(0).setSelected(True)
    lst.topLevelItem(3).setSelected(True)
    button = panel.remove_button
    assert button.isEnabled() and button.text() == "Remove 2 from playlist"
    asked = []
    panel.remove_requested.connect(asked.append)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    menu = lst.context_menu(13)
    remove = [a for a in menu.actions() if a.text().startswith("Remove")]
    assert [a.text() for a in remove] == ["Remove 2 from playlist"] and remove[0].isEnabled()
    remove[0].trigger()
    assert asked == [[10, 13]] * 3
    panel.set_busy(True)
    assert not panel.remove_button.isEnabled(), "one removal at a time"
    panel.set_busy(False)
    panel.show_tracks(None)
    assert panel.heading.text() == EMPTY and lst.topLevelItemCount() == 0


def test_a_playlist_the_app_never_writes_keeps_the_button_off_saying_why(qtbot):
    panel = _panel(qtbot)
    why = "Mix is kept in a player's library file (Rhythmbox), which musicsage never writes"
    panel.show_tracks(_view(why))
    panel.list.topLevelItem(0).setSelected(True)
    asked = []
    panel.remove_requested.connect(asked.append)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert not panel.remove_button.isEnabled() and panel.remove_button.toolTip() == why
    assert not [a for a in panel.list.context_menu(10).actions()
                if a.text().startswith("Remove") and a.isEnabled()]
    # why, under the button (a row's own "Why: …" takes the line under the list)
    assert asked == [] and panel.remove_note.text() == why
    assert panel.legend.text() == LEGEND_NO_REMOVE
    panel.show_tracks(_view())
    assert panel.remove_button.toolTip() == REMOVE_TIP and panel.remove_note.isHidden()


def test_removing_in_the_window_writes_the_m3u_and_the_tab_and_the_count_follow(
        qtbot, make_window, library):
    w = make_window(library)
    info = list_playlists(library)[0]
    members = playlist_track_ids(library, info.id)
    w.right.setCurrentWidget(w.playlist)
    w.library.playlists.item(0).setSelected(True)
    assert w.right.currentWidget() is w.playlist, "choosing a playlist kept this tab"
    panel = w.playlist
    qtbot.waitUntil(lambda: panel.list.track_ids() == members, timeout=10_000)
    assert panel.heading.text().startswith(f"{info.name} ({len(members)} tracks")
    panel.list.topLevelItem(0).setSelected(True)
    panel.list.topLevelItem(1).setSelected(True)
    messages = []
    w.notified.connect(lambda level, text: messages.append((level, text)))
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.list.track_ids() == members[2:], timeout=30_000)
    assert playlist_track_ids(library, info.id) == members[2:]
    assert w.map.highlighted.tolist() == members[2:], "the map outlines the playlist as it is"
    text = Path(info.path).read_text(encoding="utf-8")
    assert all(Path(p).name not in text for p in _paths(w, members[:2]))
    level, line = messages[0]
    assert level == "info" and line.startswith(f"Removed 2 tracks from {info.path.rsplit('/')[-1]}")
    assert "playlist-backups" in line
    qtbot.waitUntil(lambda: f"({len(members) - 2})" in w.library.playlists.item(0).text(),
                    timeout=10_000)


def _paths(w, track_ids) -> list[str]:
    return [w.app.library.snapshot.by_id[t].path for t in track_ids]
