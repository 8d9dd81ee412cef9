"""The main window on a real (generated, scanned, embedded) library."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from gui_support import settle
from music_support import make_music
from musicsage.usecases.library import list_playlists, list_tracks, playlist_track_ids

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""
# Most windows open on ``mapped_library``: its map is laid out once a run, not in a child
# process per window. The first map test and the one with a copied file lay out their own (as
# a drop does for its new tracks).


def click_track(qtbot, window, track_id):
    """Click where the track is drawn on the map, as a user would."""
    view = window.map.plot
    pos = view.mapFromScene(window.map.scene_pos_of(track_id))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(pos.x()), int(pos.y())))


def test_empty_library_shows_welcome(make_window, ctx):
    w = make_window(ctx)
    assert w.stack.currentWidget() is w.welcome
    assert w.welcome.add_button.isVisible() and w.welcome.demo_button.isVisible()
    assert "Add your music folder" in w.welcome.add_button.text()
    assert "(M3U, M3U8, PLS, XSPF)" in w.welcome.hint.text(), "every format a drop imports"


def test_map_shows_every_track_and_click_fills_lists(qtbot, make_window, library):
    w = make_window(library)
    assert w.stack.currentWidget() is w.main_page
    tracks = list_tracks(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == len(tracks), timeout=30_000)
    assert set(w.map.track_ids.tolist()) == {t.id for t in tracks}
    target = tracks[5].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000) as sig:
        click_track(qtbot, w, target)
    assert w.app.selection.selected == target
    result = sig.args[0]
    assert result.query["track_id"] == target
    k = w.neighbours.k
    assert w.neighbours.audio_list.topLevelItemCount() == min(k, len(tracks) - 1)
    shown = [w.neighbours.audio_list.topLevelItem(i).text(1) for i in range(3)]
    assert shown == [r["title"] for r in result.audio[:3]]
    assert "Song" in w.library.detail_labels["title"].text()
    heading = w.neighbours.heading  # a long title is cut at the panel's edge: whole on hover
    assert "Song" in heading.text() and heading.toolTip() == heading.text()
    # the selection and its neighbours are drawn on top of the map
    assert len(w.map._query.data) == 1 and len(w.map._neigh.data) >= 1
    # no graph model yet: the graph list says so and offers Retrain
    if w.app.library.snapshot.graph_model is None:
        assert w.neighbours.graph_stack.currentIndex() == 1
        assert w.neighbours.retrain_button.isVisibleTo(w.neighbours)


def test_k_spinner_changes_list_length(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    tid = list_tracks(mapped_library)[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.neighbours.k_spin.setValue(4)
    assert w.neighbours.audio_list.topLevelItemCount() == 4


def test_search_selects_a_track(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    w.activateWindow()
    w.map.plot.setFocus()
    qtbot.keyClick(w.map.plot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F
    qtbot.waitUntil(lambda: w.library.search.hasFocus(), timeout=30_000)
    qtbot.keyClicks(w.library.search, "Techno Song 6")
    qtbot.waitUntil(lambda: w.library.results.count() >= 1 and w.library.results.isVisible(), timeout=10_000)
    assert "Techno Song 6" in w.library.results.item(0).text()
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        qtbot.keyClick(w.library.search, Qt.Key.Key_Return)
    assert w.app.library.snapshot.by_id[w.app.selection.selected].title == "Techno Song 6"


def test_playlist_highlights_its_tracks(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    pl = list_playlists(mapped_library)[0]
    members = set(playlist_track_ids(mapped_library, pl.id))
    w.library.playlists.item(0).setSelected(True)
    assert set(w.map.highlighted.tolist()) == members
    assert len(w.map._highlight.data) == len(members)
    w.library.playlists.clearSelection()
    assert len(w.map._highlight.data) == 0


def test_colour_by_artist_has_one_category_per_artist(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    w.colour_combo.setCurrentIndex(w.colour_combo.findData("artist"))
    artists = {t.artist for t in list_tracks(mapped_library)}
    assert len(w.map.categories) == len(artists)
    assert all(a in w.map.legend.text() for a in artists)


def test_save_neighbours_as_m3u8(qtbot, make_window, mapped_library, tmp_path):
    w = make_window(mapped_library)
    tid = list_tracks(mapped_library)[3].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    out = tmp_path / "similar.m3u8"
    job = w.app.selection.save_playlist(str(out), "audio")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    text = out.read_text(encoding="utf-8")
    paths = [line for line in text.splitlines() if line and not line.startswith("#")]
    expected = [w.app.library.snapshot.by_id[tid].path] + [r["path"] for r in w.neighbours.result.audio]
    assert paths == expected


def test_drop_a_folder_scans_embeds_and_maps_it(qtbot, make_window, mapped_library, tmp_path):
    w = make_window(mapped_library)
    before = len(list_tracks(mapped_library))
    more, _pl, _paths = make_music(tmp_path / "more", n_tracks=4, seed=3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(more))])
    for event_type in (QEvent.Type.DragEnter, QEvent.Type.Drop):
        cls = QDragEnterEvent if event_type == QEvent.Type.DragEnter else QDropEvent
        event = cls(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(w, event)
        assert event.isAccepted()
    qtbot.waitUntil(lambda: len(w.map.track_ids) == before + 4 and not w.workers.busy, timeout=60_000)
    assert w.app.library.snapshot.stats.tracks.total == before + 4


def test_settings_persist_between_launches(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    w.neighbours.k_spin.setValue(7)
    w.colour_combo.setCurrentIndex(w.colour_combo.findData("album"))
    w.splitter.setSizes([300, 600, 400])
    sizes = w.splitter.sizes()
    w.close()
    w2 = make_window(mapped_library)
    assert w2.neighbours.k == 7
    assert w2.colour_combo.currentData() == "album"
    assert w2.splitter.sizes() == sizes


def test_repaints_keep_none_refcount(qtbot, make_window, mapped_library):
    """PySide6 6.12.0 dropped a None reference per Python virtual call: the app aborted
    after a few thousand repaints. Guard against any such binding."""
    import gc

    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    gc.collect()  # garbage of earlier tests freed now, not during the count
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for _ in range(30):
            w.map.grab()
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    assert after > before - 30


def test_a_failing_task_is_reported_in_one_place(qtbot, make_window, mapped_library, tmp_path):
    w = make_window(mapped_library)
    missing = tmp_path / "not-there"
    with qtbot.waitSignal(w.notified, timeout=10_000) as sig:
        w.app.library.scan([str(missing)])
    level, text = sig.args
    assert level == "error" and "not-there" in text
    assert "not-there" in w.statusBar().currentMessage()
    settle(qtbot, w)
    assert w.app.library.snapshot.stats.tracks.total == 12  # nothing lost


def test_a_warning_stays_readable_before_the_next_info_line(qtbot, make_window, mapped_library,
                                                           monkeypatch):
    """A scan's warning ("3 files could not be read") was replaced within a second by the
    scan's next stage; an info line now waits until the warning has been shown a while, and
    a warning or error is never held back."""
    import musicsage.gui.main_window as main_window

    monkeypatch.setattr(main_window, "WARNING_READ_SECONDS", 0.3)
    w = make_window(mapped_library)
    shown: list[tuple[float, str]] = []  # other lines may come meanwhile (the window's own)
    w.statusBar().messageChanged.connect(lambda text: shown.append((time.monotonic(), text)))
    start = time.monotonic()
    w.show_notification("warning", "3 files could not be read")
    w.show_notification("info", "computing embeddings for 12 tracks")
    assert w.statusBar().currentMessage() == "3 files could not be read"
    qtbot.waitUntil(lambda: any(t == "computing embeddings for 12 tracks" for _, t in shown),
                    timeout=30_000)  # a timer waking early once dropped it
    when = next(at for at, t in shown if t == "computing embeddings for 12 tracks")
    assert when - start >= 0.3
    w.show_notification("warning", "playback disabled: no audio output device")
    w.show_notification("error", "cannot read the library")
    assert w.statusBar().currentMessage() == "Error: cannot read the library"


def test_a_word_wider_than_the_panel_does_not_widen_the_track_box(qtbot, make_window,
                                                                   mapped_library):
    """An untagged file's name as its title (one long word) or a dataset's album id made the
    track box wider than the panel: every field, the artist too, lost its right end. Now the
    box keeps the panel's width, only that word is cut, and its tooltip holds it whole."""
    from dataclasses import replace

    w = make_window(mapped_library)
    info = replace(list_tracks(mapped_library)[0],
                   title="01_" + "Verylongfilenamewithoutspaces" * 3,
                   album="63rPSO264uRjW1X5E6cWv6zzzzzzzzzz", artist="Some Artist Name")
    w.library.show_track(info)
    qtbot.wait(50)
    viewport = w.library.details_scroll.viewport()
    assert w.library.details.width() <= viewport.width()
    for key in ("title", "artist", "album", "path"):
        label = w.library.detail_labels[key]
        right = label.mapTo(viewport, label.rect().topRight()).x()
        assert right <= viewport.width(), key
    assert w.library.detail_labels["title"].toolTip() == info.title


