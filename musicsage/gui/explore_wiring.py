"""Connections for the exploring tools: suggestions, the chosen playlist's tracks, the play
queue (radio), "why", variety, and the map's tools — widget signals to controller calls,
controller events to widgets. Nothing here decides anything (see :mod:`musicsage.controllers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from musicsage.gui.track_list import TrackList
from musicsage.gui.track_view import TrackView

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow

TABS = {"neighbours": 0, "suggestions": 1, "playlist": 2, "queue": 3}


def connect_explore(w: "MainWindow") -> None:
    _connect_variety(w)
    _connect_suggestions(w)
    _connect_playlist(w)
    _connect_queue(w)
    _connect_map_tools(w)


def show_tab(w: "MainWindow", name: str) -> None:
    """Turn to the tab; a focus in the page turned away goes to the tab bar, as Ctrl+Tab's
    does: Qt gave it to the new page's first control (the Queue's radio mode, which the next
    Down changed, and where Space opened it instead of pausing). Qt's move also cleared the
    window's mark of a keyboard's focus: a focus that came by the keyboard stays drawn."""
    tabs, keyboard = w.right, w.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    inside = tabs.currentIndex() != TABS[name] and tabs.isAncestorOf(QApplication.focusWidget())
    tabs.setCurrentIndex(TABS[name])
    if inside:
        focus_keeping_ring(w, tabs.tabBar(), keyboard)


def focus_keeping_ring(window: QWidget, widget: QWidget, keyboard: bool | None = None) -> None:
    """Move the focus to ``widget`` as the app's own move, keeping ``window``'s mark of a
    keyboard's focus as it was (``keyboard``: as it was before a move of Qt's that cleared
    it; default: as it is now): the move cleared it, and a focus that came by the keyboard
    was then drawn without its ring or frame. (Here, not in :mod:`~musicsage.gui.focus_ring`:
    that one's import of :mod:`~musicsage.gui.neighbours` leads back to this module.)"""
    if keyboard is None:
        keyboard = window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, keyboard)


def _connect_variety(w: "MainWindow") -> None:
    app = w.app

    def checked(on: bool) -> None:
        for box in (w.neighbours.variety_box, w.suggestions.variety_box):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)

    w.neighbours.variety_toggled.connect(app.set_variety)
    w.suggestions.variety_toggled.connect(app.set_variety)
    app.variety_changed.connect(checked)
    w.suggestions.k_changed.connect(app.suggestions.set_k)  # its own count, not Neighbours'


def _connect_suggestions(w: "MainWindow") -> None:
    app, panel, s = w.app, w.suggestions, w.app.suggestions

    def chosen(playlist_id) -> None:
        s.show(playlist_id)
        # to the suggestions, unless the user is reading the playlists' own tracks
        if playlist_id is not None and w.right.currentWidget() is not w.playlist:
            show_tab(w, "suggestions")

    def loaded(result) -> None:
        panel.show_result(result, s.notes(result))
        w.suggestions_loaded.emit(result)

    def save(which: str) -> None:
        if s.result is not None:
            path = w.ask_playlist_path(s.default_playlist_path(which))
            if path:
                s.save_playlist(path, which)

    w.library.playlist_chosen.connect(chosen)
    s.loading.connect(panel.show_loading)
    s.loaded.connect(loaded)
    s.cleared.connect(panel.clear)
    s.failed.connect(panel.show_failed)
    panel.play_requested.connect(app.selection.play_track)
    panel.play_similar_requested.connect(lambda tid: _play_similar(w, tid))
    panel.add_requested.connect(s.add)
    panel.save_requested.connect(save)


def _connect_playlist(w: "MainWindow") -> None:
    """The Playlist tab: the chosen playlist's tracks; removing some writes its file, then
    the re-read library refreshes the tab, the count on the left and the suggestions."""
    app, panel, p = w.app, w.playlist, w.app.playlist_tracks
    named = [""]  # the playlist the map's key names

    def shown(view) -> None:
        """The tab, and the map's outline of the playlist's tracks: the one place that sets
        it, so it follows a choice, a removal and a re-read library; unchosen (by the user, or
        gone from the library) or another library opened, nothing is outlined."""
        panel.show_tracks(view)
        ids = [r.track_id for r in view.rows] if view is not None else []
        name = view.name if view is not None else ""
        if ids != w.map.highlighted.tolist() or name != named[0]:  # not at every re-read
            w.map.set_highlight(ids, name)
            named[0] = name

    w.library.playlist_chosen.connect(p.show)
    p.shown.connect(shown)
    p.busy_changed.connect(panel.set_busy)
    panel.play_requested.connect(app.selection.play_track)
    panel.play_similar_requested.connect(lambda tid: _play_similar(w, tid))
    panel.remove_requested.connect(p.remove)


