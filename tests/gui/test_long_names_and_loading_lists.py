"""The right panel's lists and headings with long names and empty libraries.

A newly selected track's Play similar and Save… acted on the previous track's lists while its
own loaded; a 300-character title made a list row 8 lines tall and a heading 175 px of an
800x600 window; the Retrain button and the training dock offered to train on a library with
no playlists; the empty playlist box said nothing; a long playlist name in the map's key was
cut with no way to read it; and ``--screenshot`` at a scale of 2 gave the window's size, not
the PNG's."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from musicsage.search.types import SimilarResult

ROOT = Path(__file__).resolve().parents[2]
LONG = "The Extremely Long Title That Goes On " * 8


def _result(track_id: int, title: str, rows: int = 3) -> SimilarResult:
    found = [{"track_id": i, "title": f"Song {i}", "artist": "Band", "score": 0.9 - i / 100,
              "path": f"/m/{i}.wav"} for i in range(track_id + 1, track_id + 1 + rows)]
    return SimilarResult(query={"track_id": track_id, "title": title, "artist": "Band"},
                         graph=found, audio=found)


def _panel(qtbot, width: int = 700, height: int = 600):
    from musicsage.gui.neighbours import NeighboursPanel

    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_play_similar_and_save_wait_for_the_new_tracks_lists(qtbot):
    panel = _panel(qtbot)
    panel.show_result(_result(1, "First"), {})
    assert panel.play_similar_button.isEnabled() and panel.save_button.isEnabled()
    panel.show_loading("Second — Band")
    assert not panel.play_similar_button.isEnabled(), "it would start the first track's radio"
    assert not panel.save_button.isEnabled(), "it would save the first track's list"
    assert "neighbours" in panel.play_similar_button.toolTip()
    with qtbot.waitSignal(panel.play_similar_requested) as asked:
        panel.show_result(_result(20, "Second"), {})
        panel.play_similar_button.click()
    assert asked.args == [20]
    assert panel.save_button.isEnabled()


def test_a_long_title_takes_two_lines_of_a_row_at_most(qtbot):
    from musicsage.gui.track_list import WRAP_LINES, TrackList

    lst = TrackList()
    qtbot.addWidget(lst)
    lst.resize(340, 600)
    lst.show()
    qtbot.waitExposed(lst)
    lst.set_rows([{"track_id": i, "title": LONG if i < 2 else f"Short {i}", "artist": "A",
                   "score": 0.5, "path": f"/x/{i}.flac"} for i in range(6)])
    assert lst.wordWrap(), "a short list in a tall panel wraps its titles"
    line = lst.fontMetrics().lineSpacing()
    long_row = lst.visualItemRect(lst.topLevelItem(0)).height()
    short_row = lst.visualItemRect(lst.topLevelItem(2)).height()
    assert short_row < long_row <= short_row + (WRAP_LINES - 1) * line
    assert LONG.strip() in lst.topLevelItem(0).toolTip(1), "the tooltip holds the whole title"


def _lines_ok(label, most: int = 2) -> None:
    shown = QLabel.text(label)  # what it draws (its text(): the whole title)
    assert len(shown.split("\n")) <= most
    width = label.contentsRect().width()
    assert all(label.fontMetrics().horizontalAdvance(s) <= width for s in shown.split("\n"))
    assert label.height() <= most * label.fontMetrics().lineSpacing() + 8


def test_a_heading_takes_two_lines_at_most_and_keeps_the_whole_title(qtbot):
    panel = _panel(qtbot, 360, 600)
    panel.show_result(_result(1, LONG), {})
    qtbot.waitUntil(lambda: panel.heading.height() < 60)
    heading = panel.heading
    _lines_ok(heading)
    assert heading.text().startswith(LONG.strip()) and "…" in QLabel.text(heading)
    assert LONG.strip() in heading.toolTip()
    assert panel.graph_list.height() > panel.height() / 4, "the lists keep the room"
    panel.show_loading(LONG)
    qtbot.waitUntil(lambda: heading.height() < 60)
    _lines_ok(heading)
    assert QLabel.text(heading).endswith("\n(finding neighbours…)"), "the title is cut, not that"
    panel.show_result(_result(1, "Short"), {})
    assert QLabel.text(heading) == "Short — Band"


def test_the_track_box_title_takes_two_lines_at_most(qtbot):
    from types import SimpleNamespace

    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 800)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_track(SimpleNamespace(id=3, display_title=LONG, artist="Band", album="LP",
                                     genre="Jazz", shown_path="/m/song.wav", year=2001,
                                     duration=61.0))
    title = panel.detail_labels["title"]
    qtbot.waitUntil(lambda: title.height() < 60)
    _lines_ok(title)
    assert title.text() == LONG and LONG.strip() in title.toolTip()


def test_no_retrain_button_where_retrain_cannot_train(qtbot):
    from musicsage.controllers.selection import no_graph_note
    from musicsage.gui.training_dock import TrainingPanel

    def snap(pairs):  # a library with these memberships and audio vectors
        return SimpleNamespace(empty=False, memberships=pairs, playlists=[],
                               stats=SimpleNamespace(embeddings={"spectral": 40}))

    note = no_graph_note(snap([]))
    assert "File ▸ Import playlists…" in note and "Train one" not in note
    assert "needs at least" in no_graph_note(snap([(1, t) for t in range(5)]))
    panel = _panel(qtbot)
    result = dataclasses.replace(_result(1, "Song"), graph=[])  # no graph model: no list
    panel.show_result(result, {"graph": note})
    assert panel.graph_note.isVisible() and not panel.retrain_button.isVisible()
    panel.show_result(result, {"graph": no_graph_note(snap([(p, t) for p in range(4)
                                                            for t in range(8)]))})
    assert panel.retrain_button.isVisible(), "enough memberships: Retrain trains"
    dock = TrainingPanel()
    qtbot.addWidget(dock)
    assert not dock.status.text().startswith("Press Retrain")
    assert "Retrain" not in dock.status.text(), "the idle dock sends no one to Retrain"


def test_the_key_under_the_lists_goes_while_both_are_empty(qtbot):
    panel = _panel(qtbot)
    panel.show_result(_result(1, "Song", rows=0), {"graph": "none", "audio": "none"})
    assert not panel.legend.isVisible()
    panel.show_result(_result(1, "Song"), {})
    assert panel.legend.isVisible()


def test_an_empty_playlist_box_says_where_playlists_come_from(qtbot):
    from musicsage.gui.playlist_list import PlaylistList

    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(240, 300)
    box.show()
    qtbot.waitExposed(box)
    box.show_playlists([])
    assert box.hint.isVisible() and "No playlists yet" in box.hint.text()
    assert "File ▸ Import playlists…" in box.hint.text()
    with qtbot.waitSignal(box.import_requested):
        box.hint.linkActivated.emit("import")
    box.show_playlists([(1, "Mix", 3)])
    assert not box.hint.isVisible()


def test_the_map_key_holds_a_shortened_playlist_name_in_its_tooltip(qtbot):
    from PySide6.QtWidgets import QWidget

    from musicsage.controllers.map_tools import map_key_entries
    from musicsage.gui.map_marks import make_selection_key, selection_key_text

    parent = QWidget()
    qtbot.addWidget(parent)
    key = make_selection_key(parent)
    name = "A playlist with a very long name that keeps going on and on"
    key.setText(selection_key_text(map_key_entries(True, name, playlist_size=3)), name)
    assert name in key.body.toolTip()
    assert not key.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents), \
        "the mouse reaches it: its tooltip shows"
    key.setText(selection_key_text(map_key_entries(True, "Mix", playlist_size=3)), "Mix")
    assert key.body.toolTip() == ""
    assert key.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_a_scaled_screenshot_says_the_pngs_size(tmp_path):
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path / "data"),
                           "--size", "800x600", "--screenshot", str(shot)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1600, 1200)
    assert f"screenshot saved to {shot} (1600x1200)" in done.stdout
