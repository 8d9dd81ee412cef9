"""The exploring tools in the window (pytest-qt, offscreen): suggestions and "Add to
playlist", Play similar and the queue, why tooltips, One per artist, the map's tools, the
legend, and a window that fits the screen with readable lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRect, QSettings, Qt
from PySide6.QtGui import QFontMetrics

from gui_support import settle
from musicsage.usecases.library import list_playlists, list_tracks, playlist_track_ids

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""
# The windows open on ``mapped_library`` (its map laid out once a run, not in a child process
# per window) but for the test that writes to a playlist file: a copy shares the template's.


def select(qtbot, w, track_id):
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(track_id, play=False)


def choose_playlist(qtbot, w, row=0):
    with qtbot.waitSignal(w.suggestions_loaded, timeout=30_000) as sig:
        w.library.playlists.item(row).setSelected(True)
    return sig.args[0]


def test_choosing_a_playlist_shows_suggestions_and_adds_the_chosen_ones(qtbot, make_window,
                                                                        library):
    w = make_window(library)
    playlist = list_playlists(library)[0]
    members = set(playlist_track_ids(library, playlist.id))
    result = choose_playlist(qtbot, w)
    assert w.right.currentWidget() is w.suggestions
    panel = w.suggestions
    shown = panel.audio_list.track_ids()
    assert shown and not members & set(shown)
    assert playlist.name in panel.heading.text()
    # no graph model: inside the window, what to press ("Retrain in the window, or musicsage
    # train" spoke of the window from inside it)
    assert panel.notes["graph"].text() == "No trained graph model yet (press Retrain)."
    assert not panel.add_button.isEnabled(), "nothing written before an explicit choice"
    before = Path(playlist.path).read_bytes()
    panel.audio_list.topLevelItem(0).setSelected(True)
    panel.audio_list.topLevelItem(2).setSelected(True)
    assert panel.add_button.isEnabled() and panel.add_button.text() == "Add 2 to playlist"
    chosen = [shown[0], shown[2]]
    with qtbot.waitSignal(w.suggestions_loaded, timeout=30_000):  # re-asked after the write
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert Path(playlist.path).read_bytes().startswith(before)
    assert playlist_track_ids(library, playlist.id)[-2:] == chosen
    assert not set(chosen) & set(panel.audio_list.track_ids())
    qtbot.waitUntil(lambda: f"({len(members) + 2})" in w.library.playlists.item(0).text(),
                    timeout=10_000)
    assert result.playlist["playlist_id"] == playlist.id


def test_every_row_says_why_in_its_tooltip_and_under_the_lists(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    tid = list_tracks(mapped_library)[4].id
    select(qtbot, w, tid)
    lst = w.neighbours.audio_list
    item = lst.topLevelItem(1)
    track = int(item.data(0, Qt.ItemDataRole.UserRole))
    why = w.app.selection.why("audio", track)
    assert why and f"Why: {why}" in item.toolTip(1) and f"Why: {why}" in item.toolTip(2)
    lst.setCurrentItem(item)
    assert w.neighbours.legend.text() == f"Why: {why}"


def test_one_per_artist_reaches_both_tabs(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    select(qtbot, w, list_tracks(mapped_library)[0].id)
    choose_playlist(qtbot, w)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.neighbours.variety_box.setChecked(True)
    assert w.suggestions.variety_box.isChecked(), "one switch, shown in both tabs"
    qtbot.waitUntil(lambda: w.app.suggestions.result.variety, timeout=30_000)
    artists = [w.neighbours.audio_list.topLevelItem(i).text(2)
               for i in range(w.neighbours.audio_list.topLevelItemCount())]
    assert len(artists) == len(set(artists)) == 4, "four artists in the test library"


def test_play_similar_plays_a_queue_that_moves_on_by_itself(qtbot, make_window, mapped_library,
                                                            realtime_streams, tmp_path,
                                                            monkeypatch):
    w = make_window(mapped_library, stream_factory=realtime_streams)
    seed = list_tracks(mapped_library)[1].id
    select(qtbot, w, seed)
    qtbot.mouseClick(w.neighbours.play_similar_button, Qt.MouseButton.LeftButton)
    assert w.right.currentWidget() is w.queue
    q = w.app.queue
    qtbot.waitUntil(lambda: len(q.tracks) == 12, timeout=30_000)
    assert w.queue.list.count() == 12 and w.queue.list.item(0).text().startswith("▶")
    assert w.player.track_id == seed
    # the 1.5-s track ends: the queue plays the next one by itself
    qtbot.waitUntil(lambda: w.player.track_id == q.tracks[1], timeout=20_000)
    assert w.queue.list.item(1).text().startswith("▶")
    # reorder with the buttons, then save in the queue's order
    w.queue.list.setCurrentRow(5)
    qtbot.mouseClick(w.queue.up_button, Qt.MouseButton.LeftButton)
    assert w.queue.list.currentRow() == 4
    moved = q.tracks[4]
    assert w.app.library.snapshot.label(moved) in w.queue.list.item(4).text()
    out = tmp_path / "queue.m3u8"
    monkeypatch.setattr(w, "ask_playlist_path", lambda default: str(out))
    with qtbot.waitSignal(w.notified, timeout=10_000):
        qtbot.mouseClick(w.queue.save_button, Qt.MouseButton.LeftButton)
    by_id = w.app.library.snapshot.by_id
    paths = [ln for ln in out.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    assert paths == [by_id[t].path for t in q.tracks]
    qtbot.mouseClick(w.queue.clear_button, Qt.MouseButton.LeftButton)
    assert q.tracks == [] and w.queue.empty.isVisible()


def test_without_sound_the_queue_does_not_claim_a_track_is_playing(qtbot, make_window,
                                                                   mapped_library):
    w = make_window(mapped_library)  # no audio output: "Playback unavailable"
    assert not w.player.available
    select(qtbot, w, list_tracks(mapped_library)[1].id)
    qtbot.mouseClick(w.neighbours.play_similar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.queue.list.count() == 12, timeout=30_000)
    rows = [w.queue.list.item(i).text() for i in range(12)]
    assert rows[0].startswith("›") and not any("▶" in r for r in rows)
    assert not w.app.queue.active


class FakeDrag:
    """What pyqtgraph hands a view's drag handler: a start, moves, a finish (scene points)."""

    def __init__(self, start, pos, *, start_flag=False, finish=False):
        self._start, self._pos = start, pos
        self._is_start, self._is_finish = start_flag, finish
        self.accepted = False

    def button(self):
        return Qt.MouseButton.LeftButton

    def isStart(self):  # noqa: N802 - pyqtgraph's name
        return self._is_start

    def isFinish(self):  # noqa: N802 - pyqtgraph's name
        return self._is_finish

    def scenePos(self):  # noqa: N802
        return self._pos

    def buttonDownScenePos(self):  # noqa: N802
        return self._start

    def accept(self):
        self.accepted = True