def test_the_track_box_says_none_is_selected_and_shows_a_title_as_written(qtbot, make_window,
                                                                          mapped_library):
    """Blank fields before any selection read as a track without tags: the box's title says
    none is selected. A title that looks like markup ("<b>Bold</b>", "<3") is shown as
    written."""
    from dataclasses import replace

    w = make_window(mapped_library)
    box, title = w.library.details, w.library.detail_labels["title"]
    assert box.title() == "Track (none selected)" and w.app.selection.selected is None
    info = replace(list_tracks(mapped_library)[0], title="<b>Bold</b> <3")
    w.library.show_track(info)
    assert title.text() == "<b>Bold</b> <3" and title.textFormat() == Qt.TextFormat.PlainText
    assert box.title() == "Selected track" and w.library.shown_track_id == info.id
    w.library.show_track(None)
    assert box.title() == "Track (none selected)" and not title.text()


def test_a_title_that_looks_like_markup_is_shown_as_written_everywhere(qtbot, make_window,
                                                                       mapped_library):
    """Tags are text: a title such as "<i>Hello</i> <3" was drawn in italics (and cut at "<3")
    wherever a label guessed it was markup: the track box, the neighbours' heading."""
    from PySide6.QtWidgets import QLabel

    from musicsage.library.db import connect

    title = "<i>Hello</i> <3"
    target = list_tracks(mapped_library)[2].id
    conn = connect(mapped_library)
    with conn:
        conn.execute("UPDATE tracks SET title = ? WHERE id = ?", (title, target))
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: target in set(w.map.track_ids.tolist()), timeout=30_000)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        click_track(qtbot, w, target)
    showing = [label for label in w.findChildren(QLabel) if title in label.text()]
    assert {w.library.detail_labels["title"], w.neighbours.heading} <= set(showing)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in showing)
    # their tooltips too, and a neighbour list row's tooltip naming the track
    assert shown_tooltip(w.neighbours.heading.toolTip()) == w.neighbours.heading.text()
    assert shown_tooltip(w.library.detail_labels["title"].toolTip()) == title
    w.neighbours.k_spin.setValue(20)  # every other track is listed
    w.app.selection.select(list_tracks(mapped_library)[3].id)
    qtbot.waitUntil(lambda: any(title in shown_tooltip(t) for t in row_tooltips(w)),
                    timeout=30_000)
    tip = next(t for t in row_tooltips(w) if title in shown_tooltip(t))
    assert shown_tooltip(tip).startswith(f"{title} — ")