def _play_similar(w: "MainWindow", track_id: int) -> None:
    w.app.queue.play_similar(track_id)
    show_tab(w, "queue")


def _play_playlist(w: "MainWindow", playlist_id: int) -> None:
    if w.app.queue.play_playlist(playlist_id):
        show_tab(w, "queue")


def _connect_queue(w: "MainWindow") -> None:
    panel, q = w.queue, w.app.queue

    def changed() -> None:
        panel.show_queue(q.labels(), q.marked, q.name, q.note, q.mode,
                         can_play=w.app.selection.can_play(), mode_applies=q.mode_applies)
        w.player.set_queue_steps(q.has_previous(), q.has_next(), q.restarts_track)
        w.player.set_can_start(q.can_start())
        w.player.set_ended_starts(q.starts_after_end())  # Play over an ended track

    def player_state(state: str) -> None:
        if state == "playing":  # a failure from now on moves on, after Previous too
            q.track_started()
        elif state == "ended":
            q.track_ended()

    def save() -> None:
        path = w.ask_playlist_path(q.default_playlist_path())
        if path:
            q.save_playlist(path)

    q.changed.connect(changed)
    w.neighbours.play_similar_requested.connect(lambda tid: _play_similar(w, tid))
    w.library.playlist_play_requested.connect(lambda pid: _play_playlist(w, pid))
    panel.mode_changed.connect(q.set_mode)
    panel.move_requested.connect(q.move)
    panel.remove_requested.connect(q.remove)
    panel.play_requested.connect(q.play_at)
    panel.clear_requested.connect(q.clear)
    panel.save_requested.connect(save)
    w.player.state_changed.connect(player_state)
    w.player.failed.connect(q.play_failed)
    w.player.start_requested.connect(q.start)  # Play with nothing loaded
    w.app.selection.changed.connect(lambda *_a: w.player.set_can_start(q.can_start()))
    w.app.selection.deselected.connect(lambda *_a: w.player.set_can_start(q.can_start()))
    w.player.previous_requested.connect(q.previous)
    w.player.next_requested.connect(q.next)
    q.restart.connect(w.player.restart)
    _connect_adds(w)


def _connect_adds(w: "MainWindow") -> None:
    """"Play next" and "Add to queue" in the menu of any list's rows (neighbours, suggestions,
    the Playlist tab, the library's search list; the rows chosen): the queue decides where
    the tracks go, and says so. The Queue tab's own "Play next" moves its row (as a drag)."""
    q = w.app.queue
    for lst in (*w.findChildren(TrackList), *w.findChildren(TrackView), w.library.results):
        lst.play_next_requested.connect(lambda ids: q.play_next(*ids))
        lst.queue_requested.connect(lambda ids: q.add_to_queue(*ids))
    w.queue.play_next_requested.connect(q.move_next)  # a reorder, not an add
    found = w.library.results  # the search list's other entries, as the track lists'
    found.play_requested.connect(w.app.selection.play_track)
    found.play_similar_requested.connect(lambda tid: _play_similar(w, tid))


def _connect_map_tools(w: "MainWindow") -> None:
    app, tools, t = w.app, w.map_tools, w.app.map_tools

    def save() -> None:
        path = w.ask_playlist_path(t.default_playlist_path())
        if path:
            t.save_region(path)

    def play() -> None:
        t.play_region()
        show_tab(w, "queue")

    w.library.search_changed.connect(t.search)
    t.matched.connect(tools.show_matches)
    tools.polygon_drawn.connect(t.select_polygon)
    tools.view_chosen.connect(t.select_view)
    t.region_changed.connect(tools.show_region)
    tools.play_region_requested.connect(play)
    tools.save_region_requested.connect(save)
    tools.clear_region_requested.connect(t.clear_region)
    t.drawing_changed.connect(tools.set_drawing_off)
    tools.set_drawing_off(t.drawing_off)
    app.map.loaded.connect(lambda _points, _space: tools.refresh())