def drag(view, points):
    """Drag through map coordinates ``points`` (through the map view's own drag hook)."""
    scene = [view.view.mapViewToScene(QPointF(float(x), float(y))) for x, y in points]
    for i, p in enumerate(scene):
        view._on_drag(FakeDrag(scene[0], p, start_flag=i == 0, finish=i == len(scene) - 1))


def test_map_search_rectangle_and_lasso_regions(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    qtbot.keyClicks(w.library.search, "Techno")
    techno = {t.id for t in list_tracks(mapped_library) if "Techno" in t.title}
    qtbot.waitUntil(lambda: set(w.map_tools.match_ids) == techno, timeout=10_000)
    assert len(w.map_tools._matches.data) == len(techno)

    xy = w.map.xy
    (x0, y0), (x1, y1) = xy.min(axis=0) - 0.5, xy.max(axis=0) + 0.5
    before = w.map.view.viewRange()
    w.map_tools.set_mode("rect")
    drag(w.map, [(x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2), (x1, y1)])
    assert w.map.view.viewRange() == before, "a selection drag does not pan"
    assert sorted(w.map_tools.region_ids) == sorted(w.map.track_ids.tolist())
    assert w.map_tools.region_bar.isVisible() and "12 tracks" in w.map_tools.region_label.text()
    # a lasso around the left half only
    xm = float(np.median(xy[:, 0]))
    w.map_tools.set_mode("lasso")
    drag(w.map, [(x0, y0), (xm, y0), (xm, y1), (x0, y1)])
    left = {int(t) for t, (x, _y) in zip(w.map.track_ids, xy) if x < xm}
    assert set(w.map_tools.region_ids) == left
    qtbot.mouseClick(w.map_tools.play_button, Qt.MouseButton.LeftButton)
    assert w.app.queue.tracks == w.app.map_tools.region and w.right.currentWidget() is w.queue
    qtbot.mouseClick(w.map_tools.clear_button, Qt.MouseButton.LeftButton)
    assert w.map_tools.region_ids == [] and not w.map_tools.region_bar.isVisible()
    w.map_tools.set_mode("pan")
    start = w.map.view.mapViewToScene(QPointF(float(x0), float(y0)))
    assert w.map_tools._drag(FakeDrag(start, start, start_flag=True)) is False, \
        "in pan mode the view gets the drag (and pans)"


def test_neighbour_lines_stay_while_panning_and_after_a_new_map(qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    select(qtbot, w, list_tracks(mapped_library)[2].id)
    lines = w.map_tools.line_count()
    marks = len(w.map._neigh.data)
    assert lines >= 10 and marks == lines
    w.map.view.translateBy(x=0.3, y=-0.2)
    w.map.view.scaleBy((0.7, 0.7))
    qtbot.wait(50)
    assert w.map_tools.line_count() == lines and len(w.map._neigh.data) == marks
    with qtbot.waitSignal(w.map_loaded, timeout=30_000):
        w.app.map.refresh()
    assert w.map_tools.line_count() == lines and len(w.map._neigh.data) == marks


def test_a_legend_of_many_playlists_scrolls_and_collapses_within_the_map(qtbot, make_window,
                                                                         mapped_library):
    from musicsage.gui.map_legend import BOTTOM_ROOM
    from musicsage.gui.map_view import Colouring

    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    n = len(w.map.track_ids)
    names = [f"Playlist number {i}" for i in range(45)]
    w.map.set_colouring(Colouring(np.arange(n) % 45, names, "in no coloured playlist"))
    legend = w.map.legend
    assert legend.rows == n  # one row per category present (12 points: 12 categories)
    many = Colouring(np.arange(n) % 12, [f"Playlist number {i}" for i in range(12)])
    w.map.resize(w.map.width(), 300)  # a short map: the legend must still fit
    w.map.set_colouring(many)
    assert legend.collapsed, "open, it would leave the short map's points too little of it"
    qtbot.mouseClick(legend.header, Qt.MouseButton.LeftButton)  # the user opens it
    assert legend.geometry().bottom() <= w.map.height() - BOTTOM_ROOM + 1
    assert legend.scroll.verticalScrollBar().maximum() > 0, "the rest is a scroll away"
    qtbot.mouseClick(legend.header, Qt.MouseButton.LeftButton)
    assert legend.collapsed and legend.height() < 40
    qtbot.mouseClick(legend.header, Qt.MouseButton.LeftButton)
    assert not legend.collapsed
    w.colour_combo.setCurrentIndex(w.colour_combo.findData("playlist"))
    assert "Mix 1" in legend.text() and "▾ Legend" in legend.header.text()


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)])
def test_the_window_fits_the_screen_and_its_lists_are_readable(qtbot, mapped_library, tmp_path,
                                                               screen):
    """Screenshots at both sizes land in the test's tmp dir (window-<W>x<H>.png)."""
    from musicsage.gui.main_window import MainWindow
    from musicsage.gui.window_size import first_window_rect

    available = QRect(0, 0, *screen)
    rect = first_window_rect(available)
    assert available.contains(rect) and rect.width() >= min(1366, screen[0]) * 0.85
    w = MainWindow(mapped_library,
                   settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   probe_audio=False, show_dialogs=False)
    qtbot.addWidget(w)
    w.setGeometry(rect)
    w.show()
    settle(qtbot, w)
    tracks = list_tracks(mapped_library)
    select(qtbot, w, tracks[5].id)
    png = tmp_path / f"window-{screen[0]}x{screen[1]}.png"
    assert w.grab().save(str(png)) and png.stat().st_size > 10_000
    print(f"screenshot: {png}")
    window = w.rect()
    for part in (w.player, w.right, w.neighbours.audio_list, w.library.details, w.map):
        box = QRect(part.mapTo(w, part.rect().topLeft()), part.size())
        assert part.isVisible() and window.contains(box), f"{type(part).__name__} off the window"
    # the track box scrolls only in a low window (the training dock open), never here
    assert w.library.details_scroll.verticalScrollBar().maximum() == 0
    for lst in (w.neighbours.graph_list, w.neighbours.audio_list):
        if not lst.isVisible():
            continue
        for i in range(lst.topLevelItemCount()):
            item = lst.topLevelItem(i)
            for column in (1, 2):
                room = lst.header().sectionSize(column) - 12
                width = QFontMetrics(item.font(column)).horizontalAdvance(item.text(column))
                assert width <= room, f"{item.text(column)!r} cut at {screen}"
    w.close()