def shown_tooltip(tip: str) -> str:
    """The characters a tooltip shows: Qt reads one it guesses is markup as markup."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    if not GuiQt.mightBeRichText(tip):
        return tip
    doc = QTextDocument()
    doc.setHtml(tip)
    return doc.toPlainText().replace("\u2029", "\n")


def row_tooltips(w) -> list[str]:
    lists = (w.neighbours.graph_list, w.neighbours.audio_list)
    return [lst.topLevelItem(i).toolTip(1) for lst in lists for i in range(lst.topLevelItemCount())]


def test_the_lists_say_when_copies_of_the_track_were_left_out(qtbot, make_window, ctx,
                                                               tmp_path):
    """A duplicate the user has (the same file under another name) is never listed, as a
    neighbour or as a suggestion for a playlist holding the track; each panel says it was
    left out, so it does not just seem to be gone."""
    import shutil

    from musicsage.library import paths as P
    from musicsage.library.db import connect
    from musicsage.library.queries import track_by_path
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    music, playlists, paths = make_music(tmp_path / "src", n_tracks=12)
    copy = paths[0].with_name("00 copy.flac")
    shutil.copyfile(paths[0], copy)
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    conn = connect(ctx)
    original, duplicate = (track_by_path(conn, P.from_fs(str(p)))["id"] for p in (paths[0], copy))
    w = make_window(ctx)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 13, timeout=30_000)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        click_track(qtbot, w, original)
    listed = [w.neighbours.audio_list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
              for i in range(w.neighbours.audio_list.topLevelItemCount())]
    assert duplicate not in listed and len(listed) == 10
    assert w.neighbours.legend.text().endswith(f"1 copy of this track left out (#{duplicate})")
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        click_track(qtbot, w, next(t for t in w.map.track_ids.tolist()
                                   if t not in (original, duplicate)))
    assert "left out" not in w.neighbours.legend.text()
    # a playlist holding the track is not offered its copy either, and says so
    rows = [w.library.playlists.item(i) for i in range(w.library.playlists.count())]
    with qtbot.waitSignal(w.suggestions_loaded, timeout=30_000):
        next(r for r in rows if r.text().startswith("Mix 1 ")).setSelected(True)
    panel = w.suggestions
    assert duplicate not in panel.audio_list.track_ids() + panel.graph_list.track_ids()
    assert panel.legend.text().endswith(f"1 copy of its tracks left out (#{duplicate})")
    with qtbot.waitSignal(w.suggestions_loaded, timeout=30_000):
        next(r for r in rows if r.text().startswith("Mix 4 ")).setSelected(True)
    assert "left out" not in panel.legend.text()


def test_a_chosen_playlist_that_leaves_the_library_is_no_longer_highlighted(
        qtbot, make_window, mapped_library):
    """Removed from outside (a player's library file re-imported by another process, which
    drops the playlists it no longer has), then the window re-reads the library: the
    suggestions go, the status line says so, and its tracks were left outlined on the map —
    no more."""
    import sqlite3

    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    settle(qtbot, w)
    pid = w.library.playlists.item(0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(w.suggestions_loaded, timeout=30_000):
        w.library.playlists.item(0).setSelected(True)
    assert len(w.map._highlight.data) == len(set(playlist_track_ids(mapped_library, pid))) > 0
    conn = sqlite3.connect(mapped_library.db_path)  # another process's connection
    with conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM playlists WHERE id = ?", (pid,))
    conn.close()
    w.app.library.reload()
    qtbot.waitUntil(lambda: w.app.suggestions.playlist_id is None, timeout=60_000)
    settle(qtbot, w)
    assert any(text.endswith("is no longer in the library") for _l, text in w.app.notifications)
    assert len(w.map.highlighted) == 0 and len(w.map._highlight.data) == 0
    assert w.map.points.opacity() == 1.0


def test_the_map_chooser_says_what_the_map_shows_without_a_graph_model(qtbot, make_window,
                                                                        mapped_library):
    """Choosing "Graph model" with no graph model trained (a saved setting, a key press) left
    the chooser saying "Graph model" over the audio map ("Showing audio only" on the status
    line): it says "Audio only" again; the choice is kept for when a model exists."""
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=60_000)
    combo = w.space_combo
    assert combo.currentData() == "audio"
    combo.setCurrentIndex(combo.findData("graph"))
    settle(qtbot, w)
    assert w.app.map.space == "audio" and combo.currentText() == "Audio only"
    assert w.statusBar().currentMessage().startswith("Showing audio only")
    assert w.app.map.preferred_space == "graph", "a graph model, once trained, is shown"