def test_first_size_comes_from_the_screen_then_the_users_size_is_kept(qtbot, mapped_library,
                                                                      tmp_path):
    from musicsage.gui.main_window import MainWindow
    from musicsage.gui.window_size import first_window_rect, fitted

    assert first_window_rect(QRect(0, 0, 1366, 768)).size().toTuple() == (1366, 736)
    big = first_window_rect(QRect(0, 0, 2560, 1440))
    assert big.width() == 2000 and big.height() == 1239 and QRect(0, 0, 2560, 1440).contains(big)
    assert fitted(QRect(0, 0, 1800, 1000), QRect(0, 0, 1366, 768)).size().toTuple() == (1366, 736)

    settings_file = str(tmp_path / "user.ini")

    def window():
        w = MainWindow(mapped_library,
                       settings=QSettings(settings_file, QSettings.Format.IniFormat),
                       probe_audio=False, show_dialogs=False)
        qtbot.addWidget(w)
        return w

    first = window()
    screen = first.screen().availableGeometry()
    assert first.geometry() == first_window_rect(screen)
    first.show()
    settle(qtbot, first)
    size = (first.minimumSizeHint().width() + 4, 540)  # small, and inside the test's screen
    first.resize(*size)
    first.close()
    again = window()
    assert again.size().toTuple() == size, "the user's size is remembered"
    again.close()


def test_a_narrowing_window_shares_the_loss_between_map_and_lists(qtbot, make_window,
                                                                  mapped_library):
    """Narrowing the window once took every pixel from the map (the only pane that
    stretched) until it was a sliver under its own legend and tools, the lists keeping their
    640 px: at 1024 px the map had 172 px, at 800 px 68."""
    w = make_window(mapped_library)
    w.resize(1400, 860)
    w.splitter.setSizes([200, 548, 644])
    qtbot.wait(20)
    for width in (1024, 900, 800, 700):
        w.resize(width, 600)
        qtbot.wait(20)
        _library, map_w, lists_w = w.splitter.sizes()
        at_minimum = lists_w <= w.right.minimumWidth()
        assert map_w >= 300 or at_minimum, (width, w.splitter.sizes())
        assert map_w >= 140, (width, w.splitter.sizes())


def test_at_its_narrowest_the_window_stacks_the_lists_and_keeps_every_control_whole(
        qtbot, make_window, mapped_library):
    """At the window's minimum width the right panel is about 360 px: the two lists side by
    side showed "Sta…ine | DJ…ek", the row above them cut "One per artist" to "One per arti",
    and the map's selection key ran off the map ("… audio only" cut to "au"). The lists now go
    one above the other, the buttons to a row of their own, and the key wraps; a wide window
    keeps everything side by side."""
    w = make_window(mapped_library)
    w.resize(w.minimumSizeHint().width(), 600)
    settle(qtbot, w)
    select(qtbot, w, list_tracks(mapped_library)[5].id)
    qtbot.wait(50)

    def box(widget, within):
        return QRect(widget.mapTo(within, widget.rect().topLeft()), widget.size())

    n = w.neighbours
    graph, audio = box(n.graph_stack, n), box(n.audio_stack, n)
    assert graph.bottom() < audio.top() and graph.width() >= n.width() - 20, (graph, audio)
    for control in (n.k_spin, n.variety_box, n.play_similar_button, n.save_button):
        assert control.width() >= control.sizeHint().width(), control.objectName() or control
        assert n.rect().contains(box(control, n)), control
    key = w.map.selection_key
    assert key.isVisible() and box(key, w.map).right() < w.map.width()
    assert key.height() > 1.5 * key.fontMetrics().lineSpacing(), "wrapped to a second line"
    w.right.setCurrentWidget(w.suggestions)
    qtbot.wait(50)
    s = w.suggestions
    assert box(s.stacks["graph"], s).bottom() < box(s.stacks["audio"], s).top()

    w.resize(1366, 700)
    w.right.setCurrentWidget(n)
    qtbot.wait(50)
    graph, audio = box(n.graph_stack, n), box(n.audio_stack, n)
    assert graph.top() == audio.top() and graph.right() < audio.left(), (graph, audio)
    row = box(n.variety_box, n).center().y() - box(n.play_similar_button, n).center().y()
    assert abs(row) < 8, "the buttons are back beside the list length"
    assert key.height() < 1.5 * key.fontMetrics().lineSpacing() + 12, "one line again"


def test_the_selection_key_is_one_line_in_a_1024x640_window(qtbot, make_window, mapped_library):
    """At 1024x640 the key under the map ("selected, graph model, audio only, both") put
    "both" on a second line; it now fits the map's width on one line."""
    from PySide6.QtCore import QRect

    w = make_window(mapped_library)
    w.resize(1024, 640)
    settle(qtbot, w)
    select(qtbot, w, list_tracks(mapped_library)[5].id)
    left, _map, right = w.splitter.sizes()
    w.splitter.setSizes([left, 350, _map + right - 350])  # the demo library's map
    qtbot.wait(50)
    assert 340 <= w.map.width() <= 352
    key = w.map.selection_key
    where = QRect(key.mapTo(w.map, key.rect().topLeft()), key.size())
    assert key.isVisible() and w.map.rect().contains(where), (where, w.map.size())
    assert key.height() < 1.5 * key.fontMetrics().lineSpacing() + 12, "one line"


def test_a_narrow_window_keeps_the_map_choosers_on_the_toolbar(qtbot, make_window, mapped_library):
    """At 771 px the toolbar's button texts pushed the Map and Colour-by choosers behind its
    » overflow button. A narrow window now shows the buttons as icons (their texts in
    tooltips) and keeps both choosers on the bar; a wide one shows the texts again."""
    from PySide6.QtWidgets import QToolButton

    w = make_window(mapped_library)
    tb = w.toolbar
    overflow = tb.findChild(QToolButton, "qt_toolbar_ext_button")

    def on_bar(widget):
        return widget.isVisible() and tb.rect().contains(
            QRect(widget.mapTo(tb, widget.rect().topLeft()), widget.size()))

    w.resize(w.minimumSizeHint().width(), 600)
    settle(qtbot, w)
    assert tb.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert on_bar(w.space_combo) and on_bar(w.colour_combo)
    assert overflow is None or not overflow.isVisible()
    acts = w.actions_
    for action in (acts.add_folder, acts.import_playlists, acts.rescan, acts.retrain):
        assert tb.widgetForAction(action).toolTip(), action.text()  # an icon says what on hover

    w.resize(1366, 700)
    qtbot.wait(50)
    assert tb.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert on_bar(w.space_combo) and on_bar(w.colour_combo)


def test_a_reload_of_the_same_map_keeps_the_view_centred_on_a_searched_track(
        qtbot, make_window, mapped_library):
    """The user zooms in, picks a track in the search box (centred on it), then the map is
    loaded again (the reload after a rescan or an embed): the view stays. A fresh layout
    (Recompute map) shows the whole map again."""
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    settle(qtbot, w)
    view = w.map.view
    xy = w.map.xy
    far = int(np.argmax(np.linalg.norm(xy - xy[0], axis=1)))
    target = int(w.map.track_ids[far])
    (x0, x1), (y0, y1) = view.viewRange()
    zoom = 0.05 * (x1 - x0)
    view.setRange(xRange=(xy[0, 0] - zoom, xy[0, 0] + zoom),
                  yRange=(xy[0, 1] - zoom, xy[0, 1] + zoom), padding=0)
    view.sigRangeChangedManually.emit(view.state["mouseEnabled"])  # as a wheel zoom does
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.library.track_chosen.emit(target)  # picked in the search box
    centred = view.viewRange()
    assert centred[0][0] <= xy[far, 0] <= centred[0][1]
    assert centred[1][0] <= xy[far, 1] <= centred[1][1]
    with qtbot.waitSignal(w.map_loaded, timeout=30_000):
        w.app.map.refresh()
    assert w.app.map.keeps_view
    assert np.allclose(view.viewRange(), centred), "the same map reloaded keeps the view"
    with qtbot.waitSignal(w.map_loaded, timeout=60_000):
        w.app.map.refresh(relayout=True)
    assert not w.app.map.keeps_view
    (x0, x1), (y0, y1) = view.viewRange()
    shown = w.map.xy
    assert (x0 <= shown[:, 0].min() and shown[:, 0].max() <= x1
            and y0 <= shown[:, 1].min() and shown[:, 1].max() <= y1), "a fresh layout fits"
